"""Locks between filmfs processes working on one film (files in .filmfs/locks/, git-ignored).

A shot's lock guards its take numbering and selection; the film's Git lock serialises commits.
A lock is ``flock(2)`` on its file, taken with the stdlib's fcntl: importing filelock cost every
writing command 12-25 ms of start-up (`python -X importtime -c "import filelock"`). Where
flock is missing (Windows, or a filesystem that answers ENOSYS), filelock takes it, as it did
before, falling back to its soft lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filmfs import layout, vcs
from filmfs.errors import LockedError
from filmfs.manifests.writer import make_folder

LOCK_TIMEOUT = 30.0
POLL_INTERVAL = 0.05  # as filelock polls
_BUSY = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})  # EACCES: some filesystems

if sys.platform != "win32":  # Windows locks with filelock's msvcrt lock
    import fcntl

# The descriptors of the locks this process holds. A forked child (a process pool loading a
# big film) closes its copies, as filelock's children do, so it never keeps a lock held after
# this process releases it.
_HOLDING: set[int] = set()


def _close_in_child() -> None:
    for fd in _HOLDING:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HOLDING.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def locks_dir(root: Path) -> Path:
    folder = layout.state_dir(root) / "locks"
    make_folder(folder)
    return folder


def commit_manifests(root: Path, paths: list[Path], message: str) -> str | None:
    """Commit ``paths`` (see :func:`filmfs.vcs.commit_paths`), one filmfs process at a time.

    Git takes ``.git/index.lock`` with O_EXCL and fails at once when it exists, so two filmfs
    runs finishing together made one of them fail with "Unable to create index.lock" after
    its takes were written. Waiting for a film-wide lock first serialises the commits.
    """
    busy = "another filmfs process is committing to this film's Git repository"
    with _held(locks_dir(root) / "git.lock", busy=busy):
        return vcs.commit_paths(root, paths, message)


def commit_made_from(
    root: Path, written: list[Path], made_from: list[Path], message: str
) -> str | None:
    """Commit ``written`` together with the manifests it was made from (``made_from``), so
    the commit is a film that reproduces it: a take with the edited shot.yaml it was
    generated from, a cut with the takes and shots it was cut from. The ones that had
    uncommitted edits are named in the message."""
    shown = {p.resolve() for p in written}
    edited = [p for p in vcs.uncommitted(root, made_from) if p.resolve() not in shown]
    if edited:
        names = ", ".join(
            sorted(p.resolve().relative_to(root.resolve()).as_posix() for p in edited)
        )
        message += f"\n\nwith the edits it was made from: {names}"
    # The store's own ignore file (written by filmfs) goes along, so clones keep media out too.
    ignore = layout.state_dir(root) / ".gitignore"
    protect = [ignore] if ignore.is_file() else []
    return commit_manifests(root, [*written, *made_from, *protect], message)


@contextmanager
def shot_lock(root: Path, shot_id: str) -> Iterator[None]:
    with _held(
        locks_dir(root) / f"{shot_id}.lock",
        busy=f"shot {shot_id} is locked by another filmfs process",
    ):
        yield


@contextmanager
def _held(path: Path, *, busy: str) -> Iterator[None]:
    """Hold the lock file ``path``. A symlink planted there (say by a commit that tracks
    .filmfs/locks/) could make the lock open, create or truncate a file outside the film:
    anything but a regular file is refused, and a lock that cannot be taken is a clear error."""
    fix = f"remove it if no filmfs is running: rm {path}"
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    except OSError as exc:
        raise LockedError(f"cannot use the lock file {path}: {exc.strerror}", hint=fix) from None
    if not stat.S_ISREG(mode):
        kind = "a symlink" if stat.S_ISLNK(mode) else "not a regular file"
        raise LockedError(f"the lock file {path} is {kind}; refused", hint=fix)
    try:
        fd = _flock(path, busy=busy, fix=fix)
    except OSError as exc:  # ELOOP, EACCES, EROFS...
        raise LockedError(f"cannot take the lock {path}: {exc.strerror}", hint=fix) from None
    if fd is None:  # no flock here
        with _filelock(path, busy=busy, fix=fix):
            yield
        return
    _HOLDING.add(fd)
    try:
        yield
    finally:
        _HOLDING.discard(fd)
        os.close(fd)  # closing this process's only descriptor of the file releases the flock


def _flock(path: Path, *, busy: str, fix: str) -> int | None:
    """An open descriptor of ``path`` holding its flock, waiting up to LOCK_TIMEOUT; None
    where flock is missing. The file stays in place on release (as filelock's Unix lock
    leaves it), so waiters lock the same inode."""
    if sys.platform == "win32":
        return None
    # O_NOFOLLOW and O_NONBLOCK: a symlink or FIFO swapped in since the lstat above is an
    # error or is seen by fstat below, never followed or waited on.
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    fd = os.open(path, flags, 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except OSError as exc:
                if exc.errno == errno.ENOSYS:
                    os.close(fd)
                    return None
                if exc.errno not in _BUSY:
                    raise
            if time.monotonic() >= deadline:
                raise LockedError(busy, hint=f"wait for it, or {fix}")
            time.sleep(POLL_INTERVAL)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


@contextmanager
def _filelock(path: Path, *, busy: str, fix: str) -> Iterator[None]:
    from filelock import FileLock, Timeout  # only where flock is missing: see the docstring

    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=LOCK_TIMEOUT)
    except Timeout:
        raise LockedError(busy, hint=f"wait for it, or {fix}") from None
    except OSError as exc:
        raise LockedError(f"cannot take the lock {path}: {exc.strerror}", hint=fix) from None
    try:
        yield
    finally:
        lock.release()
