"""The film read as a screenplay: scene by scene, each shot's text beside its selected take.

The text is what the film holds (scene heading, the shot's description and dialogue), so it
shows the script as imported plus every edit since, and works for hand-made films too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from filmfs.film.model import Dialogue, Shot
from filmfs.project import Project


@dataclass(frozen=True)
class ShotView:
    shot_number: str
    status: str
    description: str
    dialogue: tuple[Dialogue, ...]
    duration_target: float
    selected_take: int | None = None
    take_duration: float | None = None
    take_sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "shot_number": self.shot_number,
            "status": self.status,
            "description": self.description,
            "dialogue": [d.as_data() for d in self.dialogue],
            "duration_target": self.duration_target,
            "selected_take": self.selected_take,
            "take_duration": self.take_duration,
            "take_sha256": self.take_sha256,
        }


@dataclass(frozen=True)
class SceneView:
    scene_number: int
    heading: str
    script_number: str | None
    description: str
    removed: bool
    shots: tuple[ShotView, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scene_number": self.scene_number,
            "heading": self.heading,
            "script_number": self.script_number,
            "description": self.description,
            "removed": self.removed,
            "shots": [s.as_dict() for s in self.shots],
        }


def _shot(shot: Shot) -> ShotView:
    take = shot.selected_take
    video = take.video if take else None
    return ShotView(
        shot_number=shot.shot_number,
        status=shot.status or "draft",
        description=shot.description,
        dialogue=shot.dialogue,
        duration_target=shot.duration_target,
        selected_take=take.attempt_number if take else None,
        take_duration=video.duration if video else None,
        take_sha256=video.sha256 if video else None,
    )


def screenplay(project: Project) -> list[SceneView]:
    """Every scene in film order with its shots in order."""
    by_scene: dict[int, list[ShotView]] = {}
    for shot in project.shots.values():
        if shot.scene is not None:  # scenes are optional; a screenplay lists scenes
            by_scene.setdefault(shot.scene, []).append(_shot(shot))
    return [
        SceneView(
            scene_number=number,
            heading=scene.heading or scene.setting,
            script_number=scene.script_number,
            description=scene.description,
            removed=bool((scene.source or {}).get("removed")),
            shots=tuple(by_scene.get(number, ())),
        )
        for number, scene in project.scenes.items()
    ]


def speaker_names(project: Project) -> dict[str, str]:
    return {c.id: c.name for c in project.characters.values()}


def shot_text(shot: ShotView, names: dict[str, str]) -> list[str]:
    """A shot's part of the screenplay, Fountain-style: action, then each cue and line."""
    lines = [shot.description] if shot.description else []
    for d in shot.dialogue:
        cue = names.get(d.character, d.character).upper()
        lines.append("")
        lines.append(f"{cue} ({d.extension})" if d.extension else cue)
        if d.parenthetical:
            lines.append(d.parenthetical)
        lines.append(d.line)
    return lines
