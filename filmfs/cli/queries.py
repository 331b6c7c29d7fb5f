"""`filmfs tree`, `filmfs show SHOT` and `filmfs query ...`: reading the film's structure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from filmfs.cli.options import echo_json, film_option, json_option, num
from filmfs.commands import queries
from filmfs.commands.loaded import load


def render_tree(data: dict[str, Any]) -> str:
    lines = [
        f"{data['title']}  (target {num(data['duration_target'], 's', 1)}, "
        f"selected {num(data['duration_selected'], 's', 1)})"
    ]
    groups = [("", data.get("shots", []))]  # shots with no scene, under the film itself
    groups += [(f"  {scene['name']}", scene["shots"]) for scene in data["scenes"]]
    for heading, shots in groups:
        if heading:
            lines.append(heading)
        indent = "    " if heading else "  "
        for shot in shots:
            take = shot["selected_take"]
            chosen = f"take {take} {num(shot['selected_duration'], 's', 1)}" if take else "no take"
            if not take and shot["takes"]:
                chosen = "none selected"
            if shot.get("stale"):
                chosen += f" (stale: {', '.join(shot['stale'])})"
            lines.append(
                f"{indent}{shot['shot_number']:<6} {num(shot['duration_target'], 's', 1):>6}  "
                f"{shot['takes']} take(s), {chosen}  {shot['description']}"
            )
    return "\n".join(lines)


def render_takes(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no takes"
    lines = []
    for row in rows:
        mark = "*" if row["selected"] else " "
        video = row["video"]["key"][:12] if row["video"] else "no video"
        lines.append(
            f"{mark} take {row['attempt_number']:<3} {row['provider'] or '-':<10} "
            f"cost {num(row['generation_cost'], '', 2):>6}  "
            f"score {num(row['quality_score'], '', 1):>4}  "
            f"{num(row['duration'], 's', 2):>7}  {video}  {row['director_notes']}".rstrip()
        )
    return "\n".join(lines)


def render_show(data: dict[str, Any]) -> str:
    meta = data["metadata"]
    scene = "no scene" if meta["scene"] is None else f"scene {meta['scene']}"
    lines = [
        f"{data['name']}",
        f"  {scene}, {meta['camera_angle'] or 'no camera angle'}, "
        f"target {num(meta['duration_target'], 's', 1)}",
        f"  prompt: {meta['prompt']}",
        f"  characters: {', '.join(data['characters']) or '-'}",
        f"  audio: {', '.join(data['audio']) or '-'}",
        f"  assets: {', '.join(data['assets']) or '-'}",
        *(
            [f"  selected take is stale: {', '.join(data['stale'])} changed since it was made"]
            if data.get("stale")
            else []
        ),
        f"  takes ({len(data['takes'])}, total cost {num(data['total_cost'])}, "
        f"mean score {num(data['mean_quality'], '', 1)}; * = selected):",
    ]
    lines += ["    " + line for line in render_takes(data["takes"]).splitlines()]
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


@click.command("tree")
@film_option
@json_option
def tree_command(root: Path, as_json: bool) -> None:
    """Film -> scenes -> shots, with each shot's selected take and durations."""
    data = queries.tree(load(root))
    echo_json(data) if as_json else click.echo(render_tree(data))


@click.command("show")
@click.argument("shot")
@film_option
@json_option
def show_command(shot: str, root: Path, as_json: bool) -> None:
    """One shot: its takes (cost, score, notes, which is selected) and what it uses."""
    data = queries.show(load(root), shot)
    echo_json(data) if as_json else click.echo(render_show(data))


@click.group("query")
def query_group() -> None:
    """The shot-film model's query patterns, answered from the manifests."""


@query_group.command("shots")
@film_option
@json_option
def query_shots(root: Path, as_json: bool) -> None:
    """The film's shots in order (contains_shot with sequence)."""
    rows = queries.shots(load(root))
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['sequence']:>4}  {row['key']:<6} {row['name']}")


@query_group.command("takes")
@click.argument("shot")
@film_option
@json_option
def query_takes(shot: str, root: Path, as_json: bool) -> None:
    """All takes of SHOT (generation_attempt), by attempt number."""
    rows = queries.takes(load(root), shot)
    echo_json(rows) if as_json else click.echo(render_takes(rows))


@query_group.command("selected-video")
@click.argument("shot")
@film_option
@json_option
def query_selected_video(shot: str, root: Path, as_json: bool) -> None:
    """The video of SHOT's selected take."""
    data = queries.selected_video(load(root), shot)
    echo_json(data) if as_json else click.echo(render_video(data))


@query_group.command("characters")
@click.argument("shot")
@film_option
@json_option
def query_characters(shot: str, root: Path, as_json: bool) -> None:
    """The characters SHOT uses (uses_character)."""
    rows = queries.characters(load(root), shot)
    if as_json:
        echo_json(rows)
        return
    click.echo("\n".join(f"{r['key']:<12} {r['name']}" for r in rows) or "no characters")


@query_group.command("cost")
@film_option
@json_option
def query_cost(root: Path, as_json: bool) -> None:
    """Total generation cost of the film (every take), and per shot."""
    data = queries.cost(load(root))
    if as_json:
        echo_json(data)
        return
    lines = [f"total {num(data['total'])} over {data['priced_takes']} priced take(s)"]
    lines += [f"  {shot:<6} {spent:.2f}" for shot, spent in data["by_shot"].items() if spent]
    click.echo("\n".join(lines))
