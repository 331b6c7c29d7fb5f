"""The film at a Git revision, or on disk: the two sides ``filmfs diff`` and ``filmfs review
BASE HEAD`` compare.

A commit is read from Git's objects in memory (nothing is checked out or written: a crafted
commit has nowhere to write through) and loaded by :class:`~filmfs.project.Project` like the
working tree, so both sides get the same checks.

Revisions, as ``git diff``: none compares HEAD with the working tree; one compares it with the
working tree; two compare them; ``A...B`` compares B with its merge-base with A (what a pull
request from B into A changes); ``A..B`` is the same as ``A B``.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from filmfs import layout, vcs
from filmfs.errors import NotAFilmError
from filmfs.manifests.tree import MemoryTree
from filmfs.project import Project, display_path

WORKTREE = "working tree"


@dataclass(frozen=True)
class Side:
    """One end of the comparison: a revision as given and its commit, or the working tree."""

    label: str
    sha: str | None = None

    @property
    def short(self) -> str:
        return self.sha[:10] if self.sha else WORKTREE


def revisions(base: str | None, head: str | None) -> tuple[str, str | None, bool]:
    """(base, head or None for the working tree, whether base is a merge-base of the two)."""
    if base and head is None:
        for sep, merge in (("...", True), ("..", False)):
            if sep in base:
                left, right = base.split(sep, 1)
                return left or "HEAD", right or "HEAD", merge
    return base or "HEAD", head, False


def sides(root: Path, base: str | None, head: str | None) -> tuple[Side, Side]:
    """The two sides the revisions name, resolved to commits in the film's repository."""
    if not root.is_dir():
        raise NotAFilmError(f"{display_path(root)}: no such directory")
    base_rev, head_rev, merge = revisions(base, head)
    base_sha = (
        vcs.merge_base(root, base_rev, head_rev or "HEAD")
        if merge
        else vcs.resolve_revision(root, base_rev)
    )
    head_side = Side(head_rev, vcs.resolve_revision(root, head_rev)) if head_rev else Side(WORKTREE)
    base_side = Side(f"merge-base of {base_rev} and {head_rev}" if merge else base_rev, base_sha)
    return base_side, head_side


def revision_tree(root: Path, sha: str) -> MemoryTree:
    """The film's files at commit ``sha``, by blob id: only symlinks are read now; a file is
    read when the manifest cache does not know its blob."""
    ids: dict[str, str] = {}
    links: dict[str, str] = {}
    entries = vcs.revision_blobs(root, sha)
    targets = vcs.read_blobs(root, [e.blob for e in entries if stat.S_ISLNK(e.mode)])
    for entry in entries:
        if stat.S_ISLNK(entry.mode):
            links[entry.path] = targets[entry.blob].decode("utf-8", "replace")
        elif stat.S_ISREG(entry.mode):
            ids[entry.path] = entry.blob
    return MemoryTree.of_blobs(
        root.resolve(), ids, links, lambda blobs: vcs.read_blobs(root, blobs)
    )


def film_at(root: Path, side: Side) -> Project:
    """The film as it is at ``side``; an empty project when there is none there (a film
    added or removed by the change)."""
    if side.sha is not None:
        return Project.from_tree(revision_tree(root, side.sha))
    if not layout.film_file(root).exists():
        return Project(root=root.resolve())
    return Project.load(root)
