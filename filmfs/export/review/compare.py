"""The review of a change: each shot a change touches, its old and new selected take side by
side, for ``filmfs review BASE HEAD``.

Built from the two loaded films and :func:`filmfs.diff.changes.compare`, so the page lists
exactly the shots ``filmfs diff`` lists, plus the shots the change leaves stale (their own
manifest may be untouched: a character's look changed). Media comes from the local store for
both sides: takes are content-addressed, so an old take plays as long as its bytes are here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from filmfs.diff.changes import FilmChanges, ShotChange
from filmfs.export.review.data import TakeReview, review_take
from filmfs.film.model import Shot
from filmfs.project import Project


@dataclass(frozen=True)
class ShotComparison:
    """One changed shot: what the change did, and the selected take before and after."""

    shot_id: str
    kind: str  # added, removed, changed, unreadable, fixed, or "stale" (inputs changed)
    what: tuple[str, ...]
    before: TakeReview | None
    after: TakeReview | None
    stale: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    base: str
    head: str
    shots: tuple[ShotComparison, ...]


def _what(change: ShotChange) -> tuple[str, ...]:
    parts = [f.field for f in change.fields] if change.kind == "changed" else []
    if change.selection is not None:
        old, new = change.selection.old, change.selection.new
        parts.append(f"selected take {old or '-'} → {new or '-'}")
    if change.takes_added:
        parts.append(f"+{len(change.takes_added)} take(s)")
    if change.takes_removed:
        parts.append(f"-{len(change.takes_removed)} take(s)")
    return tuple(parts)


def _selected(shot: Shot | None, has_object: Callable[[str], bool]) -> TakeReview | None:
    take = shot.selected_take if shot is not None else None
    return review_take(shot, take, has_object) if shot is not None and take else None


def build_comparison(
    before: Project,
    after: Project,
    changes: FilmChanges,
    *,
    base: str,
    head: str,
    has_object: Callable[[str], bool],
) -> Comparison:
    """Every shot ``changes`` names, in film order of the head (removed shots last)."""
    stale = {s.shot: s.changed for s in changes.totals.newly_stale}
    listed = {c.shot: c for c in changes.shots}
    order = [*after.shots, *(s for s in before.shots if s not in after.shots)]
    shots = []
    for shot_id in order:
        change = listed.get(shot_id)
        if change is None and shot_id not in stale:
            continue
        shots.append(
            ShotComparison(
                shot_id=shot_id,
                kind=change.kind if change else "stale",
                what=_what(change) if change else (),
                before=_selected(before.shots.get(shot_id), has_object),
                after=_selected(after.shots.get(shot_id), has_object),
                stale=tuple(stale.get(shot_id, ())),
            )
        )
    return Comparison(base=base, head=head, shots=tuple(shots))
