"""`filmfs graph [--format json|dot|mermaid]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option
from filmfs.commands.diagram import diagram
from filmfs.commands.loaded import load


@click.command("graph")
@film_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "dot", "mermaid"]),
    default="mermaid",
    show_default=True,
    help="mermaid for Markdown (GitHub renders it), dot for Graphviz, json for tools.",
)
def command(root: Path, fmt: str) -> None:
    """The film's assets and relationships: a picture of its structure.

    Pipe dot into Graphviz (`filmfs graph --format dot | dot -Tsvg > film.svg`), or paste
    mermaid into a ```mermaid block of a Markdown file.
    """
    click.echo(diagram(load(root), fmt=fmt))
