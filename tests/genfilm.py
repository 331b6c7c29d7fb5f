"""Helpers for the generation tests: a small, committed copy of the example film."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import git

from filmfs.manifests.loader import load
from filmfs.manifests.writer import STATE_GITIGNORE
from tests.conftest import REPO, copy_example

SHOTS = ["01A", "01B", "01C", "02A", "02B", "02C", "02D"]


def small_film(target: Path, *, provider: str | None = None, fit: bool | None = None) -> Path:
    """The example film at 320x180 (so the testcard renders fast), in a fresh Git repo.

    ``provider`` replaces the film's default provider. ``fit`` (default: when a provider is
    given) lets filmfs fit shots to the model: lengths snapped to the nearest offered, inputs
    the model does not take (the film's negative prompt) left out.
    """
    copy_example(target)
    # The copy no longer sits beside schemas/, so the modelines are not followed; that is fine.
    film_yaml = target / "film.yaml"
    text = film_yaml.read_text()
    text = text.replace("width: 1280", "width: 320").replace("height: 720", "height: 180")
    text = text.replace("fps: 24", "fps: 12")
    if provider is not None:
        text = re.sub(r"(?m)^  provider: \S+$", f"  provider: {provider}", text)
    if fit if fit is not None else provider is not None:
        text = text.replace(
            "defaults:\n", "defaults:\n  fit:\n    duration: nearest\n    inputs: drop\n"
        )
    film_yaml.write_text(text)
    (target / ".gitignore").write_text(
        ".filmfs/objects/\n.filmfs/tmp/\n.filmfs/locks/\n.filmfs/jobs/\n"
    )
    # As `filmfs init` leaves it: the store's own ignore file, committed.
    (target / ".filmfs").mkdir(exist_ok=True)
    (target / ".filmfs" / ".gitignore").write_text(STATE_GITIGNORE)
    repo = git.Repo.init(target)
    repo.git.add("--all")
    repo.git.execute(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"])
    return target


def takes_of(film: Path, shot_id: str) -> dict[int, dict[str, object]]:
    """The take files of a shot, parsed: attempt number -> data."""
    folder = film / "shots" / shot_id / "takes"
    found: dict[int, dict[str, object]] = {}
    for path in sorted(folder.glob("[0-9][0-9][0-9].yaml")) if folder.is_dir() else []:
        data = load(path, str(path)).data
        assert isinstance(data, dict)
        found[int(path.stem)] = data
    return found


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for ``python -m filmfs`` run from this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_TOKEN"))}
    env.update(PYTHONPATH=str(REPO), **extra)
    return env


PYTHON = sys.executable
