"""`filmfs diff`: the change between the film at two revisions, in film terms.

Each side is a commit, read from Git's objects in memory (nothing is checked out or written:
a crafted commit has nowhere to write through), or the working tree as it is on disk. Both
are loaded by :class:`Project`, so the head side
gets the same checks as ``filmfs validate`` (media presence aside: a revision has no store).

Revisions are read as ``git diff`` reads them (:mod:`filmfs.diff.revisions`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from filmfs import layout, vcs
from filmfs.diff.changes import FilmChanges, as_data, compare
from filmfs.diff.remotes import RemoteChange, compare_remotes, remote_settings
from filmfs.diff.revisions import Side, film_at, sides
from filmfs.errors import ManifestError, NotAFilmError
from filmfs.escape import mask_userinfo
from filmfs.manifests.config import SHARED_FILE
from filmfs.manifests.loader import decode, read_text
from filmfs.manifests.problems import Problem
from filmfs.project import display_path


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


def diff(root: Path, *, base: str | None = None, head: str | None = None) -> FilmDiff:
    """Compare the film in ``root`` at revision ``base`` with ``head`` (default: on disk)."""
    base_side, head_side = sides(root, base, head)
    before, after = film_at(root, base_side), film_at(root, head_side)
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
