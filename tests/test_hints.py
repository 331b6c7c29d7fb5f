"""The tool repairs what it diagnoses: each hint (and each backticked command in a message)
is followed here exactly as printed, and then the command that failed succeeds."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import git
import pytest
from click.testing import CliRunner, Result

import filmfs
from filmfs.cli import cli
from filmfs.errors import NotAFilmError
from tests.conftest import CASES, copy_example, write_take
from tests.genfilm import small_film


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _ok(*args: str) -> str:
    result = _run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def _commands(output: str) -> list[list[str]]:
    """The `filmfs ...` commands quoted in backticks in ``output``, as argv lists."""
    return [shlex.split(c)[1:] for c in re.findall(r"`(filmfs [^`]+)`", output)]


def test_several_selected_takes_hint(tmp_path: Path) -> None:
    film = tmp_path / "film"
    shutil.copytree(CASES / "invalid" / "two-selected-takes", film)
    failed = _run("validate", str(film), "--no-media")
    assert failed.exit_code == 1
    (command,) = {tuple(c) for c in _commands(failed.output)}
    assert command[:2] == ("select", "01A") and command[2] == "N"
    _ok(*command[:2], "1", "--no-commit", "-C", str(film))
    assert _run("validate", str(film), "--no-media").exit_code == 0


def test_not_a_film_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    failed = _run("tree")
    assert failed.exit_code == 1
    (command,) = _commands(failed.output)
    assert command == ["init", "."]
    _ok(*command)
    _ok("tree")


def test_inside_a_film_hint_names_the_film(tmp_path: Path) -> None:
    film = copy_example(tmp_path / "film")
    with pytest.raises(NotAFilmError) as caught:
        filmfs.open(film / "shots" / "01A")
    assert caught.value.hint is not None
    folder = caught.value.hint.split("-C ", 1)[1]
    _ok("validate", "-C", folder, "--no-media")


def test_invalid_film_hint_lists_the_errors(tmp_path: Path) -> None:
    film = copy_example(tmp_path / "film")
    shot = film / "shots" / "01B" / "shot.yaml"
    shot.write_text(shot.read_text().replace("duration_target: 4", "duration_target: four"))
    failed = _run("generate", "01A", "-C", str(film))
    assert failed.exit_code == 1
    (command,) = _commands(failed.output)
    assert command[0] == "validate"
    listed = _run(*command)
    assert "duration_target must be a number" in listed.output
    shot.write_text(shot.read_text().replace("duration_target: four", "duration_target: 4"))
    _ok("generate", "01A", "--no-commit", "-C", str(film))


def test_assemble_gaps_hint(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    _ok("generate", "01A", "-C", str(film))
    failed = _run("assemble", "-C", str(film))
    assert failed.exit_code == 1
    commands = _commands(failed.output)
    assert ["generate", "--missing"] in commands
    _ok("generate", "--missing", "-C", str(film))
    _ok("assemble", "-C", str(film))


def test_assemble_takes_but_none_selected_hint(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    _ok("generate", "--all", "-C", str(film))
    _ok("generate", "02A", "-C", str(film))
    take = film / "shots" / "02A" / "takes" / "001.yaml"
    take.write_text(take.read_text().replace("selected: true", "selected: false"))
    failed = _run("assemble", "--no-commit", "-C", str(film))
    assert failed.exit_code == 1
    select = next(c for c in _commands(failed.output) if c[0] == "select")
    assert select == ["select", "SHOT", "N"]
    _ok("select", "02A", "2", "--no-commit", "-C", str(film))
    _ok("assemble", "--no-commit", "-C", str(film))


def test_missing_media_hint_pull(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    _ok("generate", "--all", "-C", str(film))
    _ok("remote", "add", "origin", str(tmp_path / "remote"), "--default", "-C", str(film))
    _ok("push", "-C", str(film))
    shutil.rmtree(film / ".filmfs" / "objects")
    failed = _run("assemble", "-C", str(film))
    assert failed.exit_code == 1
    assert ["pull"] in _commands(failed.output)
    _ok("pull", "-C", str(film))
    _ok("assemble", "-C", str(film))


def test_no_remote_hint(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    failed = _run("push", "-C", str(film))
    assert failed.exit_code == 1
    add = next(c for c in _commands(failed.output) if c[:2] == ["remote", "add"])
    assert add == ["remote", "add", "NAME", "URL", "--default"]
    _ok("remote", "add", "origin", str(tmp_path / "remote"), "--default", "-C", str(film))
    _ok("push", "-C", str(film))


def test_provider_not_configured_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINIMAX_API_KEY", raising=False)
    film = small_film(tmp_path / "film", provider="minimax")
    failed = _run("generate", "01A", "-C", str(film))
    assert failed.exit_code == 1
    assert "or pass --provider testcard" in failed.output
    _ok("generate", "01A", "--provider", "testcard", "-C", str(film))


def test_full_shot_hint(tmp_path: Path) -> None:
    film = copy_example(tmp_path / "film")
    for attempt in (1, 998, 999):
        write_take(film, "01B", attempt, selected=attempt == 1)
    repo = git.Repo.init(film)
    repo.git.add("--all")
    repo.git.execute(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"])
    failed = _run("generate", "01B", "-C", str(film))
    assert failed.exit_code == 1
    hint = failed.output.split("hint: ", 1)[1]
    (command,) = re.findall(r"\((git rm [^)]+)\)", hint)
    subprocess.run([*shlex.split(command)], cwd=film, check=True, capture_output=True)
    _ok("generate", "01B", "--no-commit", "-C", str(film))
