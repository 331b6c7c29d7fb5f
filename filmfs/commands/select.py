"""`filmfs select SHOT N`: the director's choice of take, with notes and a score."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmfs.errors import FilmfsError
from filmfs.film.locks import commit_manifests, shot_lock
from filmfs.manifests.edit import check, current
from filmfs.manifests.writer import update
from filmfs.project import Project


@dataclass(frozen=True)
class SelectResult:
    shot_id: str
    attempt: int
    previous: int | None
    changed: list[Path] = field(default_factory=list)
    commit: str | None = None


def select(
    project: Project,
    *,
    shot_id: str,
    attempt: int,
    note: str | None = None,
    score: float | None = None,
    commit: bool = True,
) -> SelectResult:
    """Mark take ``attempt`` of ``shot_id`` selected and the previous one not."""
    project.require_valid()
    shot = project.shot(shot_id)
    take = next((t for t in shot.takes if t.attempt_number == attempt), None)
    if take is None:
        known = ", ".join(str(t.attempt_number) for t in shot.takes) or "none yet"
        raise FilmfsError(f"shot {shot_id} has no take {attempt} (takes: {known})")
    if take.video is None:
        raise FilmfsError(f"take {attempt} of shot {shot_id} has no video; it cannot be selected")
    if score is not None and not 0 <= score <= 10:
        raise FilmfsError(f"--score must be between 0 and 10, not {score}")
    changes: dict[str, Any] = {"selected": True}
    if note is not None:
        changes["director_notes"] = note
    if score is not None:
        changes["quality_score"] = score
    # Checked before either file is touched (a --note over the schema's limit, say), so a
    # refused change leaves the film as it was.
    check({**current(take.path), **changes}, "take", take.path.relative_to(project.root).as_posix())
    previous = shot.selected_take
    changed = []
    with shot_lock(project.root, shot_id):
        # Unselect first: a kill between the two writes leaves no selected take (valid),
        # never two.
        if previous is not None and previous.attempt_number != attempt:
            update(previous.path, {"selected": False})
            changed.append(previous.path)
        update(take.path, changes)
        changed.append(take.path)
    sha = None
    if commit:
        detail = f": {note}" if note else ""
        sha = commit_manifests(project.root, changed, f"select {shot_id} take {attempt}{detail}")
    return SelectResult(
        shot_id=shot_id,
        attempt=attempt,
        previous=previous.attempt_number if previous else None,
        changed=changed,
        commit=sha,
    )
