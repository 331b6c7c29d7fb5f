"""The content-addressed media store under ``<film>/.filmfs/``.

Objects live at ``objects/<2 hex>/<62 hex>`` of their sha256, the layout DVC and git-lfs users
know. Every write goes to ``tmp/`` (same filesystem) first and is published with
``os.replace``, which is atomic: a kill at any moment leaves either no object or a whole one
at an object path, never half of one. Stray temp files are harmless and can be swept.

A film repository is untrusted input, and so is whatever sits in its store: objects are opened
without following symlinks (``O_NOFOLLOW`` on every component below ``objects/``), the store's
folders must resolve inside the film, and every read that leaves the store
(:meth:`MediaStore.copy_out`, :meth:`MediaStore.verified_path`) hashes the bytes it hands on.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import mmap
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from filmfs.errors import StoreError
from filmfs.manifests.results import StatKey, stat_key
from filmfs.manifests.writer import make_folder, write_error

CHUNK = 1 << 20  # 1 MiB reads: hashing speed is flat above this, memory stays small
_SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: str) -> bool:
    """True for 64 lowercase hex digits."""
    return bool(_SHA256.fullmatch(value))


def check_sha256(value: str) -> str:
    if not is_sha256(value):
        raise StoreError(f"not a sha256 (64 lowercase hex digits): {value!r}")
    return value


def hash_file(path: Path) -> tuple[str, int]:
    """Stream-hash ``path``; returns (sha256 hex, size in bytes)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def link_or_copy(
    source: Path,
    dest: Path,
    *,
    read_only: bool = False,
    check: Callable[[Path], None] | None = None,
) -> None:
    """Put ``source``'s bytes at ``dest`` atomically: a hard link to it, else a copy.

    A link costs nothing and, like DVC's hardlink cache type, shares the store's read-only
    file; a copy is made across filesystems (``read_only``: made read-only like the store's).
    Either is made beside ``dest`` and renamed over it, after ``check`` has seen it.
    """
    make_folder(dest.parent)
    tmp = dest.with_name(f".{dest.name}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
            if read_only:
                os.chmod(tmp, 0o444)
        if check is not None:
            check(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        raise write_error(dest, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


def hash_own_file(path: Path) -> tuple[str, int]:
    """:func:`hash_file` for a file this process made and nothing else writes (the cut just
    rendered): hashed through a read-only map, without copying it out of the page cache
    (~10% faster). Not for other files: one truncated while mapped would kill the process."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            return hashlib.sha256().hexdigest(), 0
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            mapped.madvise(mmap.MADV_SEQUENTIAL)
            return hashlib.sha256(mapped).hexdigest(), size


class CorruptObject(StoreError):
    """Bytes whose sha256 is not the one they are stored or fetched under."""


# Read-only, never through a symlink, never a FIFO that blocks the open.
_NOFOLLOW_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_DIRECTORY", 0)
STORE_FOLDERS = ("objects", "tmp", "cache", "locks")


@dataclass(frozen=True)
class StoredObject:
    """An object in the store: its sha256, size and path."""

    sha256: str
    size: int
    path: Path
    published: bool = field(default=False, compare=False)
    """Written by this call (its bytes hashed on the way in), not found already present."""


@dataclass(frozen=True)
class Staged:
    """Bytes copied into the store's ``tmp/``, hashed and synced, not yet published."""

    path: Path
    sha256: str
    size: int
    source: StatKey = None  # what the copied file was, when it was copied

    def check_source(self, src: Path) -> None:
        """StoreError if ``src`` is no longer the file copied (what was read of it alongside
        the copy, a probe, may be of other bytes)."""
        try:
            now = stat_key(os.stat(src))
        except OSError:
            now = None
        if now != self.source:
            raise StoreError(f"cannot store {src}: it changed while being stored")


class MediaStore:
    """Content-addressed store rooted at ``root`` (normally ``<film>/.filmfs``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.cache = self.root / "cache"
        check_inside(self.root)

    def path_of(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.objects / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        """Whether the object is present as a regular file (a symlink does not count)."""
        try:
            with self.open(sha256):
                return True
        except StoreError:
            return False

    def present(self, shas: Iterable[str]) -> set[str]:
        """Which of ``shas`` are in the store, as :meth:`has` says of each, from one listing
        per folder of ``objects/`` (a 30,000-take film asks about every take's video)."""
        wanted: dict[str, list[str]] = {}
        for sha in shas:
            try:
                check_sha256(sha)
            except StoreError:
                continue  # not an object name: not there, as has() says
            wanted.setdefault(sha[:2], []).append(sha)
        found: set[str] = set()
        if not _real_folder(self.objects):
            return found
        for prefix, group in wanted.items():
            folder = self.objects / prefix
            if not _real_folder(folder):
                continue
            try:
                with os.scandir(folder) as listing:
                    files = {e.name for e in listing if e.is_file(follow_symlinks=False)}
            except OSError:
                continue
            found.update(sha for sha in group if sha[2:] in files)
        return found

    def require(self, sha256: str, *, what: str = "media") -> Path:
        """Path of an object that must be present; StoreError with the fix if it is not."""
        path = self.path_of(sha256)
        if not self.has(sha256):
            raise StoreError(
                f"{what}: object {sha256} is missing from the media store ({path})",
                hint="run `filmfs pull` to fetch it from the remote, or regenerate the take",
            )
        return path

    @contextlib.contextmanager
    def open(self, sha256: str) -> Iterator[BinaryIO]:
        """The object opened for reading, never through a symlink (nor a symlinked folder
        below ``objects/``), and only when it is a regular file; StoreError otherwise."""
        path = self.path_of(sha256)
        fd = -1
        try:
            parent = os.open(self.objects, _DIR_FLAGS)
            try:
                sub = os.open(sha256[:2], _DIR_FLAGS, dir_fd=parent)
                try:
                    fd = os.open(sha256[2:], _NOFOLLOW_READ, dir_fd=sub)
                finally:
                    os.close(sub)
            finally:
                os.close(parent)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StoreError(f"object {sha256[:12]} is not a regular file ({path}); refused")
            os.set_blocking(fd, True)
        except OSError as exc:
            if fd >= 0:
                os.close(fd)
            reason = "a symlink; refused" if exc.errno == errno.ELOOP else exc.strerror
            raise StoreError(
                f"object {sha256[:12]} cannot be read from the media store ({path}): {reason}",
                hint="run `filmfs pull` to fetch it again, or regenerate the take",
            ) from None
        except StoreError:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as handle:
            yield handle

    def verify(self, sha256: str) -> bool:
        """Re-hash the object; False if it is missing or its bytes do not match its name."""
        try:
            self.verified_path(sha256)
        except StoreError:
            return False
        return True

    def verified_path(self, sha256: str, *, what: str = "media") -> Path:
        """The path of an object whose bytes were just read (without following symlinks) and
        hash to its name: what a reader that needs a path (ffmpeg, an OTIO bundle) is given.
        CorruptObject when they do not, StoreError when it is missing or not a regular file."""
        path = self.require(sha256, what=what)
        digest = hashlib.sha256()
        with self.open(sha256) as source:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
        _check_digest(sha256, digest.hexdigest(), path, what=what)
        return path

    def copy_out(self, sha256: str, dest: Path, *, what: str = "media") -> Path:
        """Copy an object to ``dest`` (atomically), hashing while copying: ``dest`` is
        replaced only by bytes that hash to ``sha256``; CorruptObject otherwise."""
        path = self.require(sha256, what=what)
        dest = Path(dest)
        digest = hashlib.sha256()
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        try:
            with self.open(sha256) as source, open(tmp, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            _check_digest(sha256, digest.hexdigest(), path, what=what)
            os.replace(tmp, dest)
        except OSError as exc:
            raise StoreError(
                f"cannot copy {what} {sha256[:12]} to {dest}: {exc.strerror or exc}",
                hint="check the folder is writable and the disk is not full",
            ) from None
        finally:
            tmp.unlink(missing_ok=True)
        return dest

    def iter_objects(self) -> Iterator[StoredObject]:
        """Every object stored as a regular file (symlinks and stray files are skipped)."""
        if not _is_real_dir(self.objects):
            return
        for sub in sorted(self.objects.iterdir()):
            if not _is_real_dir(sub) or len(sub.name) != 2:
                continue
            for obj in sorted(sub.iterdir()):
                sha = sub.name + obj.name
                info = obj.lstat()
                if is_sha256(sha) and stat.S_ISREG(info.st_mode):
                    yield StoredObject(sha, info.st_size, obj)

    def clean_tmp(self, *, older_than: float = 3600.0) -> int:
        """Remove temp files a killed process left behind; returns how many.

        Only files untouched for ``older_than`` seconds go, so a running writer keeps its own.
        """
        if not self.tmp.is_dir():
            return 0
        cutoff = time.time() - older_than
        removed = 0
        for entry in self.tmp.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if entry.is_file() and entry.stat().st_mtime <= cutoff:
                    entry.unlink()
                    removed += 1
        return removed

    @contextlib.contextmanager
    def temp_path(self, suffix: str = "") -> Iterator[Path]:
        """A fresh path in ``tmp/`` (not yet created); removed on exit unless it was moved."""
        make_folder(self.tmp)
        try:
            fd, name = tempfile.mkstemp(suffix=suffix, dir=self.tmp)
        except OSError as exc:
            raise StoreError(f"cannot write in {self.tmp}: {exc.strerror or exc}") from exc
        os.close(fd)
        path = Path(name)
        try:
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def put_file(
        self, src: Path, *, move: bool = False, hashed: tuple[str, int] | None = None
    ) -> StoredObject:
        """Add ``src`` to the store; an object already present is not rewritten.

        With ``move=True`` the source is consumed (renamed in when it is on the same
        filesystem, which is the case for files made in :meth:`temp_path`). Otherwise it is
        copied in and hashed in the same pass (:meth:`copy_in`). ``hashed`` is
        ``hash_file(src)`` when the caller already has it; what is stored is checked against it.
        """
        src = Path(src)
        if not src.is_file():
            raise StoreError(f"cannot store {src}: no such file")
        if not move:
            with self.temp_path(".obj") as tmp:
                staged = self.copy_in(src, tmp)
                if hashed is not None and hashed != (staged.sha256, staged.size):
                    raise StoreError(f"cannot store {src}: it changed while being stored")
                return self.publish(staged)
        sha, size = hashed or hash_file(src)
        dest = self.path_of(sha)
        if self.has(sha) and _size_of(dest) == size:
            src.unlink()
            return StoredObject(sha, size, dest)
        with self.temp_path(".obj") as tmp:
            try:
                os.replace(src, tmp)
            except OSError:  # another filesystem: copy it in, then drop the source
                staged = self.copy_in(src, tmp)
                if staged.sha256 != sha:
                    raise StoreError(f"cannot store {src}: it changed while being stored") from None
                src.unlink()
            return self.publish(Staged(tmp, sha, size))

    def copy_in(self, src: Path, tmp: Path, *, since: os.stat_result | None = None) -> Staged:
        """Copy ``src`` into ``tmp`` (a :meth:`temp_path`), hashing the bytes as they are
        written, and sync them to disk: one read of the source, which :meth:`publish` then
        renames into place. A source that changes meanwhile (written to, or replaced), or
        since the ``since`` a caller took before reading it alongside (a probe), is refused.
        """
        try:
            before = stat_key(since or os.stat(src))
            digest = hashlib.sha256()
            size = 0
            with open(src, "rb") as fin, open(tmp, "wb") as fout:
                opened = stat_key(os.fstat(fin.fileno()))
                while chunk := fin.read(CHUNK):
                    digest.update(chunk)
                    fout.write(chunk)
                    size += len(chunk)
                fout.flush()
                os.fsync(fout.fileno())
                read = stat_key(os.fstat(fin.fileno()))
            now = os.stat(src)
            after = stat_key(now)
        except OSError as exc:  # unreadable source, disk full, read-only store...
            raise StoreError(
                f"cannot store {src}: {exc.strerror or exc}",
                hint="check the file is readable, the disk has room and .filmfs/ is writable",
            ) from exc
        if len({before, opened, read, after}) > 1 or size != now.st_size:
            raise StoreError(f"cannot store {src}: it changed while being stored")
        return Staged(tmp, digest.hexdigest(), size, after)

    def publish(self, staged: Staged) -> StoredObject:
        """Rename a staged copy into place under its sha256 (read-only), unless the object is
        already there; the stage is left to its :meth:`temp_path` to remove."""
        sha, size = staged.sha256, staged.size
        dest = self.path_of(sha)
        if self.has(sha) and _size_of(dest) == size:
            return StoredObject(sha, size, dest)
        try:
            make_folder(dest.parent)
            if not _is_real_dir(dest.parent):
                raise StoreError(
                    f"{dest.parent} is not a folder of the store (a symlink?); refused"
                )
            os.chmod(staged.path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(staged.path, dest)
        except OSError as exc:  # disk full, read-only store...
            raise StoreError(
                f"cannot store {sha[:12]} as {dest}: {exc.strerror or exc}",
                hint="check the disk has room and .filmfs/objects/ is writable",
            ) from exc
        return StoredObject(sha, size, dest, published=True)

    # -- small key -> sha256 indexes (e.g. the conformed-copy cache) --------------------

    def index_get(self, name: str, key: str) -> str | None:
        """The sha256 recorded under ``cache/<name>/<key>`` if its object is still present."""
        entry = self.cache / name / key
        try:
            fd = os.open(entry, _NOFOLLOW_READ)  # a planted symlink or FIFO is no entry
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            sha = handle.read(80).decode("ascii", "replace").strip()
        return sha if is_sha256(sha) and self.has(sha) else None

    def index_set(self, name: str, key: str, sha256: str) -> None:
        check_sha256(sha256)
        folder = self.cache / name
        make_folder(folder)
        with self.temp_path(".idx") as tmp:
            tmp.write_text(sha256 + "\n")
            os.replace(tmp, folder / key)


def _real_folder(path: Path) -> bool:
    """A folder, not a symlink to one (what :meth:`MediaStore.open` goes through)."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def check_inside(state: Path) -> None:
    """Refuse a store whose folders (``.filmfs`` and the ones below it) resolve outside the
    film: a committed ``.filmfs/objects -> /home/me`` would make every write land there."""
    film = state.parent.resolve()
    for folder in (state, *(state / name for name in STORE_FOLDERS)):
        if not os.path.lexists(folder):
            continue
        try:
            real = folder.resolve()
        except (OSError, RuntimeError):
            real = None
        if real is None or not real.is_relative_to(film):
            raise StoreError(
                f"{folder} resolves outside the film; refused",
                hint=f"remove it (the store is rebuilt by `filmfs pull`): rm {folder}",
            )
        if not real.is_dir():
            raise StoreError(
                f"{folder} is a file; the media store needs a folder there",
                hint=f"move that file away: mv {folder} {folder}.bak",
            )


def _check_digest(sha256: str, got: str, path: Path, *, what: str) -> None:
    if got != sha256:
        raise CorruptObject(
            f"{what}: object {sha256[:12]} in the media store is corrupt (its bytes hash to "
            f"{got[:12]}): {path}",
            hint=f"delete it and fetch a good copy: rm {path} && filmfs pull",
        )


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _size_of(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:
        return -1
