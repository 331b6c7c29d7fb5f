"""`filmfs graph [--format json|dot|mermaid]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option
from filmfs.cli.output import echo_json, format_option
from filmfs.commands.diagram import as_data, diagram
from filmfs.commands.loaded import load


@click.command("graph")
@film_option
@format_option("mermaid", "dot", "json", default="mermaid")
def command(root: Path, fmt: str) -> None:
    """The film's assets and relationships: a picture of its structure.

    Pipe dot into Graphviz (`filmfs graph --format dot | dot -Tsvg > film.svg`), or paste
    mermaid into a ```mermaid block of a Markdown file.
    """
    loaded = load(root)
    if fmt == "json":
        echo_json(as_data(loaded.graph))
    else:
        click.echo(diagram(loaded, fmt="dot" if fmt == "dot" else "mermaid"))
