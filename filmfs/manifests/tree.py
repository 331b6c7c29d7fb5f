"""Where a film's manifests are read from: a folder on disk, or a Git revision held in memory.

:class:`filmfs.project.Project` reads through one of these, so the same checks run on the
working tree and on a commit, and reading a commit never writes a file: a crafted commit
(duplicate tree entries, a symlink then a folder of the same name) has nowhere to write to.
A revision's symlinks are resolved in memory the way the disk resolves them, and refused
when they lead outside the film, as on disk.
"""

from __future__ import annotations

import fnmatch
import hashlib
import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from filmfs.errors import ManifestError
from filmfs.manifests.loader import MAX_FILE_BYTES, decode, read_text

_MAX_HOPS = 40  # as the kernel's symlink limit (ELOOP)


class Tree(Protocol):
    """What :class:`filmfs.project.Project` reads a film through."""

    root: Path

    def kind(self, path: Path) -> str | None: ...

    def is_symlink(self, path: Path) -> bool: ...

    def children(self, folder: Path, pattern: str) -> list[Path]: ...

    def contains(self, path: Path) -> bool: ...

    def read(self, path: Path, display: str) -> str: ...


class DiskTree:
    """The film's folder as it is on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def kind(self, path: Path) -> str | None:
        """'dir', 'file' (following symlinks), or None when nothing is there."""
        if path.is_dir():
            return "dir"
        return "file" if path.exists() else None

    def is_symlink(self, path: Path) -> bool:
        return path.is_symlink()

    def children(self, folder: Path, pattern: str) -> list[Path]:
        return sorted(folder.glob(pattern))

    def contains(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError, RuntimeError):
            return False
        return True

    def read(self, path: Path, display: str) -> str:
        return read_text(path, display)


def blob_id(data: bytes) -> str:
    """Git's id of a blob holding ``data``."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


Fetch = Callable[[list[str]], dict[str, bytes]]


class MemoryTree:
    """A revision's files, held in memory: ``files`` maps POSIX paths relative to the film to
    their bytes; ``links`` maps symlinks to their targets. ``root`` is the film's folder the
    paths are shown under; nothing below it is read or written.

    :meth:`of_blobs` makes one whose files are Git blob ids, read (by ``fetch``) only when
    asked for: a file the manifest cache knows by its blob id is never read.
    """

    def __init__(self, root: Path, files: dict[str, bytes], links: dict[str, str]) -> None:
        self.root = root
        self.links = links
        self.ids = {path: blob_id(data) for path, data in files.items()}
        self.data = {self.ids[path]: data for path, data in files.items()}
        self.fetch: Fetch | None = None
        self._index()

    @classmethod
    def of_blobs(
        cls, root: Path, ids: dict[str, str], links: dict[str, str], fetch: Fetch
    ) -> MemoryTree:
        """A tree of ``ids`` (path -> blob id), whose bytes ``fetch`` reads by blob id."""
        tree = cls(root, {}, links)
        tree.ids = ids
        tree.fetch = fetch
        tree._index()
        return tree

    def _index(self) -> None:
        files, links = self.ids, self.links
        self.dirs = {""}
        self.names: dict[str, set[str]] = {"": set()}  # folder -> the names in it
        for rel in (*files, *links):
            parts = rel.split("/")
            for i in range(1, len(parts) + 1):
                folder = "/".join(parts[: i - 1])
                self.names.setdefault(folder, set()).add(parts[i - 1])
                if i < len(parts):
                    self.dirs.add("/".join(parts[:i]))

    def _rel(self, path: Path) -> str | None:
        # String work, not Path.relative_to: a revision's load asks this of every path.
        text, top = str(path), str(self.root)
        if text == top:
            return ""
        prefix = top if top.endswith("/") else top + "/"
        return text[len(prefix) :] if text.startswith(prefix) else None

    def _resolve(self, rel: str) -> str | None:
        """``rel`` with every symlink in it followed, in memory; None when it leaves the film
        or loops."""
        hops = 0
        parts = rel.split("/") if rel else []
        done: list[str] = []
        while parts:
            done.append(parts.pop(0))
            here = "/".join(done)
            if here in self.links:
                hops += 1
                if hops > _MAX_HOPS:
                    return None
                target = self.links[here]
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
                if target.startswith("/") or joined == ".." or joined.startswith("../"):
                    return None
                parts = [*(p for p in joined.split("/") if p not in ("", ".")), *parts]
                done = []
        return "/".join(done)

    def kind(self, path: Path) -> str | None:
        rel = self._rel(path)
        real = None if rel is None else self._resolve(rel)
        if real is None:
            return None
        if real in self.dirs:
            return "dir"
        return "file" if real in self.ids else None

    def is_symlink(self, path: Path) -> bool:
        return self._rel(path) in self.links

    def children(self, folder: Path, pattern: str) -> list[Path]:
        rel = self._rel(folder)
        real = None if rel is None else self._resolve(rel)
        if real is None or real not in self.dirs:
            return []
        names = self.names.get(real, set())
        return [folder / name for name in sorted(names) if fnmatch.fnmatchcase(name, pattern)]

    def contains(self, path: Path) -> bool:
        rel = self._rel(Path(posixpath.normpath(path.as_posix())))
        return rel is not None and self._resolve(rel) is not None

    def blob(self, path: Path) -> str | None:
        """The blob id of the regular file at ``path`` (symlinks followed); None when there
        is no such file."""
        rel = self._rel(path)
        real = None if rel is None else self._resolve(rel)
        return None if real is None else self.ids.get(real)

    def prefetch(self, blobs: Iterable[str]) -> None:
        """Read the bytes of ``blobs`` at once (one ``git cat-file`` for them all)."""
        missing = sorted({b for b in blobs if b not in self.data})
        if missing and self.fetch is not None:
            self.data.update(self.fetch(missing))

    def read(self, path: Path, display: str) -> str:
        rel = self._rel(path)
        real = None if rel is None else self._resolve(rel)
        if real is None or real not in self.ids:
            kind = "a folder" if real in self.dirs else "missing"
            raise ManifestError(display, 1, 1, f"not a regular file ({kind}); a manifest is a file")
        self.prefetch([self.ids[real]])
        return decode(self.data[self.ids[real]], display, limit=MAX_FILE_BYTES)
