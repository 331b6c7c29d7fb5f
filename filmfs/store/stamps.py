"""Verification stamps: an object's bytes re-hashed once, then trusted while its file is unchanged.

Before ``assemble`` cuts a take or re-publishes a cut, the object's bytes must still be the
ones its name promises (a disk error, or a hand edit through a hard link, would otherwise go
into the film unnoticed). Hashing every input on every run costs a read of all the media;
like Git's index (which trusts a file whose stat data matches what it recorded), a stamp
remembers the inode, size and modification time seen when the hash last matched, and a
matching stat is accepted without reading the file. Any change to the file changes one of
them, and the object is hashed again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from filmfs.errors import StoreError
from filmfs.manifests.writer import atomic_write_text, make_folder
from filmfs.store.objects import MediaStore, check_sha256, hash_file

STAMPS = "verified-v1"


def _signature(path: Path) -> str | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return f"{st.st_ino} {st.st_size} {st.st_mtime_ns}"


def _stamp(store: MediaStore, sha256: str) -> Path:
    return store.cache / STAMPS / check_sha256(sha256)


def is_verified(store: MediaStore, sha256: str) -> bool:
    """True if the object is present and its bytes hash to ``sha256`` (stamp or re-hash)."""
    path = store.path_of(sha256)
    seen = _signature(path)
    if seen is None:
        return False
    stamp = _stamp(store, sha256)
    with contextlib.suppress(OSError):
        if stamp.read_text() == seen:
            return True
    if hash_file(path)[0] != sha256:
        with contextlib.suppress(OSError):
            stamp.unlink()
        return False
    _write_stamp(store, stamp, seen)
    return True


def record_verified(store: MediaStore, sha256: str) -> None:
    """Stamp an object whose bytes were hashed to ``sha256`` as they were stored
    (``StoredObject.published``), so its first use reads no media to trust it."""
    seen = _signature(store.path_of(sha256))
    if seen is not None:
        _write_stamp(store, _stamp(store, sha256), seen)


def _write_stamp(store: MediaStore, stamp: Path, seen: str) -> None:
    with contextlib.suppress(OSError, StoreError):  # read-only cache: a re-hash next time
        stamp.parent.mkdir(parents=True, exist_ok=True)
        with store.temp_path(".stamp") as tmp:
            tmp.write_text(seen)
            os.replace(tmp, stamp)


def require_verified(store: MediaStore, sha256: str, *, what: str) -> Path:
    """The object's path once its bytes are known good; StoreError naming ``what`` if not."""
    path = store.require(sha256, what=what)
    if not is_verified(store, sha256):
        raise _mismatch(sha256, what)
    return path


def _mismatch(sha256: str, what: str) -> StoreError:
    return StoreError(
        f"{what}: object {sha256[:12]} does not match its sha256 (corrupt or edited)",
        hint="`filmfs media fsck` quarantines it; then `filmfs pull` or generate it again",
    )


class Verifying:
    """Objects checked against their sha256 in a background thread, while they are used.

    A stream copy only reads its inputs, so their hashes can be checked while ffmpeg reads
    them too: :meth:`require_all` must pass before anything made from them is kept (the cut
    published, a conformed copy or a join cached). Stamped objects cost nothing either way.
    """

    def __init__(self, store: MediaStore, objects: Iterable[tuple[str, str]]) -> None:
        """``objects``: (sha256, what it is, for the error), in the order errors name them."""
        first: dict[str, str] = {}
        for sha, what in objects:
            first.setdefault(sha, what)
        # One thread: hashing competes with ffmpeg for the CPU, and reads one file at a time.
        pool = ThreadPoolExecutor(max_workers=1)
        self._checks: list[tuple[str, str, Future[bool]]] = [
            (sha, what, pool.submit(is_verified, store, sha)) for sha, what in first.items()
        ]
        pool.shutdown(wait=False)

    def require_all(self) -> None:
        """Wait for every check; StoreError naming the first object whose bytes are wrong."""
        for sha, what, check in self._checks:
            if not check.result():
                self.cancel()
                raise _mismatch(sha, what)

    def failed(self) -> list[str]:
        """The objects whose check has finished and failed (waits for none)."""
        return [
            sha
            for sha, _, check in self._checks
            if check.done()
            and not check.cancelled()
            and check.exception() is None
            and not check.result()
        ]

    def cancel(self) -> None:
        """Drop the checks not yet started (the run is failing anyway)."""
        for _, _, check in self._checks:
            check.cancel()


def set_aside(store: MediaStore, sha256: str) -> Path | None:
    """Move a present object whose bytes are wrong to ``quarantine/`` (as ``media fsck``
    does), so a fresh copy can take its place; returns where it went, None if it was fine."""
    path = store.path_of(sha256)
    if not path.is_file() or is_verified(store, sha256):
        return None
    folder = store.root / "quarantine"
    make_folder(folder)
    if not (folder / ".gitignore").exists():
        atomic_write_text(folder / ".gitignore", "*\n")
    dest = folder / sha256
    try:
        os.replace(path, dest)
    except OSError as exc:
        raise StoreError(f"cannot move corrupt object {sha256[:12]} aside: {exc}") from exc
    return dest
