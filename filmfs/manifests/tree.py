"""Where a film's manifests are read from: a folder on disk, or a Git revision held in memory.

:class:`filmfs.project.Project` reads through one of these, so the same checks run on the
working tree and on a commit, and reading a commit never writes a file: a crafted commit
(duplicate tree entries, a symlink then a folder of the same name) has nowhere to write to.
A revision's symlinks are resolved in memory the way the disk resolves them, and refused
when they lead outside the film, as on disk.
"""

from __future__ import annotations

import fnmatch
import posixpath
import stat
from collections.abc import Iterable
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


class MemoryTree:
    """A revision's files, held in memory: ``files`` maps POSIX paths relative to the film to
    their bytes; ``links`` maps symlinks to their targets. ``root`` is the film's folder the
    paths are shown under; nothing below it is read or written."""

    def __init__(self, root: Path, files: dict[str, bytes], links: dict[str, str]) -> None:
        self.root = root
        self.files = files
        self.links = links
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
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            return None
        return "" if rel == "." else rel

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
        return "file" if real in self.files else None

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

    def read(self, path: Path, display: str) -> str:
        rel = self._rel(path)
        real = None if rel is None else self._resolve(rel)
        if real is None or real not in self.files:
            kind = "a folder" if real in self.dirs else "missing"
            raise ManifestError(display, 1, 1, f"not a regular file ({kind}); a manifest is a file")
        return decode(self.files[real], display, limit=MAX_FILE_BYTES)


def split_entries(
    entries: Iterable[tuple[str, int, bytes]],
) -> tuple[dict[str, bytes], dict[str, str]]:
    """(files, links) of a revision's (path, mode, bytes) entries."""
    files: dict[str, bytes] = {}
    links: dict[str, str] = {}
    for path, mode, data in entries:
        if stat.S_ISLNK(mode):
            links[path] = data.decode("utf-8", "replace")
        elif stat.S_ISREG(mode):
            files[path] = data
    return files, links
