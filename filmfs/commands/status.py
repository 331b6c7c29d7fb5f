"""`filmfs status`: production metrics per shot, per scene and for the film.

Attempts, cost, mean quality score, which shots have no take or no selected take, and how the
selected take's duration compares with the shot's duration_target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from filmfs.commands.loaded import Loaded
from filmfs.film.dialogue import READING_CPS, reading_time
from filmfs.film.inputs import stale_parts
from filmfs.film.metrics import cut_length
from filmfs.graph.model import Node


@dataclass(frozen=True)
class Totals:
    """Metrics of a scene or the whole film."""

    shots: int
    attempts: int
    cost: Decimal
    mean_quality: float | None
    shots_without_take: list[str]
    shots_without_selected_take: list[str]
    duration_target: float
    selected_duration: float


@dataclass(frozen=True)
class SceneStatus(Totals):
    scene_number: int


@dataclass(frozen=True)
class ShotStatus:
    shot_number: str
    scene: int
    attempts: int
    cost: Decimal
    mean_quality: float | None
    selected_take: int | None
    duration_target: float
    selected_duration: float | None
    duration_delta: float | None
    stale: list[str] | None


@dataclass(frozen=True)
class DialogueTooLong:
    """A shot whose lines need ``needed`` seconds to read but are on screen ``seconds``."""

    shot_number: str
    needed: float
    seconds: float


@dataclass(frozen=True)
class Status:
    title: str
    film: Totals
    scenes: list[SceneStatus]
    shots: list[ShotStatus]
    stale: list[str]
    """Shots whose selected take was made from inputs that changed since."""
    dialogue_too_long: list[DialogueTooLong] = field(default_factory=list)
    reading_rate_cps: int = int(READING_CPS)
    """The reading rate dialogue is checked at (filmfs/film/dialogue.py says why)."""
    cut_duration: float | None = None
    """The cut's real length from the cut plan (crossfades overlap, in/out trim)."""
    target_duration: float | None = None
    """film.yaml's total_duration: the film's target."""


@dataclass
class _Sums:
    """Running sums for a scene or the film (one pass over the shot rows)."""

    shots: int = 0
    attempts: int = 0
    cost: Decimal = Decimal(0)
    score_sum: float = 0.0
    scored: int = 0
    target: float = 0.0
    selected: float = 0.0
    no_take: list[str] = field(default_factory=list)
    none_selected: list[str] = field(default_factory=list)

    def add(self, row: ShotStatus, score_sum: float, scored: int) -> None:
        self.shots += 1
        self.attempts += row.attempts
        self.cost += row.cost
        self.score_sum += score_sum
        self.scored += scored
        self.target += row.duration_target
        if row.selected_duration is not None:
            self.selected += row.selected_duration
        if not row.attempts:
            self.no_take.append(row.shot_number)
        elif row.selected_take is None:
            self.none_selected.append(row.shot_number)

    def totals(self) -> dict[str, Any]:
        return {
            "shots": self.shots,
            "attempts": self.attempts,
            "cost": self.cost,
            "mean_quality": round(self.score_sum / self.scored, 3) if self.scored else None,
            "shots_without_take": self.no_take,
            "shots_without_selected_take": self.none_selected,
            "duration_target": round(self.target, 3),
            "selected_duration": round(self.selected, 3),
        }


def _shot(loaded: Loaded, shot: Node) -> tuple[ShotStatus, float, int]:
    """A shot's row, plus the sum and count of its takes' scores (for the means above it)."""
    graph = loaded.graph
    cost = Decimal(0)
    score_sum = 0.0
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
    row = ShotStatus(
        shot_number=shot.key,
        scene=shot.metadata["scene"],
        attempts=len(takes),
        cost=cost,
        mean_quality=round(score_sum / scored, 3) if scored else None,
        selected_take=chosen.metadata["attempt_number"] if chosen else None,
        duration_target=target,
        selected_duration=duration,
        duration_delta=round(duration - target, 3) if duration is not None else None,
        stale=stale_parts(loaded.project, shot.key),
    )
    return row, score_sum, scored


def status(loaded: Loaded) -> Status:
    graph = loaded.graph
    film = _Sums()
    scenes = {number: _Sums() for number in loaded.project.scenes}
    rows = []
    for shot in graph.children(graph.film_id, "contains_shot", "shot"):
        row, score_sum, scored = _shot(loaded, shot)
        rows.append(row)
        film.add(row, score_sum, scored)
        if row.scene is not None:  # scenes are optional
            scenes.setdefault(row.scene, _Sums()).add(row, score_sum, scored)
    cut = (
        cut_length(loaded.project.film, loaded.project.shots.values())
        if loaded.project.film is not None
        else None
    )
    return Status(
        cut_duration=cut.seconds if cut else None,
        target_duration=cut.target if cut else None,
        title=graph.nodes[graph.film_id].name,
        film=Totals(**film.totals()),
        scenes=[SceneStatus(**sums.totals(), scene_number=n) for n, sums in scenes.items()],
        shots=rows,
        stale=[row.shot_number for row in rows if row.stale],
        dialogue_too_long=_overlong(loaded, rows),
    )


def _overlong(loaded: Loaded, rows: list[ShotStatus]) -> list[DialogueTooLong]:
    """Shots whose dialogue cannot be read in the time they are on screen (the selected
    take's length, else the target) at :data:`READING_CPS`."""
    found = []
    for row in rows:
        shot = loaded.project.shots[row.shot_number]
        if not shot.dialogue or shot.status == "omitted":
            continue
        needed = reading_time(shot.dialogue)
        seen = row.selected_duration or row.duration_target
        if needed > Fraction(str(seen)):
            found.append(DialogueTooLong(shot.shot_number, round(float(needed), 2), seen))
    return found
