from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from filmfs.cli import cli
from tests.conftest import CASES, EXAMPLE_FILM, REPO


def test_example_film_validates_clean() -> None:
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLE_FILM), "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s): ok" in result.output


def test_init_makes_a_film_that_validates(tmp_path: Path) -> None:
    runner = CliRunner()
    film = tmp_path / "my-film"
    result = runner.invoke(cli, ["init", str(film), "--width", "1920", "--height", "1080"])
    assert result.exit_code == 0, result.output
    assert (film / ".git").is_dir()
    assert "/objects/" in (film / ".filmfs" / ".gitignore").read_text()
    assert (film / ".filmfs" / "schemas" / "shot.schema.json").is_file()
    assert (
        (film / "film.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=.filmfs/schemas/film.schema.json\n")
    )
    result = runner.invoke(cli, ["validate", str(film), "--strict"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["init", str(film)])
    assert again.exit_code == 1
    assert "already a film" in again.output


def test_json_format_lists_every_problem(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(CASES / "invalid" / "audio-wrong-type")
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["errors"] == 2
    assert {p["line"] for p in report["problems"]} == {7}
    assert all(p["path"] == "shots/01A/shot.yaml" for p in report["problems"])


def test_github_format_annotates(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(CASES / "invalid" / "duration-not-number")
    result = CliRunner().invoke(cli, ["validate", "--format", "github"])
    assert result.exit_code == 1
    assert (
        "::error file=shots/01A/shot.yaml,line=4,col=18::duration_target must be a number"
        in result.output
    )
    assert "::warning file=scenes/01.yaml" not in result.output


def test_strict_fails_on_warnings(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(CASES / "valid" / "takes-selected")
    assert CliRunner().invoke(cli, ["validate"]).exit_code == 0
    assert CliRunner().invoke(cli, ["validate", "--strict"]).exit_code == 1
    assert CliRunner().invoke(cli, ["validate", "--strict", "--no-media"]).exit_code == 0


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such directory" in result.output


def test_real_subprocess_run() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ok = subprocess.run(
        [sys.executable, "-m", "filmfs", "validate", str(EXAMPLE_FILM)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "0 error(s)" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "filmfs", "validate", "."],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=CASES / "invalid" / "unsafe-python-tag",
    )
    assert bad.returncode == 1
    assert "characters/ana.yaml:2:7: tag" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
