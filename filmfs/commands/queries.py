"""Read-only questions about a film, answered from its relationship graph.

``takes``, ``selected_video``, ``characters`` and ``cost`` are the model's four query patterns
(the SQL in ``filmfs/sql/`` answers the same questions from an export); ``tree`` and ``show``
are the views people read. Each returns dataclasses (graph nodes as their ``Node.as_dict``
records); the CLI renders them as text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from filmfs.commands.loaded import Loaded
from filmfs.film.inputs import stale_parts
from filmfs.film.metrics import cut_length
from filmfs.film.model import GenerationParams
from filmfs.graph.model import Graph, Node

NodeRecord = dict[str, Any]
"""A graph node as :meth:`filmfs.graph.model.Node.as_dict` gives it."""


@dataclass(frozen=True)
class TakeRow:
    """A take as a flat record, with the video it generated (if any)."""

    id: str
    attempt_number: int
    selected: bool
    status: str | None
    provider: str | None
    model: str | None
    seed: int | None
    generation_cost: Decimal | None
    quality_score: float | None
    director_notes: str
    duration: float | None
    video: NodeRecord | None
    source: str


@dataclass(frozen=True)
class Cost:
    total: Decimal | None
    """Over every take reachable from the film; None when no take is priced."""
    priced_takes: int
    direct: Decimal | None
    """What the model's fourth SQL query computes as written (the film's direct children)."""
    by_shot: dict[str, Decimal]


@dataclass(frozen=True)
class ShotLine:
    """A shot in the tree: its selected take and durations."""

    shot_number: str
    description: str
    duration_target: float
    takes: int
    selected_take: int | None
    selected_duration: float | None
    stale: list[str] | None
    cut_duration: float | None = None
    """Seconds the shot's clip lasts in the cut (whole frames, in/out trimmed)."""


@dataclass(frozen=True)
class SceneLines:
    scene_number: int
    heading: str
    name: str
    shots: list[ShotLine]


@dataclass(frozen=True)
class Tree:
    title: str
    id: str
    duration_target: float
    duration_selected: float
    scenes: list[SceneLines]
    shots: list[ShotLine] = field(default_factory=list)
    """Shots with no scene (scenes are optional), hanging from the film itself."""
    duration_cut: float | None = None
    """The cut's real length (the cut plan: crossfades overlap)."""
    total_duration: float | None = None
    """film.yaml's total_duration: the film's target."""


@dataclass(frozen=True)
class ShotView:
    """One shot: its graph node's fields, every take, and what it uses."""

    id: str
    type: str
    name: str
    key: str
    source: str
    url: str | None
    duration: float | None
    generation_cost: Decimal | None
    metadata: dict[str, Any]
    takes: list[TakeRow]
    stale: list[str] | None
    characters: list[str]
    audio: list[str]
    assets: list[str]
    total_cost: Decimal | None
    mean_quality: float | None


def take_row(graph: Graph, take: Node) -> TakeRow:
    """A take as a flat record, with the video it generated (if any)."""
    meta = take.metadata
    videos = graph.children(take.id, "generated_video", "video")
    raw = meta.get("generation_params") or {}
    params = GenerationParams.from_data(raw) if "provider" in raw else None
    return TakeRow(
        id=take.id,
        attempt_number=meta["attempt_number"],
        selected=meta["selected"],
        status=meta.get("status"),
        provider=params.provider if params else None,
        model=params.model if params else None,
        seed=params.seed if params else None,
        generation_cost=take.generation_cost,
        quality_score=meta.get("quality_score"),
        director_notes=meta.get("director_notes", ""),
        duration=take.duration,
        video=videos[0].as_dict() if videos else None,
        source=take.source,
    )


def takes(loaded: Loaded, shot_id: str) -> list[TakeRow]:
    """All takes of a shot, by attempt number (the model's generation_attempt children)."""
    shot = loaded.shot(shot_id)
    return [
        take_row(loaded.graph, t)
        for t in loaded.graph.children(shot.id, "generation_attempt", "shot_take")
    ]


def selected_video(loaded: Loaded, shot_id: str) -> NodeRecord | None:
    """The video of the shot's selected take, or None when no take is selected."""
    graph = loaded.graph
    shot = loaded.shot(shot_id)
    for take in graph.children(shot.id, "generation_attempt", "shot_take"):
        if take.metadata.get("selected"):
            videos = graph.children(take.id, "generated_video", "video")
            return videos[0].as_dict() if videos else None
    return None


def characters(loaded: Loaded, shot_id: str) -> list[NodeRecord]:
    shot = loaded.shot(shot_id)
    found = loaded.graph.children(shot.id, "uses_character", "character_ref")
    return [node.as_dict() for node in found]


def shots(loaded: Loaded) -> list[NodeRecord]:
    """The film's shots in order, with their contains_shot sequence (the model's first query)."""
    graph = loaded.graph
    edges = graph.edges_from(graph.film_id, "contains_shot")
    return [{**graph.nodes[e.child].as_dict(), "sequence": e.sequence} for e in edges]


def cost(loaded: Loaded) -> Cost:
    """Generation cost: the true total over every take reachable from the film, per shot too.

    ``direct`` is what the model's fourth SQL query computes as written: the sum over the
    film's *direct* children only (shots and the final edit carry no cost, so it is None).
    """
    graph = loaded.graph
    by_shot: dict[str, Decimal] = {}
    total = Decimal(0)
    priced = 0
    for shot in graph.children(graph.film_id, "contains_shot", "shot"):
        spent = Decimal(0)
        for take in graph.children(shot.id, "generation_attempt", "shot_take"):
            if take.generation_cost is not None:
                spent += take.generation_cost
                priced += 1
        by_shot[shot.key] = spent
        total += spent
    direct = [
        n.generation_cost for n in graph.children(graph.film_id) if n.generation_cost is not None
    ]
    return Cost(
        total=total if priced else None,
        priced_takes=priced,
        direct=sum(direct, Decimal(0)) if direct else None,
        by_shot=by_shot,
    )


def tree(loaded: Loaded) -> Tree:
    """Film -> scenes -> shots, each shot with its selected take and durations."""
    graph, project = loaded.graph, loaded.project
    film = graph.nodes[graph.film_id]
    scenes: list[SceneLines] = []
    for number, scene in project.scenes.items():
        node = graph.find("scene", str(number))
        assert node is not None
        rows = [_shot_line(loaded, shot) for shot in graph.children(node.id, "contains_shot")]
        scenes.append(SceneLines(number, scene.heading, node.name, rows))
    # Scenes are optional: shots with none hang from the film itself.
    loose = [
        _shot_line(loaded, shot)
        for shot in graph.children(graph.film_id, "contains_shot", "shot")
        if shot.metadata.get("scene") is None
    ]
    shots_all = loose + [s for scene in scenes for s in scene.shots]
    cut = cut_length(project.film, project.shots.values()) if project.film else None
    return Tree(
        duration_cut=cut.seconds if cut else None,
        total_duration=cut.target if cut else None,
        title=film.name,
        id=film.id,
        duration_target=round(sum(s.duration_target for s in shots_all), 3),
        duration_selected=round(sum(s.selected_duration or 0 for s in shots_all), 3),
        scenes=scenes,
        shots=loose,
    )


def _shot_line(loaded: Loaded, shot: Node) -> ShotLine:
    takes_ = loaded.graph.children(shot.id, "generation_attempt", "shot_take")
    chosen = next((t for t in takes_ if t.metadata.get("selected")), None)
    return ShotLine(
        shot_number=shot.key,
        description=shot.metadata.get("description", ""),
        duration_target=shot.metadata["duration_target"],
        takes=len(takes_),
        selected_take=chosen.metadata["attempt_number"] if chosen else None,
        selected_duration=chosen.duration if chosen else None,
        stale=stale_parts(loaded.project, shot.key),
        cut_duration=_clip_seconds(loaded, shot.key),
    )


def _clip_seconds(loaded: Loaded, shot_id: str) -> float | None:
    film = loaded.project.film
    return cut_length(film, loaded.project.shots.values()).clips.get(shot_id) if film else None


def show(loaded: Loaded, shot_id: str) -> ShotView:
    """One shot: its fields, every take (cost, score, notes, selected) and what it uses."""
    graph = loaded.graph
    shot = loaded.shot(shot_id)
    rows = takes(loaded, shot_id)
    scored = [r.quality_score for r in rows if r.quality_score is not None]
    costs = [r.generation_cost for r in rows if r.generation_cost is not None]
    return ShotView(
        **shot.as_dict(),
        takes=rows,
        stale=stale_parts(loaded.project, shot_id),
        characters=[n.key for n in graph.children(shot.id, "uses_character")],
        audio=[n.key for n in graph.children(shot.id, "uses_audio")],
        assets=[n.key for n in graph.children(shot.id, "uses_asset")],
        total_cost=sum(costs, Decimal(0)) if costs else None,
        mean_quality=round(sum(scored) / len(scored), 3) if scored else None,
    )
