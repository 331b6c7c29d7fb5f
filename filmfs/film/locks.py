"""Locks between filmfs processes working on one film (files in .filmfs/locks/, git-ignored).

A shot's lock guards its take numbering and selection; the film's Git lock serialises commits.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from filmfs import layout, vcs
from filmfs.errors import LockedError
from filmfs.manifests.writer import make_folder

LOCK_TIMEOUT = 30.0


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
    """Hold the lock file ``path``. filelock opens it with O_TRUNC, so a symlink planted
    there (say by a commit that tracks .filmfs/locks/) would truncate whatever it points at:
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
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=LOCK_TIMEOUT)
    except Timeout:
        raise LockedError(busy, hint=f"wait for it, or {fix}") from None
    except OSError as exc:  # ELOOP, EACCES, EROFS...
        raise LockedError(f"cannot take the lock {path}: {exc.strerror}", hint=fix) from None
    try:
        yield
    finally:
        lock.release()
