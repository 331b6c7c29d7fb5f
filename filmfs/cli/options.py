"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

film_option = click.option(
    "-C",
    "--film",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The film's directory.",
)

no_commit_option = click.option(
    "--no-commit", is_flag=True, help="Change the manifests but do not commit them to Git."
)
