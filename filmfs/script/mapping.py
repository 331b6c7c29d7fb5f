"""What a script says a film should hold: scene, first-shot and character fields.

Each field here is *script-owned*: the sync writes it, records a hash of what it wrote
(``source.fields``), and later only replaces it while it still holds that value.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from filmfs.film.dialogue import fitting_duration
from filmfs.film.model import Dialogue, number
from filmfs.script.parse import Line, ScriptScene

SCENE_FIELDS = ("heading", "setting", "description", "script_number")
SHOT_FIELDS = ("description", "prompt", "characters", "dialogue", "duration_target")
CHARACTER_FIELDS = ("name",)

# Schema limits (schemas/*.schema.json) the script's text is cut to.
_LIMITS = {
    "heading": 200,
    "setting": 500,
    "scene_description": 5000,
    "description": 2000,
    "prompt": 4000,
    "line": 2000,
    "parenthetical": 200,
    "extension": 40,
}


# How a heading's prefix reads in a prompt.
_PLACES = {
    "INT": "Interior",
    "EXT": "Exterior",
    "EST": "Establishing shot",
    "I/E": "Interior and exterior",
    "INT/EXT": "Interior and exterior",
    "EXT/INT": "Exterior and interior",
}


def field_hash(value: Any) -> str:
    """16 hex of the sha256 of a field's value (as canonical JSON)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def character_id(name: str) -> str:
    """A character's id from its cue: ``MARY JANE`` gives ``mary-jane``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")
    return slug or "character"


def _cut(text: str, key: str) -> str:
    limit = _LIMITS[key]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _dialogue(line: Line) -> Dialogue:
    return Dialogue(
        character=character_id(line.character),
        line=_cut(line.text, "line"),
        parenthetical=_cut(line.parenthetical, "parenthetical"),
        extension=_cut(line.extension, "extension"),
    )


@dataclass(frozen=True)
class WantedScene:
    """One script scene as film fields: the scene's and its first shot's."""

    scene: dict[str, Any]
    shot: dict[str, Any]
    script: ScriptScene

    @property
    def text(self) -> str:
        """What fuzzy matching compares: heading, action and dialogue."""
        return scene_text(
            self.scene.get("heading", ""), self.shot["description"], self.shot["dialogue"]
        )

    @property
    def signature(self) -> tuple[str, ...]:
        """Hashes of the fields that identify a scene unchanged (for exact matching)."""
        return (
            field_hash(self.scene["heading"]),
            field_hash(self.shot["description"]),
            field_hash(self.shot["dialogue"]),
        )


def wanted_scene(scene: ScriptScene, known: dict[str, str]) -> WantedScene:
    """The film fields of ``scene``; ``known`` maps every speaking character's id to its name
    (to link characters named in the action, not only the ones who speak)."""
    action = " ".join(scene.action)
    setting = scene.location or scene.heading or "unnamed"
    heading = _cut(scene.heading, "heading")
    lines = [_dialogue(line) for line in scene.dialogue]
    speakers = list(dict.fromkeys(line.character for line in lines))
    words = set(re.findall(r"[a-z0-9']+", action.lower()))
    named = [cid for cid, name in known.items() if name.lower() in words and cid not in speakers]
    data: dict[str, Any] = {
        "heading": heading,
        "setting": _cut(setting, "setting"),
        "description": _cut(scene.synopsis or action, "scene_description"),
    }
    if scene.number:
        data["script_number"] = scene.number
    description = _cut(action or heading, "description")
    where = _PLACES.get(scene.place.rstrip(".").replace(".", ""), "")
    place = ", ".join(part for part in (where, setting, scene.time.lower()) if part)
    shot: dict[str, Any] = {
        "description": description,
        "prompt": _cut(f"{place}. {action}".strip() if action else place or heading, "prompt"),
        "characters": speakers + named,
        "dialogue": [line.as_data() for line in lines],
        "duration_target": number(float(fitting_duration(lines))),
    }
    return WantedScene(scene=data, shot=shot, script=scene)


def wanted_characters(names: list[str]) -> dict[str, str]:
    """Speaking characters by id -> name as first written (``McCLANE`` keeps its case)."""
    found: dict[str, str] = {}
    for name in names:
        found.setdefault(character_id(name), name)
    return found


def scene_text(heading: str, description: str, dialogue: list[dict[str, Any]]) -> str:
    """A scene as one text for similarity: heading, first-shot description, dialogue."""
    lines = [f"{d.get('character', '')}: {d.get('line', '')}" for d in dialogue]
    return "\n".join([heading, description, *lines])
