"""`filmfs select SHOT N`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.select import SelectResult, select
from filmfs.project import Project


@click.command("select")
@click.argument("shot_id")
@click.argument("attempt", type=int)
@click.option("--note", help="Director notes for the take.")
@click.option("--score", type=float, help="Quality score, 0 to 10.")
@no_commit_option
@format_option()
@film_option
def command(
    shot_id: str,
    attempt: int,
    note: str | None,
    score: float | None,
    no_commit: bool,
    fmt: str,
    root: Path,
) -> SelectResult:
    """Use take ATTEMPT of shot SHOT_ID in the cut (and no other take of that shot)."""
    result = select(
        Project.load(root),
        shot_id=shot_id,
        attempt=attempt,
        note=note,
        score=score,
        commit=not no_commit,
    )
    return emit(result, fmt, render)


def render(result: SelectResult) -> str:
    was = ""
    if len(result.unselected) > 1:
        was = f" (unselected takes {', '.join(map(str, result.unselected))})"
    elif result.unselected:
        was = f" (was take {result.unselected[0]})"
    lines = [f"{result.shot_id}: take {result.attempt} selected{was}"]
    if result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)
