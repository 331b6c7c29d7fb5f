"""What the review page shows, as frozen values built from a loaded project."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from filmfs.film.inputs import stale_parts
from filmfs.film.metrics import CutLength, cut_length, priced, total_cost
from filmfs.film.model import Shot, Take
from filmfs.film.rate import rate_text
from filmfs.project import Project


@dataclass(frozen=True)
class TakeReview:
    """One take as a card in the compare grid."""

    attempt: int
    selected: bool
    status: str
    provider: str
    model: str
    seed: int | None
    cost: Decimal | None
    score: float | None
    notes: str
    created_at: str
    sha256: str | None
    duration: float | None
    resolution: str
    media_present: bool
    select_command: str

    @property
    def has_video(self) -> bool:
        return self.sha256 is not None


@dataclass(frozen=True)
class ShotReview:
    """One shot in the playlist, with its takes in attempt order."""

    shot_id: str
    scene: int | None
    scene_heading: str
    description: str
    camera_angle: str
    prompt: str
    duration_target: float
    status: str
    takes: tuple[TakeReview, ...]
    stale: tuple[str, ...] = ()
    """What changed since the selected take was made (see :mod:`filmfs.film.inputs`)."""

    @property
    def selected(self) -> TakeReview | None:
        return next((take for take in self.takes if take.selected), None)

    @property
    def flags(self) -> tuple[str, ...]:
        """Why a director should look at this shot before the cut is built."""
        if not self.takes:
            return ("no takes",)
        found = []
        selected = self.selected
        if selected is None:
            found.append("no selected take")
        elif not selected.media_present:
            found.append("selected media missing")
        if self.stale:
            found.append(f"stale: {', '.join(self.stale)} changed")
        return tuple(found)


@dataclass(frozen=True)
class Metrics:
    shots: int
    takes: int
    total_cost: Decimal
    unpriced_takes: int
    shots_without_selection: int
    missing_media: int
    cut_duration: float
    target_duration: float | None = None


@dataclass(frozen=True)
class Review:
    title: str
    synopsis: str
    shots: tuple[ShotReview, ...]
    cut: CutLength | None = None

    @property
    def metrics(self) -> Metrics:
        takes = [take for shot in self.shots for take in shot.takes]
        return Metrics(
            shots=len(self.shots),
            takes=len(takes),
            total_cost=total_cost(take.cost for take in takes),
            unpriced_takes=len(takes) - priced(take.cost for take in takes),
            shots_without_selection=sum(1 for shot in self.shots if shot.selected is None),
            missing_media=sum(1 for take in takes if take.has_video and not take.media_present),
            cut_duration=self.cut.seconds if self.cut else 0.0,
            target_duration=self.cut.target if self.cut else None,
        )


def select_command(shot_id: str, take: Take) -> str:
    """The command line that makes ``take`` the shot's selection, keeping its notes and score."""
    argv = ["filmfs", "select", shot_id, str(take.attempt_number)]
    if take.director_notes:
        argv += ["--note", take.director_notes]
    if take.quality_score is not None:
        argv += ["--score", f"{take.quality_score:g}"]
    return shlex.join(argv)


def review_take(shot: Shot, take: Take, has_object: Callable[[str], bool]) -> TakeReview:
    """A take as the page shows it."""
    params = take.generation_params
    video = take.video
    return TakeReview(
        attempt=take.attempt_number,
        selected=take.selected,
        status=take.status or "pending",
        provider=params.provider,
        model=params.model or "?",
        seed=params.seed,
        cost=take.generation_cost,
        score=take.quality_score,
        notes=take.director_notes,
        created_at=take.created_at or "",
        sha256=video.sha256 if video else None,
        duration=video.duration if video else None,
        resolution=f"{video.width}x{video.height} @ {rate_text(video.fps)} fps" if video else "",
        media_present=bool(video and has_object(video.sha256)),
        select_command=select_command(shot.shot_number, take),
    )


def build_review(project: Project, *, has_object: Callable[[str], bool]) -> Review:
    """The review of a loaded film: shots in film (cut) order, omitted shots left out.

    ``has_object`` says whether a video's bytes are in the local store (injected so this
    module stays free of file access and tests can fake a store).
    """
    film = project.require_valid()
    shots = []
    for shot in project.shots.values():
        if shot.status == "omitted":
            continue
        scene = project.scenes.get(shot.scene) if shot.scene is not None else None
        shots.append(
            ShotReview(
                shot_id=shot.shot_number,
                scene=shot.scene,
                scene_heading=scene.heading if scene else "",
                description=shot.description,
                camera_angle=shot.camera_angle,
                prompt=shot.prompt,
                duration_target=shot.duration_target,
                status=shot.status or "draft",
                takes=tuple(review_take(shot, take, has_object) for take in shot.takes),
                stale=tuple(stale_parts(project, shot.shot_number) or ()),
            )
        )
    return Review(
        title=film.title,
        synopsis=film.synopsis,
        shots=tuple(shots),
        cut=cut_length(film, project.shots.values()),
    )
