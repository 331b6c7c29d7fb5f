"""`filmfs frame SHOT [--take N] --at first|last|SECONDS [--id ID]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.frame import FrameResult, frame
from filmfs.project import Project


@click.command("frame")
@click.argument("shot_id")
@click.option("--take", "attempt", type=click.IntRange(1, 999), help="Default: the selected take.")
@click.option("--at", "at", default="first", show_default=True, help="first, last or SECONDS.")
@click.option("--id", "asset_id", help="The new image asset's ID (default: 01a-take2-last...).")
@no_commit_option
@format_option()
@film_option
def command(
    shot_id: str,
    attempt: int | None,
    at: str,
    asset_id: str | None,
    no_commit: bool,
    fmt: str,
    root: Path,
) -> FrameResult:
    """Store one frame of a take of SHOT_ID as an image asset.

    Use it to chain shots (a shot's first_frame), as a character reference, or as a still
    for slates and the review page.
    """
    result = frame(
        Project.load(root),
        shot_id=shot_id,
        at=at,
        attempt=attempt,
        asset_id=asset_id,
        commit=not no_commit,
    )
    return emit(result, fmt, render)


def render(result: FrameResult) -> str:
    lines = [
        f"{result.asset_id}: {result.at} frame of {result.shot_id} take {result.attempt}, "
        f"{result.width}x{result.height} png, sha256 {result.sha256[:12]} "
        f"-> assets/{result.asset_id}.yaml"
    ]
    if result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)
