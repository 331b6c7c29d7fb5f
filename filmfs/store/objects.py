"""The content-addressed media store under ``<film>/.filmfs/``.

Objects live at ``objects/<2 hex>/<62 hex>`` of their sha256, the layout DVC and git-lfs users
know. Every write goes to ``tmp/`` (same filesystem) first and is published with
``os.replace``, which is atomic: a kill at any moment leaves either no object or a whole one
at an object path, never half of one. Stray temp files are harmless and can be swept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from filmfs.errors import StoreError
from filmfs.manifests.writer import make_folder

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


@dataclass(frozen=True)
class StoredObject:
    sha256: str
    size: int
    path: Path


class MediaStore:
    """Content-addressed store rooted at ``root`` (normally ``<film>/.filmfs``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.cache = self.root / "cache"

    def path_of(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.objects / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def require(self, sha256: str, *, what: str = "media") -> Path:
        """Path of an object that must be present; StoreError with the fix if it is not."""
        path = self.path_of(sha256)
        if not path.is_file():
            raise StoreError(
                f"{what}: object {sha256} is missing from the media store ({path})",
                hint="run `filmfs pull` to fetch it from the remote, or regenerate the take",
            )
        return path

    def verify(self, sha256: str) -> bool:
        """Re-hash the object; False if it is missing or its bytes do not match its name."""
        path = self.path_of(sha256)
        if not path.is_file():
            return False
        return hash_file(path)[0] == sha256

    def iter_objects(self) -> Iterator[StoredObject]:
        if not self.objects.is_dir():
            return
        for sub in sorted(self.objects.iterdir()):
            if not sub.is_dir() or len(sub.name) != 2:
                continue
            for obj in sorted(sub.iterdir()):
                sha = sub.name + obj.name
                if is_sha256(sha) and obj.is_file():
                    yield StoredObject(sha, obj.stat().st_size, obj)

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

    def put_file(self, src: Path, *, move: bool = False) -> StoredObject:
        """Add ``src`` to the store; an object already present is not rewritten.

        With ``move=True`` the source is consumed (renamed in when it is on the same
        filesystem, which is the case for files made in :meth:`temp_path`).
        """
        src = Path(src)
        if not src.is_file():
            raise StoreError(f"cannot store {src}: no such file")
        sha, size = hash_file(src)
        dest = self.path_of(sha)
        if dest.is_file():
            if move:
                src.unlink()
            return StoredObject(sha, size, dest)
        make_folder(dest.parent)
        try:
            return self._publish(src, sha, size, dest, move=move)
        except OSError as exc:  # disk full, read-only store...
            raise StoreError(
                f"cannot store {src} as {dest}: {exc.strerror or exc}",
                hint="check the disk has room and .filmfs/objects/ is writable",
            ) from exc

    def _publish(self, src: Path, sha: str, size: int, dest: Path, *, move: bool) -> StoredObject:
        with self.temp_path(".obj") as tmp:
            copied = True
            if move:
                try:
                    os.replace(src, tmp)
                    copied = False
                except OSError:  # another filesystem: copy below, then drop the source
                    _copy(src, tmp)
                    src.unlink()
            else:
                _copy(src, tmp)
            # A copied source may have changed while we hashed it: check what we publish.
            if copied and hash_file(tmp)[0] != sha:
                raise StoreError(f"cannot store {src}: it changed while being stored")
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(tmp, dest)
        return StoredObject(sha, size, dest)

    # -- small key -> sha256 indexes (e.g. the conformed-copy cache) --------------------

    def index_get(self, name: str, key: str) -> str | None:
        """The sha256 recorded under ``cache/<name>/<key>`` if its object is still present."""
        entry = self.cache / name / key
        try:
            sha = entry.read_text().strip()
        except FileNotFoundError:
            return None
        return sha if is_sha256(sha) and self.has(sha) else None

    def index_set(self, name: str, key: str, sha256: str) -> None:
        check_sha256(sha256)
        folder = self.cache / name
        make_folder(folder)
        with self.temp_path(".idx") as tmp:
            tmp.write_text(sha256 + "\n")
            os.replace(tmp, folder / key)


def _copy(src: Path, dest: Path) -> None:
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        while chunk := fin.read(CHUNK):
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
