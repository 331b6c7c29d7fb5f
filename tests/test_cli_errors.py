"""Hostile and mistaken input for every command, as data: tests/cli-errors.yaml.

Each case gets a clear error (its exit code and message), never a traceback or filmfs's
"internal error", and loses nothing: the film's files are unchanged afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from filmfs.cli import cli
from tests.conftest import CASES, EXAMPLE_FILM, REPO, copy_example

TABLE = Path(__file__).with_name("cli-errors.yaml")
CASES_TABLE: list[dict[str, Any]] = yaml.safe_load(TABLE.read_text("utf-8"))
FILMS = {
    "minimal": CASES / "valid" / "minimal",
    "takes-selected": CASES / "valid" / "takes-selected",
    "example": EXAMPLE_FILM,
}
# Bookkeeping a failed command may leave: lock files, an empty temp folder.
_SCRATCH = (".filmfs/locks", ".filmfs/tmp", ".filmfs/.gitignore")
# The store and its caches may gain entries (a slate made before the failure); losing or
# changing one is what must not happen.
_GROWS = (".filmfs/objects/", ".filmfs/cache/")


def _snapshot(film: Path) -> dict[str, str]:
    """Every file under the film (symlinks and folders too) with a hash of its bytes."""
    if not film.is_dir():
        return {"": "file" if film.exists() else "missing"}
    seen: dict[str, str] = {}
    for path in sorted(film.rglob("*")):
        rel = path.relative_to(film).as_posix()
        if rel.startswith(_SCRATCH) or rel.startswith(".git/"):
            continue
        if path.is_file():
            seen[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            seen[rel] = "folder" if path.is_dir() else "other"
    return seen


def _fill(text: str, tmp: Path) -> str:
    return (
        text.replace("{film}", str(tmp / "film"))
        .replace("{tmp}", str(tmp))
        .replace("{long_note}", "a" * 5001)
    )


def _setup(case: dict[str, Any], tmp: Path) -> Path:
    film = tmp / "film"
    if case["film"] == "example":
        copy_example(film)
    else:
        shutil.copytree(
            FILMS[case["film"]], film, ignore=shutil.ignore_patterns(".filmfs", "*.mp4", "review")
        )
    for shot in case.get("generate", []):
        result = CliRunner().invoke(cli, ["generate", shot, "--no-commit", "-C", str(film)])
        assert result.exit_code == 0, result.output
    for step in case.get("setup", []):
        ((action, arg),) = step.items()
        if action == "write":
            for rel, text in arg.items():
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / rel).write_text(text)
        elif action == "replace":
            for rel, (old, new) in arg.items():
                before = (tmp / rel).read_text()
                assert old in before, f"{rel} has no {old!r}"
                (tmp / rel).write_text(before.replace(old, new))
        elif action == "truncate":
            for pattern, size in arg.items():
                for path in tmp.glob(pattern):
                    path.chmod(0o644)  # store objects are read-only
                    with path.open("r+b") as handle:
                        handle.truncate(size)
        elif action == "copy":
            for src, dest in arg.items():
                shutil.copyfile(tmp / src, tmp / dest)
        elif action == "fifo":
            for rel in arg:
                os.mkfifo(tmp / rel)
        elif action == "remove":
            for rel in arg:
                shutil.rmtree(tmp / rel)
        else:
            raise AssertionError(f"unknown setup step {action!r}")
    return film


@pytest.mark.parametrize("case", CASES_TABLE, ids=[c["name"] for c in CASES_TABLE])
def test_cli_error(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FILMFS_DEBUG", raising=False)
    for name, value in case.get("env", {}).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    film = _setup(case, tmp_path)
    before = _snapshot(film)

    result = CliRunner().invoke(cli, [_fill(arg, tmp_path) for arg in case["argv"]])

    output = result.output  # stdout and stderr, as the user sees them
    assert "Traceback" not in output
    assert "internal error" not in output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    assert result.exit_code == case["exit"], output
    assert _fill(case["message"], tmp_path) in output, output
    after = _snapshot(film)
    for rel in set(after) - set(before):
        grows = f"{rel}/".startswith(_GROWS) or (rel == ".filmfs" and after[rel] == "folder")
        assert grows and after[rel] != "other", f"{rel} appeared"
    # Caches (the manifest cache is rewritten by any load) may change; nothing else may.
    kept = {rel: digest for rel, digest in before.items() if not rel.startswith(_GROWS)}
    assert {rel: after.get(rel) for rel in kept} == kept, "the film's files changed"
    for rel in case.get("absent", []):
        assert not (tmp_path / rel).exists(), f"{rel} was left behind"


def test_table_names_are_unique() -> None:
    names = [c["name"] for c in CASES_TABLE]
    assert len(names) == len(set(names))


def test_a_case_in_a_real_process(tmp_path: Path) -> None:
    """The same promise outside CliRunner: stderr, exit code, no traceback."""
    case = next(c for c in CASES_TABLE if c["name"] == "assemble-over-film-yaml")
    film = tmp_path / "film"
    shutil.copytree(FILMS["takes-selected"], film)
    argv = [_fill(arg, tmp_path) for arg in case["argv"]]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FILMFS_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "filmfs", *argv], capture_output=True, text=True, env=env
    )
    assert done.returncode == 1, done.stderr
    assert "refusing to write there: film.yaml belongs to the film" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert (film / "film.yaml").read_bytes() == (FILMS["takes-selected"] / "film.yaml").read_bytes()
