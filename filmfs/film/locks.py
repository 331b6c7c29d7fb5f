"""Locks between filmfs processes working on one film (files in .filmfs/locks/, git-ignored).

A shot's lock guards its take numbering and selection; the film's Git lock serialises commits.
"""

from __future__ import annotations

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
    lock = FileLock(str(locks_dir(root) / "git.lock"))
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT):
            return vcs.commit_paths(root, paths, message)
    except Timeout:
        raise LockedError(
            "another filmfs process is committing to this film's Git repository",
            hint=f"wait for it, or remove {lock.lock_file} if no filmfs is running",
        ) from None


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
    lock = FileLock(str(locks_dir(root) / f"{shot_id}.lock"))
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT):
            yield
    except Timeout:
        raise LockedError(
            f"shot {shot_id} is locked by another filmfs process",
            hint=f"wait for it, or remove {lock.lock_file} if no filmfs is running",
        ) from None
