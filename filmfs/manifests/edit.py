"""Schema-checked manifest edits: the writes behind the Python API (:mod:`filmfs.api.repo`).

Every write is checked against the kind's JSON Schema *before* it touches the disk, then goes
through :mod:`filmfs.manifests.writer` (atomic; round-trip on update so comments survive).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filmfs.errors import FilmfsError
from filmfs.manifests import schema, writer
from filmfs.manifests.loader import load, parse

# Schema kind of each file by asset type.
KIND = {
    "film": "film",
    "scene": "scene",
    "shot": "shot",
    "shot_take": "take",
    "character_ref": "character",
    "audio": "asset",
    "image": "asset",
    "text": "asset",
    "video": "asset",
}


def check(data: Mapping[str, Any], kind: str, display: str) -> None:
    """Raise FilmfsError naming every schema problem of ``data`` as a ``kind`` manifest."""
    document = parse(writer.dump(data), display)
    problems = schema.check(document, kind)
    if problems:
        listed = "\n".join(f"  {p.message}" for p in problems)
        raise FilmfsError(f"{display}: refusing to write an invalid {kind}:\n{listed}")


def create(path: Path, data: Mapping[str, Any], *, root: Path, kind: str) -> None:
    """Write a new manifest; refuse to overwrite one."""
    display = path.relative_to(root).as_posix()
    if path.exists():
        raise FilmfsError(f"{display} already exists", hint="use update_asset to change it")
    check(data, kind, display)
    writer.write_new(path, data, root=root, kind=kind)


def current(path: Path) -> dict[str, Any]:
    """A manifest's data as plain values (for merging and checking)."""
    data = load(path, path.name).data
    return dict(data) if isinstance(data, dict) else {}


def change(path: Path, changes: Mapping[str, Any], *, root: Path, kind: str) -> None:
    """Set top-level fields of a manifest (None removes one), checked, keeping comments."""
    merged = {**current(path), **changes}
    merged = {key: value for key, value in merged.items() if value is not None}
    check(merged, kind, path.relative_to(root).as_posix())
    writer.update(path, changes)


def append(path: Path, field: str, value: str, *, root: Path, kind: str) -> None:
    """Add ``value`` to a list field unless it is there already."""
    items = list(current(path).get(field) or [])
    if value not in items:
        change(path, {field: [*items, value]}, root=root, kind=kind)
