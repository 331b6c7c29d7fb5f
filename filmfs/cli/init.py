"""`filmfs init DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.init import InitResult, init


@click.command("init")
@click.argument("root", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The film's title (default: the folder name).")
@click.option("--width", type=int, default=1280, show_default=True)
@click.option("--height", type=int, default=720, show_default=True)
@click.option(
    "--fps",
    default="24",
    show_default=True,
    help="Frames per second: 24, 25, 30, 23.976, 29.97, 59.94 or a fraction like 24000/1001.",
)
@no_commit_option
@format_option()
def command(
    root: Path, title: str | None, width: int, height: int, fps: str, no_commit: bool, fmt: str
) -> InitResult:
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
    return emit(result, fmt, lambda r: render(r, root))


def render(result: InitResult, root: Path) -> str:
    return (
        f"Created film in {root}"
        + (" (new Git repository)" if result.git_created else "")
        + (f"\ncommitted {result.commit[:10]}" if result.commit else "")
        + f"\nNext: add scenes/01.yaml and shots/01A/shot.yaml, then `filmfs validate {root}`"
    )
