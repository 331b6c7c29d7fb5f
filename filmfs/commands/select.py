"""`filmfs select SHOT N`: the director's choice of take, with notes and a score."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmfs.errors import FilmfsError
from filmfs.film.deps import shot_dependencies
from filmfs.film.locks import commit_made_from
from filmfs.film.take_checks import SEVERAL_SELECTED
from filmfs.film.takes import select_take
from filmfs.project import Project


@dataclass(frozen=True)
class SelectResult:
    shot_id: str
    attempt: int
    previous: int | None
    changed: list[Path] = field(default_factory=list)
    commit: str | None = None
    unselected: tuple[int, ...] = ()
    """The takes that were selected and are not any more (several when this repaired the shot)."""


def select(
    project: Project,
    *,
    shot_id: str,
    attempt: int,
    note: str | None = None,
    score: float | None = None,
    commit: bool = True,
) -> SelectResult:
    """Mark take ``attempt`` of ``shot_id`` selected and every other take of the shot not.

    A shot with several selected takes is exactly what this repairs, so that error (on this
    shot) does not stop it; any other error in the film does.
    """
    project.require_valid(
        unless=lambda p: SEVERAL_SELECTED.format(shot=shot_id) in p.message,
    )
    project.shot(shot_id)
    if score is not None and not 0 <= score <= 10:
        raise FilmfsError(f"--score must be between 0 and 10, not {score}")
    changes: dict[str, Any] = {}
    if note is not None:
        changes["director_notes"] = note
    if score is not None:
        changes["quality_score"] = score
    # Decided from the take files under the shot's lock, not from the film loaded above: a
    # select running at the same time may have moved the selection meanwhile.
    selection = select_take(project.root, shot_id, attempt, changes)
    sha = None
    if commit:
        detail = f": {note}" if note else ""
        sha = commit_made_from(
            project.root,
            list(selection.changed),
            shot_dependencies(project, [shot_id]),
            f"select {shot_id} take {attempt}{detail}",
        )
    previous = selection.previous
    return SelectResult(
        shot_id=shot_id,
        attempt=attempt,
        previous=previous[0] if len(previous) == 1 else None,
        changed=list(selection.changed),
        commit=sha,
        unselected=tuple(n for n in previous if n != attempt),
    )
