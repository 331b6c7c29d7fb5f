"""`filmfs diff [BASE] [HEAD]`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from filmfs import escape
from filmfs.cli.diff_render import markdown, text
from filmfs.cli.options import film_option
from filmfs.commands.diff import diff


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@film_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull-request comment, json for tools.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when the film changed (as git diff).")
def command(base: str | None, head: str | None, root: Path, fmt: str, exit_code: bool) -> None:
    """What changed in the film between two Git revisions, in film terms.

    No revision: HEAD against the working tree. One: that revision against the working tree.
    Two: BASE against HEAD. BASE...HEAD: HEAD against its merge-base with BASE (what a pull
    request changes). Exit 0 (the diff is information), or with --exit-code 1 on changes.
    """
    result = diff(root, base=base, head=head)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False, sort_keys=True))
    elif fmt == "markdown":
        click.echo(markdown(result), nl=False)
    else:
        click.echo(escape.terminal(text(result)))
    if exit_code and not result.empty:
        raise click.exceptions.Exit(1)
