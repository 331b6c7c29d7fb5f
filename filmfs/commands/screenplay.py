"""`filmfs script`: the film as a screenplay, each shot's text beside its selected take."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmfs.commands.loaded import load_project
from filmfs.script.view import SceneView, screenplay, speaker_names


@dataclass(frozen=True)
class ScreenplayResult:
    title: str
    scenes: list[SceneView]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return True

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "title": self.title,
            "characters": self.names,
            "scenes": [s.as_dict() for s in self.scenes],
        }


def show_screenplay(root: Path) -> ScreenplayResult:
    project = load_project(root)
    film = project.require_valid()
    return ScreenplayResult(film.title, screenplay(project), speaker_names(project))
