"""`filmfs diff`: the change between the film at two revisions, in film terms.

Each side is a commit, read from Git's objects in memory (nothing is checked out or written:
a crafted commit has nowhere to write through), or the working tree as it is on disk. Both
are loaded by :class:`Project`, so the head side
gets the same checks as ``filmfs validate`` (media presence aside: a revision has no store).

Revisions, as ``git diff``: no revision compares HEAD with the working tree; one compares it
with the working tree; two compare them; ``A...B`` compares B with its merge-base with A (what
a pull request from B into A changes); ``A..B`` is the same as ``A B``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from filmfs import layout, vcs
from filmfs.diff.changes import FilmChanges, as_data, compare
from filmfs.diff.remotes import RemoteChange, compare_remotes, remote_settings
from filmfs.errors import ManifestError, NotAFilmError
from filmfs.escape import mask_userinfo
from filmfs.manifests.config import SHARED_FILE
from filmfs.manifests.loader import decode, read_text
from filmfs.manifests.problems import Problem
from filmfs.manifests.tree import MemoryTree, split_entries
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


@dataclass(frozen=True)
class FilmDiff:
    root: str
    base: Side
    head: Side
    changes: FilmChanges
    problems: tuple[Problem, ...]
    """Errors and warnings of the head side, as `filmfs validate` would show them."""
    remotes: tuple[RemoteChange, ...] = ()
    """Remote URLs (and the default remote) changed in .filmfs/config.yaml."""

    @property
    def empty(self) -> bool:
        return self.changes.empty and not self.remotes

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "base": {"rev": self.base.label, "sha": self.base.sha},
            "head": {"rev": self.head.label, "sha": self.head.sha},
            "changed": not self.empty,
            **as_data(self.changes),
            "remotes": [asdict(r) for r in self.remotes],
            "valid": not self.errors,
            "problems": [asdict(p) for p in self.problems],
        }


def revisions(base: str | None, head: str | None) -> tuple[str, str | None, bool]:
    """(base, head or None for the working tree, whether base is a merge-base of the two)."""
    if base and head is None:
        for sep, merge in (("...", True), ("..", False)):
            if sep in base:
                left, right = base.split(sep, 1)
                return left or "HEAD", right or "HEAD", merge
    return base or "HEAD", head, False


def diff(root: Path, *, base: str | None = None, head: str | None = None) -> FilmDiff:
    """Compare the film in ``root`` at revision ``base`` with ``head`` (default: on disk)."""
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
    with _at(root, base_side) as before, _at(root, head_side) as after:
        if before.film is None and after.film is None and not before.problems + after.problems:
            raise NotAFilmError(
                f"{display_path(root)}: not a film at {base_side.label} nor {head_side.short} "
                f"(no {layout.FILM_FILE})",
                hint="pass the film's directory with -C",
            )
        changes = compare(before, after)
        problems = tuple(replace(p, message=mask_userinfo(p.message)) for p in after.all_problems())
    remotes = compare_remotes(_remotes(root, base_side), _remotes(root, head_side))
    return FilmDiff(display_path(root), base_side, head_side, changes, problems, remotes)


def _remotes(root: Path, side: Side) -> dict[str, str]:
    """The committed config's remotes at ``side`` (the local file is nobody's change)."""
    rel = f"{layout.STATE_DIR}/{SHARED_FILE}"
    try:
        if side.sha is None:
            path = root / rel
            text = read_text(path, rel) if path.is_file() else None
        else:
            raw = vcs.revision_file(root, side.sha, rel)
            text = None if raw is None else decode(raw, rel)
    except ManifestError as exc:
        return {"(config)": f"unreadable: {exc.detail}"}
    return remote_settings(text, rel)


@contextmanager
def _at(root: Path, side: Side) -> Iterator[Project]:
    if side.sha is None:
        yield _load(root)
        return
    files, links = split_entries(vcs.revision_entries(root, side.sha))
    yield Project.from_tree(MemoryTree(root.resolve(), files, links))


def _load(folder: Path) -> Project:
    """The film in ``folder``; an empty project when there is none (a film added or removed)."""
    if not layout.film_file(folder).exists():
        return Project(root=folder.resolve())
    return Project.load(folder)
