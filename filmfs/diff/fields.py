"""One field of a manifest, before and after: what changed, and free text word by word.

Works on any of the value objects of :mod:`filmfs.film.model` (fields compared as plain data), so
films, scenes, shots, takes, characters and assets are all compared by one function.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from filmfs.film.rate import rate_data

WordOp = tuple[Literal["=", "-", "+"], str]

# Free text compared word by word (a prompt edit is usually a few words in a long paragraph).
TEXT_FIELDS = {
    "prompt",
    "negative_prompt",
    "description",
    "notes",
    "synopsis",
    "appearance",
    "director_notes",
    "setting",
    "heading",
}
LIST_FIELDS = {"characters", "audio", "assets", "references"}
SKIPPED = {"path", "takes"}
IDENTITY = {"shot_number", "scene_number", "id", "attempt_number"}  # the key a change is under


@dataclass(frozen=True)
class FieldChange:
    """One field, old -> new (None when absent). Lists also say what was added and removed;
    free text carries a word-level diff."""

    field: str
    old: Any
    new: Any
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    words: tuple[WordOp, ...] = ()


def changed_fields(old: Any, new: Any) -> list[FieldChange]:
    """Changed fields of two value objects of one type (either may be None: all are new)."""
    sample = new if new is not None else old
    if sample is None:
        return []
    found = []
    for f in dataclasses.fields(sample):
        if f.name in SKIPPED or f.name in IDENTITY:
            continue
        a = plain(getattr(old, f.name)) if old is not None else None
        b = plain(getattr(new, f.name)) if new is not None else None
        if a == b or (old is None and b in (None, "", [], {})):
            continue
        found.append(_field(f.name, a, b))
    return found


def _field(name: str, old: Any, new: Any) -> FieldChange:
    if name in LIST_FIELDS:
        before, after = list(old or []), list(new or [])
        return FieldChange(
            name,
            old,
            new,
            added=tuple(x for x in after if x not in before),
            removed=tuple(x for x in before if x not in after),
        )
    if name in TEXT_FIELDS and isinstance(old, str) and isinstance(new, str):
        return FieldChange(name, old, new, words=tuple(word_diff(old, new)))
    return FieldChange(name, old, new)


def word_diff(old: str, new: str) -> list[WordOp]:
    """Runs of kept, removed and added words (whitespace is normalised to single spaces)."""
    a, b = old.split(), new.split()
    ops: list[WordOp] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", " ".join(b[j1:j2])))
    return ops


def plain(value: Any) -> Any:
    """A value object's field as JSON-ready data (for comparing and for --format json)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in SKIPPED
        }
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        return [plain(v) for v in value]
    if isinstance(value, Fraction):
        return rate_data(value)  # frame rates: 24, or exact "24000/1001"
    return value
