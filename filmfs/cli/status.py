"""`filmfs status`: production metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from filmfs.cli.options import film_option, num
from filmfs.cli.output import emit, format_option
from filmfs.commands.loaded import load
from filmfs.commands.status import Status, Totals, status


def _line(label: str, row: Totals) -> str:
    return (
        f"{label:<10} {row.shots:>5} shot(s) {row.attempts:>5} attempt(s)  "
        f"cost {row.cost:>8.2f}  score {num(row.mean_quality, '', 1):>4}  "
        f"selected {row.selected_duration:.1f}s of {row.duration_target:.1f}s"
    )


def _names(shots: list[str]) -> str:
    return ", ".join(shots[:20]) + (f" ... (+{len(shots) - 20})" if len(shots) > 20 else "")


def render(data: Status) -> str:
    film = data.film
    lines = [data.title, _line("film", film)]
    if data.cut_duration is not None:
        target = data.target_duration
        lines.append(
            f"{'cut':<10} {data.cut_duration:.1f}s as cut (transitions overlap)"
            + (f", target {target:.1f}s ({data.cut_duration - target:+.1f}s)" if target else "")
        )
    lines += [_line(f"scene {s.scene_number}", s) for s in data.scenes]
    lines.append("")
    lines.append("shot   attempts    cost  score  take  duration vs target")
    for row in data.shots:
        take = row.selected_take
        delta = row.duration_delta
        lines.append(
            f"{row.shot_number:<6} {row.attempts:>8} {row.cost:>7.2f} "
            f"{num(row.mean_quality, '', 1):>6} {take or '-':>5}  "
            f"{num(row.selected_duration, 's', 1):>6} / {row.duration_target:.1f}s"
            + (f" ({delta:+.1f}s)" if delta else "")
            + (f"  stale: {', '.join(row.stale)}" if row.stale else "")
        )
    lines.append("")
    lines.append(f"no take yet: {_names(film.shots_without_take) or 'none'}")
    unselected = _names(film.shots_without_selected_take) or "none"
    lines.append(f"takes but none selected: {unselected}")
    stale = _names(data.stale) or "none"
    lines.append(f"stale (made from other inputs; `filmfs generate --stale`): {stale}")
    if data.dialogue_too_long:
        lines.append(
            f"dialogue too long to read at {data.reading_rate_cps} characters/s: "
            + ", ".join(
                f"{d.shot_number} needs {d.needed:.1f}s of {d.seconds:.1f}s"
                for d in data.dialogue_too_long
            )
        )
    return "\n".join(lines)


@click.command("status")
@film_option
@format_option()
def command(root: Path, fmt: str) -> Any:
    """Production metrics per shot, scene and film: attempts, cost, scores, what is missing."""
    return emit(status(load(root)), fmt, render)
