"""`filmfs media gc`: delete local objects no manifest references (DVC's `gc` scopes).

``workspace`` keeps what the working tree's manifests reference; ``all-commits`` also keeps
what any commit reachable from a branch, tag or stash references. ``derived_from`` entries
count as references. Stale temp files go too, and cache index entries whose object is gone.
Do not run it while `filmfs generate` is storing takes: a new object is referenced only once
its take file is written.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from filmfs import vcs
from filmfs.errors import FilmfsError
from filmfs.project import Project
from filmfs.store.objects import MediaStore, is_sha256
from filmfs.store.refs import history_references, tree_references

Scope = Literal["workspace", "all-commits"]


@dataclass
class GcResult:
    scope: Scope
    dry_run: bool
    kept: int = 0
    removed: list[str] = field(default_factory=list)
    bytes: int = 0
    temp_files: int = 0
    index_entries: int = 0


def referenced(project: Project, scope: Scope) -> set[str]:
    keep = {ref.sha256 for ref in tree_references(project.root)}
    if scope == "all-commits":
        if vcs.find_toplevel(project.root) is None:
            raise FilmfsError(
                f"{project.root} is not in a Git repository: there are no commits to scan",
                hint="use --scope workspace",
            )
        keep |= {ref.sha256 for ref in history_references(project)}
    return keep


def gc(project: Project, *, scope: Scope = "workspace", dry_run: bool = False) -> GcResult:
    store = project.store
    keep = referenced(project, scope)
    result = GcResult(scope=scope, dry_run=dry_run)
    for obj in store.iter_objects():
        if obj.sha256 in keep:
            result.kept += 1
            continue
        result.removed.append(obj.sha256)
        result.bytes += obj.size
        if not dry_run:
            obj.path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                obj.path.parent.rmdir()  # only when that fan-out folder is now empty
    if not dry_run:
        result.temp_files = store.clean_tmp()
        result.index_entries = clean_indexes(store)
    return result


def clean_indexes(store: MediaStore) -> int:
    """Remove cache entries about objects no longer in the store; returns how many.

    Two shapes exist: ``cache/<name>/<key>`` holding a sha256 (``MediaStore.index_set``),
    and ``cache/<name>/<sha256>.json`` (the probe cache).
    """
    removed = 0
    if not store.cache.is_dir():
        return 0
    for folder in store.cache.iterdir():
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if _points_at_missing(store, entry):
                entry.unlink(missing_ok=True)
                removed += 1
    return removed


def _points_at_missing(store: MediaStore, entry: Path) -> bool:
    if not entry.is_file():
        return False
    stem = entry.name.split(".", 1)[0]
    if is_sha256(stem):
        return not store.has(stem)
    if entry.stat().st_size > 100:
        return False
    sha = entry.read_text(errors="replace").strip()
    return is_sha256(sha) and not store.has(sha)
