"""`filmfs tree`, `filmfs show SHOT` and `filmfs query ...`: reading the film's structure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from filmfs.cli.options import film_option, num
from filmfs.cli.output import emit, format_option
from filmfs.commands import queries
from filmfs.commands.loaded import load


def render_tree(data: queries.Tree) -> str:
    target = data.total_duration or data.duration_target
    lines = [
        f"{data.title}  (target {num(target, 's', 1)}, cut {num(data.duration_cut, 's', 1)}, "
        f"selected takes {num(data.duration_selected, 's', 1)})"
    ]
    groups = [("", data.shots)]  # shots with no scene, under the film itself
    groups += [(f"  {scene.name}", scene.shots) for scene in data.scenes]
    for heading, shots in groups:
        if heading:
            lines.append(heading)
        indent = "    " if heading else "  "
        for shot in shots:
            take = shot.selected_take
            chosen = f"take {take} {num(shot.selected_duration, 's', 1)}" if take else "no take"
            if not take and shot.takes:
                chosen = "none selected"
            if shot.stale:
                chosen += f" (stale: {', '.join(shot.stale)})"
            lines.append(
                f"{indent}{shot.shot_number:<6} {num(shot.duration_target, 's', 1):>6}  "
                f"{shot.takes} take(s), {chosen}  {shot.description}"
            )
    return "\n".join(lines)


def render_takes(rows: list[queries.TakeRow]) -> str:
    if not rows:
        return "no takes"
    lines = []
    for row in rows:
        mark = "*" if row.selected else " "
        video = row.video["key"][:12] if row.video else "no video"
        lines.append(
            f"{mark} take {row.attempt_number:<3} {row.provider or '-':<10} "
            f"cost {num(row.generation_cost, '', 2):>6}  "
            f"score {num(row.quality_score, '', 1):>4}  "
            f"{num(row.duration, 's', 2):>7}  {video}  {row.director_notes}".rstrip()
        )
    return "\n".join(lines)


def render_show(data: queries.ShotView) -> str:
    meta = data.metadata
    scene = "no scene" if meta["scene"] is None else f"scene {meta['scene']}"
    lines = [
        f"{data.name}",
        f"  {scene}, {meta['camera_angle'] or 'no camera angle'}, "
        f"target {num(meta['duration_target'], 's', 1)}",
        f"  prompt: {meta['prompt']}",
        f"  characters: {', '.join(data.characters) or '-'}",
        f"  audio: {', '.join(data.audio) or '-'}",
        f"  assets: {', '.join(data.assets) or '-'}",
        *(
            [f"  selected take is stale: {', '.join(data.stale)} changed since it was made"]
            if data.stale
            else []
        ),
        f"  takes ({len(data.takes)}, total cost {num(data.total_cost)}, "
        f"mean score {num(data.mean_quality, '', 1)}; * = selected):",
    ]
    lines += ["    " + line for line in render_takes(data.takes).splitlines()]
    return "\n".join(lines)


def render_video(data: dict[str, Any] | None) -> str:
    if data is None:
        return "no selected take"
    meta = data["metadata"]
    return (
        f"{data['name']}\n  sha256 {data['key']}\n  {meta['width']}x{meta['height']} "
        f"{meta['fps']} fps {meta['codec']}/{meta['format']}, {num(data['duration'], 's')}"
        + (f"\n  url {data['url']}" if data["url"] else "")
    )


def render_shots(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{row['sequence']:>4}  {row['key']:<6} {row['name']}" for row in rows)


def render_characters(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{r['key']:<12} {r['name']}" for r in rows) or "no characters"


def render_cost(data: queries.Cost) -> str:
    lines = [f"total {num(data.total)} over {data.priced_takes} priced take(s)"]
    lines += [f"  {shot:<6} {spent:.2f}" for shot, spent in data.by_shot.items() if spent]
    return "\n".join(lines)


@click.command("tree")
@film_option
@format_option()
def tree_command(root: Path, fmt: str) -> Any:
    """Film -> scenes -> shots, with each shot's selected take and durations."""
    return emit(queries.tree(load(root)), fmt, render_tree)


@click.command("show")
@click.argument("shot")
@film_option
@format_option()
def show_command(shot: str, root: Path, fmt: str) -> Any:
    """One shot: its takes (cost, score, notes, which is selected) and what it uses."""
    return emit(queries.show(load(root), shot), fmt, render_show)


@click.group("query")
def query_group() -> None:
    """The shot-film model's query patterns, answered from the manifests."""


@query_group.command("shots")
@film_option
@format_option()
def query_shots(root: Path, fmt: str) -> Any:
    """The film's shots in order (contains_shot with sequence)."""
    return emit(queries.shots(load(root)), fmt, render_shots)


@query_group.command("takes")
@click.argument("shot")
@film_option
@format_option()
def query_takes(shot: str, root: Path, fmt: str) -> Any:
    """All takes of SHOT (generation_attempt), by attempt number."""
    return emit(queries.takes(load(root), shot), fmt, render_takes)


@query_group.command("selected-video")
@click.argument("shot")
@film_option
@format_option()
def query_selected_video(shot: str, root: Path, fmt: str) -> Any:
    """The video of SHOT's selected take."""
    return emit(queries.selected_video(load(root), shot), fmt, render_video)


@query_group.command("characters")
@click.argument("shot")
@film_option
@format_option()
def query_characters(shot: str, root: Path, fmt: str) -> Any:
    """The characters SHOT uses (uses_character)."""
    return emit(queries.characters(load(root), shot), fmt, render_characters)


@query_group.command("cost")
@film_option
@format_option()
def query_cost(root: Path, fmt: str) -> Any:
    """Total generation cost of the film (every take), and per shot."""
    return emit(queries.cost(load(root)), fmt, render_cost)
