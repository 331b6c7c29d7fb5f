"""Format versioning: film.yaml's `filmfs:` is read, newer films are refused, `filmfs upgrade`
runs one registered step per version."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.manifests import versions
from filmfs.manifests.loader import load
from filmfs.project import Project
from tests.conftest import CASES
from tests.genfilm import PYTHON, subprocess_env

NEWER = CASES / "invalid" / "newer-format"


def _git(root: Path, *args: str) -> str:
    run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def _old_film(tmp_path: Path) -> Path:
    """A film made before film.yaml carried `filmfs:` (format 0), committed."""
    film = tmp_path / "film"
    result = CliRunner().invoke(cli, ["init", str(film), "--title", "Old"])
    assert result.exit_code == 0, result.output
    path = film / "film.yaml"
    text = path.read_text()
    assert "\nfilmfs: 1\n" in text
    path.write_text(text.replace("\nfilmfs: 1\n", "\n# made long ago\n"))
    _git(film, "add", "-A")
    _git(film, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "old film")
    return film


def test_the_current_format_is_read(example_copy: Path) -> None:
    document = load(example_copy / "film.yaml", "film.yaml")
    assert versions.version_of(document) == versions.FORMAT_VERSION == 1


def test_a_film_from_a_newer_filmfs_is_refused_by_every_command() -> None:
    message = (
        "film.yaml:1:9: filmfs: 2: this film was written by a newer filmfs (format 2); "
        "this filmfs reads formats up to 1"
    )
    with pytest.raises(versions.NewerFormatError, match=re.escape("film.yaml:1:9: filmfs: 2")):
        Project.load(NEWER)
    for argv in (["status"], ["tree"], ["upgrade"], ["assemble", "--no-commit"]):
        result = CliRunner().invoke(cli, [*argv, "-C", str(NEWER)])
        assert result.exit_code == 1, result.output
        assert message in result.output and result.output.startswith("error: ")
        assert "pip install -U filmfs" in result.output
    assert not (NEWER / "cut.mp4").exists()


def test_upgrade_dry_run_changes_nothing(tmp_path: Path) -> None:
    film = _old_film(tmp_path)
    before = (film / "film.yaml").read_text()
    result = CliRunner().invoke(cli, ["upgrade", "-C", str(film), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would upgrade the film from format 0 to 1" in result.output
    assert (film / "film.yaml").read_text() == before
    assert _git(film, "status", "--porcelain") == ""


def test_upgrade_runs_the_steps_and_commits(tmp_path: Path) -> None:
    film = _old_film(tmp_path)
    # A real process, as a user runs it.
    run = subprocess.run(
        [PYTHON, "-m", "filmfs", "upgrade", "-C", str(film), "--format", "json"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)["upgrade"]
    assert (data["from_version"], data["to_version"]) == (0, 1)
    lines = (film / "film.yaml").read_text().splitlines()
    # The version is the first field (after the comments on top, which survive).
    assert lines[:3] == [lines[0], "# made long ago", "filmfs: 1"]
    assert lines[0].startswith("# yaml-language-server:")
    assert _git(film, "status", "--porcelain") == ""
    assert "upgrade the film's format from 0 to 1" in _git(film, "log", "-1", "--format=%s")
    again = CliRunner().invoke(cli, ["upgrade", "-C", str(film)])
    assert again.exit_code == 0
    assert "nothing to do" in again.output
    assert CliRunner().invoke(cli, ["validate", str(film), "--strict"]).exit_code == 0


def test_steps_run_in_order_from_the_films_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second format step (1 -> 2, renaming a field) runs after 0 -> 1, and records 2."""
    film = _old_film(tmp_path)
    ran: list[int] = []

    def rename_synopsis(root: Path, write: bool) -> list[Path]:
        """1 -> 2: synopsis is called logline."""
        ran.append(1)
        path = root / "film.yaml"
        if write:
            text = path.read_text()
            path.write_text(text.replace("synopsis:", "logline:"))
        return [path]

    registry = {**versions.UPGRADES, 1: rename_synopsis}
    monkeypatch.setattr(versions, "FORMAT_VERSION", 2)
    done = versions.upgrade(film, registry=registry)
    assert (done.from_version, done.to_version, ran) == (0, 2, [1])
    assert done.steps[-1] == "1 -> 2: synopsis is called logline."
    assert versions.version_of(load(film / "film.yaml", "film.yaml")) == 2
    with pytest.raises(RuntimeError, match="no upgrade from format 1 to 2"):
        versions.steps_from(0, versions.UPGRADES)
