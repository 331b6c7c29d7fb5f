"""`filmfs diff [BASE] [HEAD]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs import escape
from filmfs.cli.diff_render import markdown, text
from filmfs.cli.options import film_option
from filmfs.cli.output import Verdict, echo_json, format_option
from filmfs.commands.diff import diff


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@film_option
@format_option("text", "markdown", "json")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the film changed (as git diff).")
def command(base: str | None, head: str | None, root: Path, fmt: str, exit_code: bool) -> Verdict:
    """What changed in the film between two Git revisions, in film terms.

    No revision: HEAD against the working tree. One: that revision against the working tree.
    Two: BASE against HEAD. BASE...HEAD: HEAD against its merge-base with BASE (what a pull
    request changes). Exit 0 (the diff is information), or with --exit-code 1 on changes.
    """
    result = diff(root, base=base, head=head)
    if fmt == "json":
        echo_json(result.as_dict())
    elif fmt == "markdown":
        click.echo(markdown(result), nl=False)
    else:
        click.echo(escape.terminal(text(result)))
    return Verdict(ok=not (exit_code and not result.empty))
