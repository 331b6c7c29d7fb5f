"""What a sync changes: the change list shown to people, and the per-field merge rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmfs.script.mapping import field_hash


@dataclass(frozen=True)
class Change:
    """One file the sync writes: ``create``, ``update``, ``rename`` (to ``path``, from
    ``detail``), ``omit`` (shots of a removed scene) or ``conflict`` (a field kept as edited)."""

    action: str
    path: str
    fields: tuple[str, ...] = ()
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "path": self.path,
            "fields": list(self.fields),
            "detail": self.detail,
        }


@dataclass
class SyncPlan:
    changes: list[Change] = field(default_factory=list)
    writes: dict[Path, str] = field(default_factory=dict)
    deletes: list[Path] = field(default_factory=list)
    scenes: int = 0
    characters: int = 0

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.action == "conflict"]


def merge(
    current: dict[str, Any], wanted: dict[str, Any], names: Sequence[str], recorded: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str], list[str], list[str]]:
    """(changes, new recorded hashes, changed fields, conflicting fields) of one file."""
    changes: dict[str, Any] = {}
    record = dict(recorded)
    changed: list[str] = []
    conflicts: list[str] = []
    for name in names:
        new, cur = wanted.get(name), current.get(name)
        if new == cur:
            if new is None:
                record.pop(name, None)
            else:
                record[name] = field_hash(new)
            continue
        untouched = cur is None or field_hash(cur) == recorded.get(name)
        if not untouched:
            if recorded.get(name) != (field_hash(new) if new is not None else None):
                conflicts.append(name)
            continue
        changes[name] = new
        changed.append(name)
        if new is None:
            record.pop(name, None)
        else:
            record[name] = field_hash(new)
    return changes, record, changed, conflicts
