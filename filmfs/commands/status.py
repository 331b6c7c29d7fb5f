"""`filmfs status`: production metrics per shot, per scene and for the film.

Attempts, cost, mean quality score, which shots have no take or no selected take, and how the
selected take's duration compares with the shot's duration_target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from filmfs.commands.loaded import Loaded
from filmfs.film.inputs import stale_parts
from filmfs.graph.model import Graph, Node


@dataclass
class _Totals:
    """Running sums for a scene or the film (one pass over the shot rows)."""

    shots: int = 0
    attempts: int = 0
    cost: float = 0.0
    score_sum: float = 0.0
    scored: int = 0
    target: float = 0.0
    selected: float = 0.0
    no_take: list[str] = field(default_factory=list)
    none_selected: list[str] = field(default_factory=list)

    def add(self, row: dict[str, Any], score_sum: float, scored: int) -> None:
        self.shots += 1
        self.attempts += row["attempts"]
        self.cost += row["cost"]
        self.score_sum += score_sum
        self.scored += scored
        self.target += row["duration_target"]
        if row["selected_duration"] is not None:
            self.selected += row["selected_duration"]
        if not row["attempts"]:
            self.no_take.append(row["shot_number"])
        elif row["selected_take"] is None:
            self.none_selected.append(row["shot_number"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "shots": self.shots,
            "attempts": self.attempts,
            "cost": round(self.cost, 6),
            "mean_quality": round(self.score_sum / self.scored, 3) if self.scored else None,
            "shots_without_take": self.no_take,
            "shots_without_selected_take": self.none_selected,
            "duration_target": round(self.target, 3),
            "selected_duration": round(self.selected, 3),
        }


def _shot(graph: Graph, shot: Node) -> tuple[dict[str, Any], float, int]:
    """A shot's row, plus the sum and count of its takes' scores (for the means above it)."""
    cost = score_sum = 0.0
    scored = 0
    chosen = None
    takes = graph.children(shot.id, "generation_attempt", "shot_take")
    for take in takes:
        meta = take.metadata
        if take.generation_cost is not None:
            cost += take.generation_cost
        score = meta.get("quality_score")
        if score is not None:
            score_sum += score
            scored += 1
        if chosen is None and meta.get("selected"):
            chosen = take
    target = float(shot.metadata["duration_target"])
    duration = chosen.duration if chosen else None
    row = {
        "shot_number": shot.key,
        "scene": shot.metadata["scene"],
        "attempts": len(takes),
        "cost": round(cost, 6),
        "mean_quality": round(score_sum / scored, 3) if scored else None,
        "selected_take": chosen.metadata["attempt_number"] if chosen else None,
        "duration_target": target,
        "selected_duration": duration,
        "duration_delta": round(duration - target, 3) if duration is not None else None,
    }
    return row, score_sum, scored


def status(loaded: Loaded) -> dict[str, Any]:
    graph = loaded.graph
    film = _Totals()
    scenes = {number: _Totals() for number in loaded.project.scenes}
    rows = []
    for shot in graph.children(graph.film_id, "contains_shot", "shot"):
        row, score_sum, scored = _shot(graph, shot)
        row["stale"] = stale_parts(loaded.project, shot.key)
        rows.append(row)
        film.add(row, score_sum, scored)
        if row["scene"] is not None:  # scenes are optional
            scenes.setdefault(row["scene"], _Totals()).add(row, score_sum, scored)
    return {
        "title": graph.nodes[graph.film_id].name,
        "film": film.as_dict(),
        "scenes": [{"scene_number": n, **totals.as_dict()} for n, totals in scenes.items()],
        "shots": rows,
        "stale": [row["shot_number"] for row in rows if row["stale"]],
    }
