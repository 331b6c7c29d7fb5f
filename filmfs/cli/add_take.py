"""`filmfs add-take SHOT FILE`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from filmfs.cli.options import Money, film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.film.rate import rate_text
from filmfs.media.probe import probe_ahead

if TYPE_CHECKING:
    from filmfs.commands.add_take import AddTakeResult


@click.command("add-take")
@click.argument("shot_id")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--provider", default="external", show_default=True, help="Who made it.")
@click.option("--model", help="The model that made it.")
@click.option("--seed", type=int, help="The seed, if known.")
@click.option("--cost", type=Money(), help="What it cost, in USD (exact: 0.35).")
@click.option("--note", help="Director notes.")
@no_commit_option
@format_option()
@film_option
def command(
    shot_id: str,
    source: Path,
    provider: str,
    model: str | None,
    seed: int | None,
    cost: Decimal | None,
    note: str | None,
    no_commit: bool,
    fmt: str,
    root: Path,
) -> AddTakeResult:
    """Add the video SOURCE, made elsewhere, as the next take of shot SHOT_ID."""
    with probe_ahead(source) as probing:
        # Imported once the probe is under way in its own process, which they overlap.
        from filmfs.commands.add_take import add_take
        from filmfs.project import Project

        result = add_take(
            Project.load(root),
            shot_id=shot_id,
            source=source,
            provider=provider,
            model=model,
            seed=seed,
            cost=cost,
            note=note,
            commit=not no_commit,
            probing=probing,
        )
    return emit(result, fmt, render)


def render(result: AddTakeResult) -> str:
    video = result.video
    mark = " (selected)" if result.selected else ""
    lines = [
        f"{result.shot_id}: take {result.attempt}{mark}: {video.width}x{video.height} "
        f"{rate_text(video.fps)} fps {video.codec}, {video.duration:.2f} s, "
        f"sha256 {video.sha256[:12]}"
    ]
    if result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)
