"""The CLI starts at once: subcommands and heavy libraries are imported only when used."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from filmfs.cli import COMMANDS, cli

HEAVY = ("av", "opentimelineio", "httpx", "fsspec", "git", "jsonschema", "psycopg", "ffmpeg")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_matches_the_command(name: str) -> None:
    module_name, attribute, summary = COMMANDS[name]
    command = getattr(importlib.import_module(f"filmfs.cli.{module_name}"), attribute)
    assert isinstance(command, click.Command)
    assert command.name == name
    assert command.get_short_help_str(limit=1000) == summary


def test_help_lists_every_command_as_click_would() -> None:
    listed = CliRunner().invoke(cli, ["--help"])
    assert listed.exit_code == 0
    for name in COMMANDS:
        cli.get_command(click.Context(cli), name)  # now loaded: click's own short help
    loaded = CliRunner().invoke(cli, ["--help"])
    assert listed.output == loaded.output
    assert all(re.search(rf"^  {re.escape(name)}\s", listed.output, re.M) for name in COMMANDS)


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def _imported(argv: list[str], cwd: Path) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "filmfs", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize("argv", [["--help"], ["validate"], ["tree"]], ids=" ".join)
def test_quick_commands_import_nothing_heavy(argv: list[str], example_copy: Path) -> None:
    # Twice: the first run may write the manifest cache, the second is answered by it.
    for _ in range(2):
        modules = _imported(argv, example_copy)
        assert "filmfs.cli" in modules
        heavy = {m for m in modules if m.split(".")[0] in HEAVY}
        assert not heavy, f"`filmfs {' '.join(argv)}` imported {sorted(heavy)}"
