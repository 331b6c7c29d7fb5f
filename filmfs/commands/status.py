"""`filmfs status`: production metrics per shot, per scene and for the film.

Attempts, cost, mean quality score, which shots have no take or no selected take, and how the
selected take's duration compares with the shot's duration_target.
"""

from __future__ import annotations

from typing import Any

from filmfs.commands.loaded import Loaded
from filmfs.graph import Graph, Node


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _shot(graph: Graph, shot: Node) -> dict[str, Any]:
    takes = graph.children(shot.id, "generation_attempt", "shot_take")
    scores = [
        t.metadata["quality_score"] for t in takes if t.metadata.get("quality_score") is not None
    ]
    chosen = next((t for t in takes if t.metadata.get("selected")), None)
    target = float(shot.metadata["duration_target"])
    duration = chosen.duration if chosen else None
    return {
        "shot_number": shot.key,
        "scene": shot.metadata["scene"],
        "attempts": len(takes),
        "cost": round(sum(t.generation_cost or 0.0 for t in takes), 6),
        "scores": scores,
        "mean_quality": _mean(scores),
        "selected_take": chosen.metadata["attempt_number"] if chosen else None,
        "duration_target": target,
        "selected_duration": duration,
        "duration_delta": round(duration - target, 3) if duration is not None else None,
    }


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scores = [s for row in rows for s in row["scores"]]
    selected = [r for r in rows if r["selected_take"] is not None]
    return {
        "shots": len(rows),
        "attempts": sum(r["attempts"] for r in rows),
        "cost": round(sum(r["cost"] for r in rows), 6),
        "mean_quality": _mean(scores),
        "shots_without_take": [r["shot_number"] for r in rows if r["attempts"] == 0],
        "shots_without_selected_take": [
            r["shot_number"] for r in rows if r["attempts"] and r["selected_take"] is None
        ],
        "duration_target": round(sum(r["duration_target"] for r in rows), 3),
        "selected_duration": round(sum(r["selected_duration"] for r in selected), 3),
    }


def status(loaded: Loaded) -> dict[str, Any]:
    graph = loaded.graph
    rows = [_shot(graph, s) for s in graph.children(graph.film_id, "contains_shot", "shot")]
    by_scene: dict[int, list[dict[str, Any]]] = {number: [] for number in loaded.project.scenes}
    for row in rows:
        by_scene.setdefault(row["scene"], []).append(row)
    scenes = [{"scene_number": n, **_summary(mine)} for n, mine in by_scene.items()]
    film = _summary(rows)
    for row in rows:
        del row["scores"]  # folded into the means above
    title = graph.nodes[graph.film_id].name
    return {"title": title, "film": film, "scenes": scenes, "shots": rows}
