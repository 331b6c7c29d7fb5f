"""The manifest cache of a Git revision's files: each file's own check, keyed by its blob id.

A blob id is the hash of a file's bytes, so it is a perfect key: a file Git holds under a
known id is neither read nor parsed again, whatever commit it is in (most files of two
revisions are the same blobs). Entries are :data:`filmfs.manifests.batch.Checked`, as in the
working tree's cache (:mod:`filmfs.manifests.cache`), under the same stamp (filmfs version,
checking code, schemas, PyYAML) and the same rules: plain msgpack data in
``.filmfs/cache/blobs-v1.msgpack``, written atomically, read only when it is a regular file of
this user that Git does not track, and written only into a film that is on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgpack

from filmfs import layout
from filmfs.errors import ManifestError
from filmfs.manifests.batch import Checked, check_texts
from filmfs.manifests.cache import CACHE_DIR, stamp
from filmfs.manifests.results import read_trusted, write_atomically
from filmfs.manifests.tree import MemoryTree

BLOBS_FILE = "blobs-v1.msgpack"
MAX_KEPT = 200_000
"""Entries kept across runs (those of this run first): a few revisions of a large film."""


def blobs_path(root: Path) -> Path:
    return layout.state_dir(root) / CACHE_DIR / BLOBS_FILE


def _read(root: Path) -> dict[str, list[Any]]:
    found = read_trusted(root, blobs_path(root))
    if not isinstance(found, list) or len(found) != 2 or found[0] != stamp():
        return {}
    entries = found[1]
    if not isinstance(entries, dict):
        return {}
    return {
        key: entry
        for key, entry in entries.items()
        if isinstance(key, str) and isinstance(entry, list) and len(entry) == 4
    }


def check_blobs(
    root: Path, tree: MemoryTree, wanted: Sequence[tuple[Path, str]], *, jobs: int | None = None
) -> tuple[dict[Path, Checked], list[Path]]:
    """Each wanted (path, kind)'s own check in ``tree``, and the paths read afresh.

    Blobs the cache knows are not read; the others are read at once, checked (in parallel
    when there are many) and stored back.
    """
    entries = _read(root)
    used: dict[str, list[Any]] = {}
    found: dict[Path, Checked] = {}
    todo: list[tuple[Path, str, str]] = []
    for path, kind in wanted:
        blob = tree.blob(path)
        key = f"{blob}:{kind}"
        hit = entries.get(key) if blob is not None else None
        if hit is not None:
            found[path] = (hit[0], hit[1], hit[2], hit[3])
            used[key] = hit
        elif blob is None:
            found[path] = _unreadable(tree, path)
        else:
            todo.append((path, kind, blob))
    tree.prefetch(blob for _, _, blob in todo)
    texts: list[tuple[str, str, str]] = []
    keys: list[tuple[Path, str]] = []
    for path, kind, blob in todo:
        try:
            text = tree.read(path, str(path))
        except ManifestError as exc:
            found[path] = (False, None, [[exc.line, exc.col, exc.detail, "error"]], None)
            used[f"{blob}:{kind}"] = list(found[path])
            continue
        texts.append((text, kind, str(path)))
        keys.append((path, f"{blob}:{kind}"))
    for (path, key), checked in zip(keys, check_texts(texts, jobs=jobs), strict=True):
        found[path] = checked
        used[key] = list(checked)
    if todo and layout.film_file(root).is_file():
        _save(root, used, entries)
    return found, [path for path, _, _ in todo]


def _unreadable(tree: MemoryTree, path: Path) -> Checked:
    """Why ``path`` (no regular file in the revision) cannot be read, as the reader says it."""
    try:
        tree.read(path, str(path))
    except ManifestError as exc:
        return (False, None, [[exc.line, exc.col, exc.detail, "error"]], None)
    return (False, None, [[1, 1, "not a regular file; a manifest is a file", "error"]], None)


def _save(root: Path, used: dict[str, list[Any]], old: dict[str, list[Any]]) -> None:
    kept = dict(used)
    for key, entry in old.items():
        if len(kept) >= MAX_KEPT:
            break
        kept.setdefault(key, entry)
    try:
        payload = msgpack.packb([stamp(), kept], use_bin_type=True)
    except (TypeError, ValueError, OverflowError):
        return  # a value msgpack cannot hold (an integer past 64 bits): parsed again next time
    write_atomically(blobs_path(root), payload)
