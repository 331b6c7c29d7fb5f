"""The persistent manifest cache: an unchanged film loads without parsing a single file.

One file, ``.filmfs/cache/manifests-v1.msgpack``, holds for every manifest its stat key (size,
mtime_ns, ctime_ns, inode) and its own check (:data:`filmfs.manifests.batch.Checked`: the parsed
data and the file's own problems). A file whose key still matches is not read again; any write
changes its ctime, which no one can set back, so an edit, a touch, a same-size rewrite with the
old mtime restored, a rename or a replacement all miss. As Git does with its index, a file
changed within :data:`RACY_NS` of the cache being written is not stored: a second write in the
same clock tick would otherwise keep its key.

The cache is only ever a shortcut: safe to delete, written atomically (a temporary file renamed
over it), and ignored unless it was written by this filmfs version for these schemas (and this
PyYAML, and the very code that checks a file). msgpack holds only plain data, so a planted file
cannot run code; still, a film repo is untrusted, so the cache is ignored unless it is a
regular file owned by the user and not tracked by Git.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgpack
import yaml

from filmfs import layout
from filmfs.manifests import batch, loader, schema
from filmfs.manifests.batch import Checked, check_files
from filmfs.manifests.results import read_trusted, write_atomically
from filmfs.version import VERSION

CACHE_DIR = "cache"
CACHE_FILE = "manifests-v1.msgpack"
FORMAT = "filmfs manifest cache 2"
RACY_NS = 2_000_000_000

Key = tuple[int, int, int, int]


def key_of(info: os.stat_result) -> Key:
    """What identifies one version of a file without reading it."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def cache_path(root: Path) -> Path:
    return layout.state_dir(root) / CACHE_DIR / CACHE_FILE


def filmfs_version() -> str:
    return VERSION


@functools.cache
def _code() -> str:
    # The code that makes a file's own check: a change to it (even without a new version
    # number, as in development) must not be answered by checks the old code made.
    digest = hashlib.sha256()
    for module in (loader, schema, batch):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def stamp() -> list[str]:
    """Everything a cached check depends on besides the file itself."""
    return [FORMAT, filmfs_version(), _code(), schema.fingerprint(), yaml.__version__]


class ManifestCache:
    """Cached checks by path relative to the film root; see the module docstring."""

    def __init__(self, root: Path, entries: dict[str, list[Any]] | None = None) -> None:
        self.root = root
        self.entries: dict[str, list[Any]] = entries or {}
        self.seen: set[str] = set()
        self.changed = False

    @classmethod
    def open(cls, root: Path) -> ManifestCache:
        """The film's cache, or an empty one when there is none it may trust."""
        return cls(root, _read(root))

    def get(self, rel: str, key: Key, kind: str) -> Checked | None:
        self.seen.add(rel)
        entry = self.entries.get(rel)
        if entry is None or entry[0] != kind or tuple(entry[1]) != key:
            return None
        return (entry[2], entry[3], entry[4], entry[5])

    def put(self, rel: str, key: Key, kind: str, checked: Checked) -> None:
        self.seen.add(rel)
        self.entries[rel] = [kind, list(key), *checked]
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything changed; a cache that cannot be written is no error."""
        gone = self.entries.keys() - self.seen
        if not self.changed and not gone:
            return
        for rel in gone:
            del self.entries[rel]
        racy = time.time_ns() - RACY_NS
        kept = {
            rel: entry
            for rel, entry in self.entries.items()
            if entry[1][1] < racy and entry[1][2] < racy
        }
        try:
            payload = msgpack.packb([stamp(), kept], use_bin_type=True)
        except (TypeError, ValueError, OverflowError):
            # A value msgpack cannot hold (an integer past 64 bits): keep what can be kept.
            kept = {rel: e for rel, e in kept.items() if _packable(e)}
            payload = msgpack.packb([stamp(), kept], use_bin_type=True)
        write_atomically(cache_path(self.root), payload)
        self.changed = False


def _packable(entry: list[Any]) -> bool:
    try:
        msgpack.packb(entry, use_bin_type=True)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _read(root: Path) -> dict[str, list[Any]]:
    found = read_trusted(root, cache_path(root))
    if not isinstance(found, list) or len(found) != 2:
        return {}
    header, entries = found
    if header != stamp() or not isinstance(entries, dict):
        return {}
    return {
        rel: entry
        for rel, entry in entries.items()
        if isinstance(entry, list) and len(entry) == 6 and isinstance(entry[1], list)
    }


def check_manifests(
    root: Path, wanted: Sequence[tuple[Path, str, os.stat_result | None]], *, jobs: int | None
) -> tuple[dict[Path, Checked], list[Path]]:
    """Each wanted (path, kind, stat)'s own check, and the paths that were read afresh.

    Unchanged files are answered by the cache; the others are checked (in parallel when there
    are many) and stored back. Files that are gone are dropped from the cache.
    """
    cache = ManifestCache.open(root)
    prefix = str(root).rstrip(os.sep) + os.sep
    found: dict[Path, Checked] = {}
    todo: list[tuple[Path, str, str, Key | None]] = []
    for path, kind, info in wanted:
        text = str(path)
        if info is None or not stat.S_ISREG(info.st_mode) or not text.startswith(prefix):
            todo.append((path, kind, text, None))  # read to report why it cannot be read
            continue
        rel, key = text[len(prefix) :], key_of(info)
        hit = cache.get(rel, key, kind)
        if hit is None:
            todo.append((path, kind, rel, key))
        else:
            found[path] = hit
    fresh = check_files([(str(path), kind) for path, kind, _, _ in todo], jobs=jobs)
    for (path, kind, rel, stamp_key), checked in zip(todo, fresh, strict=True):
        found[path] = checked
        if stamp_key is not None:
            cache.put(rel, stamp_key, kind, checked)
    cache.save()
    return found, [path for path, _, _, _ in todo]
