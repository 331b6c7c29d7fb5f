"""A command's whole result, kept while nothing it was made from has changed.

`filmfs validate` of an unchanged 40,000-file film answers from here without parsing, loading
or checking anything: the result is stored with a :class:`Watch`, the stat of every file and
folder it was made from (what :meth:`filmfs.project.Project.load` looked at, and what the
command read besides), and a key of everything else it depends on (filmfs's code and schemas,
the working directory, the options, the environment). It is answered again only when the key
is the same and a fresh stat of every watched path is identical. Any write to a file changes
its ctime, which no one can set back, and an entry added to, removed from or renamed in a
folder changes the folder's; so an edit, a touch, a same-size rewrite with the old mtime
restored, a rename, a new or a deleted file all miss. As Git does with its index, a result made
from a path changed within :data:`RACY_NS` of now is not kept. What a watch cannot see (a
symlink's target) makes the result one not to keep (:meth:`Watch.refuse`).

The files follow the manifest cache's rules (:mod:`filmfs.manifests.cache`): plain msgpack
data, written atomically, safe to delete, and read only when they are regular files of this
user that Git does not track.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import tempfile
import time
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgpack

from filmfs import fork, layout

CACHE_DIR = "cache"
FORMAT = "filmfs result cache 1"
RACY_NS = 2_000_000_000

StatKey = tuple[int, int, int, int, int] | None


def stat_key(info: os.stat_result | None) -> StatKey:
    """What identifies one version of a file or folder without reading it (None: absent)."""
    if info is None:
        return None
    return (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _now(path: str, follow: bool) -> StatKey:
    try:
        return stat_key(os.stat(path) if follow else os.lstat(path))
    except (OSError, ValueError):
        return None


class Watch:
    """Paths and their stat keys as they were when a result was made."""

    def __init__(self) -> None:
        self.lstat: dict[str, StatKey] = {}
        self.stat: dict[str, StatKey] = {}
        self.refused: str | None = None

    def add(self, path: Path | str, info: os.stat_result | None) -> None:
        """``path`` as seen by an earlier ``lstat`` (its result, or None when absent)."""
        self.lstat[str(path)] = stat_key(info)

    def look(self, path: Path | str, *, follow: bool = False) -> None:
        """Stat ``path`` now (following symlinks with ``follow``) and watch it."""
        text = str(path)
        (self.stat if follow else self.lstat)[text] = _now(text, follow)

    def refuse(self, why: str) -> None:
        """The result depends on something no stat shows: it is not kept."""
        self.refused = self.refused or why

    def settled(self, now_ns: int) -> bool:
        """Whether every watched path is older than the racy window."""
        limit = now_ns - RACY_NS
        return all(
            key is None or (key[2] < limit and key[3] < limit)
            for keys in (self.lstat, self.stat)
            for key in keys.values()
        )


_ABSENT = (-1, -1, -1, -1, -1)


# Below this many paths a child costs more (its fork, ~2 ms) than the half it would stat.
_FORK_ABOVE = 8192


def keys_now(paths: list[str], *, follow: bool) -> bytes:
    """The stat keys of ``paths`` now, packed as 64-bit integers (-1s for an absent path).

    A stat is a short system call wrapped in Python, which two threads only slow down; for a
    large film the second half is stat'ed by a forked child on the other core (the 50,000
    stats of a 10,000-shot film take ~0.3 s in one process, ~0.17 s in two)."""
    if len(paths) <= _FORK_ABOVE:
        return _keys(paths, follow)
    half = len(paths) // 2
    with fork.beside(lambda: _keys(paths[half:], follow)) as second:
        if second is None:
            return _keys(paths, follow)
        first = _keys(paths[:half], follow)
        rest = second()
    if rest is None or len(rest) != 5 * 8 * (len(paths) - half):
        rest = _keys(paths[half:], follow)  # the child gave no whole answer
    return first + rest


def _keys(paths: list[str], follow: bool) -> bytes:
    look = os.stat if follow else os.lstat
    found = array("q")
    add = found.extend
    for path in paths:
        try:
            info = look(path)
        except (OSError, ValueError):
            add(_ABSENT)
            continue
        add((info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return found.tobytes()


def _split(joined: str) -> list[str]:
    return joined.split("\0") if joined else []


def _packed(keys: Iterable[StatKey]) -> bytes:
    found = array("q")
    for key in keys:
        found.extend(_ABSENT if key is None else key)
    return found.tobytes()


@functools.cache
def code_fingerprint() -> str:
    """The filmfs code and data installed: every file's name, size and mtime (an upgrade, or an
    edit in a development checkout, changes it), with the Python version."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(sys.version.encode())
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            info = os.stat(os.path.join(folder, name))
            digest.update(f"{folder}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def result_path(root: Path, name: str) -> Path:
    return layout.state_dir(root) / CACHE_DIR / f"{name}-v1.msgpack"


def recall(root: Path, name: str, key: list[Any]) -> Any:
    """The kept result ``name`` made under ``key``, when nothing it watched has changed;
    None otherwise."""
    found = read_trusted(root, result_path(root, name))
    if not isinstance(found, list) or len(found) != 7 or found[:2] != [FORMAT, key]:
        return None
    _, _, lpaths, lkeys, spaths, skeys, value = found
    try:
        # Every path is looked at, even after a change: an unchanged film is what is fast.
        if keys_now(_split(lpaths), follow=False) == lkeys and (
            keys_now(_split(spaths), follow=True) == skeys
        ):
            return value
    except (AttributeError, TypeError, OverflowError):  # not the shape written: not ours
        return None
    return None


def keep(root: Path, name: str, key: list[Any], watch: Watch, value: Any) -> bool:
    """Store ``value`` as result ``name`` under ``key``; False when it may not be kept."""
    path = result_path(root, name)
    if watch.refused or not watch.settled(time.time_ns()):
        return False
    lstats, stats = watch.lstat, watch.stat
    if any("\0" in path for path in (*lstats, *stats)):
        return False  # no file name holds one; the paths are kept joined by it
    try:
        payload = msgpack.packb(
            [FORMAT, key, "\0".join(lstats), _packed(lstats.values()), "\0".join(stats),
             _packed(stats.values()), value],
            use_bin_type=True,
        )  # fmt: skip
    except (TypeError, ValueError, OverflowError):
        return False
    write_atomically(path, payload)
    return True


def read_trusted(root: Path, path: Path) -> Any:
    """The msgpack data of a cache file of the film at ``root``; None when there is none or it
    may not be trusted (not a regular file of this user, tracked by Git, corrupt)."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or _tracked(root):
        return None
    try:
        return msgpack.unpackb(path.read_bytes(), raw=False, use_list=True)
    except Exception:  # truncated, corrupt or not ours: it is only a cache
        return None


def write_atomically(path: Path, payload: bytes) -> None:
    """Write a cache file (a temporary file renamed over it); failing to is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# filmfs's caches: never committed\n*\n")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only film, a full disk: the next run works it out again


def git_dir(root: Path) -> Path | None:
    """The Git folder of the repository ``root`` is in (following a worktree's .git file)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            text = dot_git.read_text("utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()).resolve()
            return None
    return None


def _tracked(root: Path) -> bool:
    """Whether Git tracks anything under a .filmfs/cache/ folder (then the cache is not ours).

    Read straight from the index (a few ms on a 40,000-file film; no git process): index
    versions 2 and 3 hold whole paths. Version 4 compresses them, so the cache is not trusted.
    """
    found = git_dir(root)
    if found is None:
        return False
    try:
        index = (found / "index").read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    if index[:4] != b"DIRC" or int.from_bytes(index[4:8], "big") not in (2, 3):
        return True
    needle = f"{layout.STATE_DIR}/{CACHE_DIR}/".encode()
    return needle in index


def watch_git(root: Path, watch: Watch) -> None:
    """Watch what says which files Git tracks under ``root``: each ``.git`` looked for on the
    way up, and the index of the repository found."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        watch.look(dot_git)
        if os.path.lexists(dot_git):
            if dot_git.is_symlink():
                watch.refuse(f"{dot_git} is a symlink")
            found = git_dir(root)
            if found is not None:
                watch.look(found / "index")
            return
