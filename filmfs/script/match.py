"""Which scene of the film each scene of a re-imported script is.

A scene's identity is the ``source.key`` written in its file at first import; the script
itself carries no stable id (scene numbers are renumbered, headings renamed, scenes moved).
Each script scene is matched to a film scene in passes, strongest evidence first:

1. exact: heading, action and dialogue hash as recorded when the scene was last written
   (survives renumbering and reordering);
2. the same script scene number (``#12A#``) with the same heading or similar text;
3. the same heading, when only one film scene has it (dialogue or action edited);
4. fuzzy: text similarity (difflib ratio of heading + action + dialogue) of at least
   :data:`FUZZY`, best pairs first (a renamed heading with its content kept).

What is left over is new (script side) or removed (film side).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from filmfs.script.mapping import WantedScene, field_hash

FUZZY = 0.6


@dataclass(frozen=True)
class Known:
    """A film scene the script wrote before: its key and what it holds now."""

    key: str
    signature: tuple[str, ...]
    """The recorded hashes of heading, first-shot description and dialogue."""
    heading_hash: str
    script_number: str | None
    text: str


def match(wanted: Sequence[WantedScene], known: Sequence[Known]) -> list[str | None]:
    """The key of the film scene each wanted scene is, or None for a new one."""
    found: list[str | None] = [None] * len(wanted)
    free = {k.key: k for k in known}

    def take(index: int, key: str) -> None:
        found[index] = key
        del free[key]

    by_signature: dict[tuple[str, ...], list[str]] = {}
    for k in known:
        by_signature.setdefault(k.signature, []).append(k.key)
    for i, w in enumerate(wanted):
        keys = [key for key in by_signature.get(w.signature, []) if key in free]
        if keys:
            take(i, keys[0])
    for i, w in enumerate(wanted):
        number = w.scene.get("script_number")
        if found[i] is None and number:
            for k in list(free.values()):
                same = k.heading_hash == field_hash(w.scene["heading"])
                if k.script_number == number and (same or _ratio(k.text, w.text) >= FUZZY):
                    take(i, k.key)
                    break
    headings: dict[str, list[str]] = {}
    for k in free.values():
        headings.setdefault(k.heading_hash, []).append(k.key)
    wanted_headings: dict[str, int] = {}
    for i, w in enumerate(wanted):
        if found[i] is None:
            h = field_hash(w.scene["heading"])
            wanted_headings[h] = wanted_headings.get(h, 0) + 1
    for i, w in enumerate(wanted):
        h = field_hash(w.scene["heading"])
        keys = [key for key in headings.get(h, []) if key in free]
        if found[i] is None and len(keys) == 1 and wanted_headings.get(h) == 1:
            take(i, keys[0])
    _fuzzy(wanted, free, found)
    return found


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < FUZZY or matcher.quick_ratio() < FUZZY:
        return 0.0
    return matcher.ratio()


def _fuzzy(
    wanted: Sequence[WantedScene], free: Mapping[str, Known], found: list[str | None]
) -> None:
    pairs = sorted(
        (
            (-_ratio(k.text, w.text), i, k.key)
            for i, w in enumerate(wanted)
            if found[i] is None
            for k in free.values()
        ),
    )
    used: set[str] = set()
    for score, i, key in pairs:
        if -score < FUZZY:
            break
        if found[i] is None and key not in used:
            found[i] = key
            used.add(key)
