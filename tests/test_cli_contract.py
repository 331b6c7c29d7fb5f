"""The CLI contract: --format text|json on every command that prints data (--json its hidden
alias), one JSON style, exit 1 from a result that is not ok, 141 on a closed pipe."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.errors import EXIT_PIPE, exit_code
from tests.conftest import CASES
from tests.genfilm import PYTHON, subprocess_env

# (arguments, a key its JSON has) for the read-only commands, run on the film with takes.
READERS = [
    (["tree"], "scenes"),
    (["show", "01A"], "takes"),
    (["status"], "shots"),
    (["query", "cost"], "total"),
    (["media", "status"], "objects"),
    (["media", "gc", "--dry-run"], "removed"),
    (["remote", "list"], None),
    (["providers"], "providers"),
    (["validate", "--no-media"], "problems"),
    (["graph"], "nodes"),
]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    # Through list_commands/get_command: the top group loads its commands lazily, so its
    # `commands` dict holds only those some earlier test happened to load.
    found: list[tuple[str, ...]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def _options(path: tuple[str, ...]) -> list[click.Parameter]:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None, name
        command = found
    return command.params


# Commands that print no data of their own: a confirmation sentence, or nothing.
SENTENCES = {("remote", "add"), ("remote", "modify"), ("remote", "remove")}


def test_every_command_that_prints_data_has_format_and_the_json_alias() -> None:
    missing = []
    for path in _commands(cli):
        if path in SENTENCES:
            continue
        names = {opt for param in _options(path) for opt in getattr(param, "opts", [])}
        if not {"--format", "--json"} <= names:
            missing.append(" ".join(path))
    assert len(_commands(cli)) > 25  # every command, loaded or not
    assert missing == []
    (alias,) = [p for p in _options(("tree",)) if "--json" in getattr(p, "opts", [])]
    assert isinstance(alias, click.Option) and alias.hidden


@pytest.mark.parametrize(("argv", "key"), READERS, ids=[" ".join(a) for a, _ in READERS])
def test_json_is_one_style_and_json_is_an_alias(
    film_with_takes: Path, argv: list[str], key: str | None
) -> None:
    runner = CliRunner()
    root = ["-C", str(film_with_takes)] if argv[0] not in ("providers", "validate") else []
    if argv[0] == "validate":
        argv = [*argv, str(film_with_takes)]
    by_format = runner.invoke(cli, [*argv, *root, "--format", "json"])
    by_alias = runner.invoke(cli, [*argv, *root, "--json"])
    assert by_format.exit_code == by_alias.exit_code, by_format.output
    assert by_format.exit_code in (0, 1), by_format.output
    data = json.loads(by_format.output)
    # Piped (CliRunner is not a terminal): compact, on one line, not ASCII-escaped.
    assert by_format.output.count("\n") == 1
    if key is not None:
        assert key in data
    if argv[0] == "graph":  # the layout of a diagram is its own; its data is the same
        assert json.loads(by_alias.output) == data
    else:
        assert by_alias.output == by_format.output


def test_results_carry_ok_and_map_to_the_exit_code(film_with_takes: Path) -> None:
    # Takes whose videos are not in the store: media status is not ok, and exits 1.
    result = CliRunner().invoke(cli, ["media", "status", "-C", str(film_with_takes), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["ok"] is False
    invalid = CASES / "invalid" / "audio-wrong-type"
    result = CliRunner().invoke(cli, ["validate", str(invalid), "--format", "json"])
    assert (result.exit_code, json.loads(result.output)["ok"]) == (1, False)


def test_the_exit_map() -> None:
    from filmfs.errors import FilmfsError

    class Result:
        def __init__(self, ok: bool) -> None:
            self.ok = ok

    assert [exit_code(Result(True)), exit_code(Result(False)), exit_code(None)] == [0, 1, 0]
    assert exit_code(FilmfsError("bad")) == 1
    assert exit_code(KeyboardInterrupt()) == 130
    assert exit_code(BrokenPipeError()) == EXIT_PIPE == 141
    assert exit_code(ValueError("bug")) == 3


def test_a_closed_pipe_exits_141_quietly(film_with_takes: Path) -> None:
    """`filmfs tree | head -1`: the reader is gone before filmfs writes (a real process)."""
    proc = subprocess.Popen(
        [PYTHON, "-m", "filmfs", "tree", "-C", str(film_with_takes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `head` does once it has its line
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert stderr == ""
