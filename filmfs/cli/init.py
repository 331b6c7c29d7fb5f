"""`filmfs init DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import no_commit_option
from filmfs.commands.init import init


@click.command("init")
@click.argument("root", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The film's title (default: the folder name).")
@click.option("--width", type=int, default=1280, show_default=True)
@click.option("--height", type=int, default=720, show_default=True)
@click.option("--fps", type=float, default=24, show_default=True)
@no_commit_option
def command(
    root: Path, title: str | None, width: int, height: int, fps: float, no_commit: bool
) -> None:
    """Make DIR a new film: film.yaml, folders, .gitignore, schemas, a Git repository, and a
    first commit of that skeleton (unless --no-commit)."""
    result = init(
        root,
        title=title or root.resolve().name.replace("-", " ").title(),
        width=width,
        height=height,
        fps=fps,
        commit=not no_commit,
    )
    click.echo(f"Created film in {root}" + (" (new Git repository)" if result.git_created else ""))
    if result.commit:
        click.echo(f"committed {result.commit[:10]}")
    click.echo(f"Next: add scenes/01.yaml and shots/01A/shot.yaml, then `filmfs validate {root}`")
