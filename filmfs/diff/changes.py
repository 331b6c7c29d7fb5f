"""What changed between two loaded films, in film terms: pure, no I/O.

:func:`compare` takes the film before and after (two :class:`~filmfs.project.Project`) and
returns a :class:`FilmChanges`: film fields, shots added / removed / changed (fields, takes,
the selected take), scenes, characters and assets, and the totals a reviewer asks about
(money spent on new takes, the cut's length, shots still without a selected take).
A renamed shot shows as one removed and one added: its ID is its identity.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from filmfs import layout
from filmfs.diff.fields import FieldChange, changed_fields
from filmfs.film.inputs import staleness
from filmfs.film.metrics import cut_length, total_cost
from filmfs.film.model import Shot, Take
from filmfs.project import Project

# "unreadable": the shot's manifest exists but does not load at the head (the errors say why);
# "fixed": it did not load at the base and does now. Neither is a shot added or removed.
Kind = Literal["added", "removed", "changed", "unreadable", "fixed"]


@dataclass(frozen=True)
class TakeSummary:
    attempt: int
    selected: bool
    provider: str | None
    model: str | None
    seed: Any
    cost: Decimal | None
    score: float | None
    duration: float | None
    notes: str


@dataclass(frozen=True)
class TakeChange:
    attempt: int
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Selection:
    """The shot's selected take moved (None: no take selected)."""

    old: int | None
    new: int | None
    notes: str = ""
    score: float | None = None


@dataclass(frozen=True)
class ShotChange:
    shot: str
    kind: Kind
    scene: int | None
    fields: tuple[FieldChange, ...] = ()
    takes_added: tuple[TakeSummary, ...] = ()
    takes_removed: tuple[int, ...] = ()
    takes_changed: tuple[TakeChange, ...] = ()
    selection: Selection | None = None


@dataclass(frozen=True)
class ItemChange:
    """A scene, character or asset added, removed or changed."""

    kind: Literal["scene", "character", "asset"]
    id: str
    change: Kind
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class StaleShot:
    """A shot whose selected take the change leaves made from other inputs than the film has."""

    shot: str
    attempt: int
    changed: tuple[str, ...]


@dataclass(frozen=True)
class Totals:
    takes_added: int
    cost_added: Decimal
    cut_before: float
    cut_after: float
    shots_without_selected_take: tuple[str, ...]
    newly_stale: tuple[StaleShot, ...] = ()
    """Stale at the head and not at the base: what this change asks to regenerate."""

    @property
    def cut_delta(self) -> float:
        return round(self.cut_after - self.cut_before, 3)


@dataclass(frozen=True)
class FilmChanges:
    title: str
    film_fields: tuple[FieldChange, ...]
    new_cut: bool
    shots: tuple[ShotChange, ...]
    items: tuple[ItemChange, ...]
    totals: Totals

    @property
    def empty(self) -> bool:
        return not (self.film_fields or self.shots or self.items)

    def shots_of(self, kind: Kind) -> list[ShotChange]:
        return [s for s in self.shots if s.kind == kind]

    @property
    def selections(self) -> list[tuple[str, Selection]]:
        return [(s.shot, s.selection) for s in self.shots if s.selection is not None]


def compare(before: Project, after: Project) -> FilmChanges:
    """Everything that differs between two loaded films (either may be empty: no film)."""
    shots = _shots(before, after)
    items = [
        *_items("scene", before.scenes, after.scenes),
        *_items("character", before.characters, after.characters),
        *_items("asset", before.assets, after.assets),
    ]
    film_fields = changed_fields(before.film, after.film)
    old_cut = before.film.final_edit if before.film else None
    new_cut = after.film.final_edit if after.film else None
    title = after.film.title if after.film else (before.film.title if before.film else "")
    added = [t for s in shots for t in s.takes_added]
    return FilmChanges(
        title=title,
        film_fields=tuple(film_fields),
        new_cut=new_cut is not None and (old_cut is None or old_cut.sha256 != new_cut.sha256),
        shots=tuple(shots),
        items=tuple(items),
        totals=Totals(
            takes_added=len(added),
            cost_added=total_cost(t.cost for t in added),
            cut_before=_cut_length(before),
            cut_after=_cut_length(after),
            shots_without_selected_take=tuple(
                s.id for s in after.shots.values() if s.selected_take is None
            ),
            newly_stale=_newly_stale(before, after),
        ),
    )


def _newly_stale(before: Project, after: Project) -> tuple[StaleShot, ...]:
    found = []
    for shot in after.shots.values():
        now = staleness(after, shot)
        if now is None or not now.stale:
            continue
        old = before.shots.get(shot.shot_number)
        was = staleness(before, old) if old is not None else None
        if was is not None and was.stale and was.attempt == now.attempt:
            continue
        found.append(StaleShot(shot.shot_number, now.attempt, now.changed))
    return tuple(found)


def _cut_length(project: Project) -> float:
    """The cut as selected: its plan's real length (crossfades overlap, in/out trim)."""
    if project.film is None:
        return 0.0
    return cut_length(project.film, project.shots.values()).seconds


def _shots(before: Project, after: Project) -> list[ShotChange]:
    changes = []
    ids = sorted(set(before.shots) | set(after.shots), key=lambda i: _order(i, before, after))
    for shot_id in ids:
        old, new = before.shots.get(shot_id), after.shots.get(shot_id)
        if new is None and old is not None:
            unreadable = after.exists(layout.shot_file(after.root, shot_id))
            kind: Kind = "unreadable" if unreadable else "removed"
            changes.append(ShotChange(shot_id, kind, old.scene))
        elif old is None and new is not None:
            fixed = before.exists(layout.shot_file(before.root, shot_id))
            changes.append(
                ShotChange(
                    shot_id,
                    "fixed" if fixed else "added",
                    new.scene,
                    fields=tuple(changed_fields(None, new)),
                    takes_added=tuple(_summary(t) for t in new.takes),
                    selection=_selection(None, new),
                )
            )
        elif old is not None and new is not None:
            change = _shot_change(old, new)
            if change is not None:
                changes.append(change)
    return changes


def _order(shot_id: str, *projects: Project) -> tuple[int, tuple[int, str]]:
    """Film order: the scene the shot is in (after, else before), then natural shot order."""
    scene = next((p.shots[shot_id].scene for p in reversed(projects) if shot_id in p.shots), 0)
    return scene or 0, layout.natural_key(shot_id)


def _shot_change(old: Shot, new: Shot) -> ShotChange | None:
    if old == new:  # equal value objects have no field that differs (most shots of a diff)
        return None
    old_takes = {t.attempt_number: t for t in old.takes}
    new_takes = {t.attempt_number: t for t in new.takes}
    added = tuple(_summary(new_takes[n]) for n in sorted(set(new_takes) - set(old_takes)))
    removed = tuple(sorted(set(old_takes) - set(new_takes)))
    changed = []
    for n in sorted(set(old_takes) & set(new_takes)):
        if old_takes[n] == new_takes[n]:
            continue
        # The selection is reported once, as a move, not as two `selected` field flips.
        fields = [f for f in changed_fields(old_takes[n], new_takes[n]) if f.field != "selected"]
        if fields:
            changed.append(TakeChange(n, tuple(fields)))
    selection = _selection(old, new)
    fields = changed_fields(old, new)
    if not (fields or added or removed or changed or selection):
        return None
    return ShotChange(
        new.id,
        "changed",
        new.scene,
        fields=tuple(fields),
        takes_added=added,
        takes_removed=removed,
        takes_changed=tuple(changed),
        selection=selection,
    )


def _selection(old: Shot | None, new: Shot) -> Selection | None:
    before = old.selected_take if old else None
    after = new.selected_take
    old_n = before.attempt_number if before else None
    new_n = after.attempt_number if after else None
    if old_n == new_n:
        return None
    return Selection(
        old_n,
        new_n,
        notes=after.director_notes if after else "",
        score=after.quality_score if after else None,
    )


def _summary(take: Take) -> TakeSummary:
    params = take.generation_params
    return TakeSummary(
        attempt=take.attempt_number,
        selected=take.selected,
        provider=params.provider,
        model=params.model,
        seed=params.seed,
        cost=take.generation_cost,
        score=take.quality_score,
        duration=take.video.duration if take.video else None,
        notes=take.director_notes,
    )


def _items(
    kind: Literal["scene", "character", "asset"],
    before: Mapping[Any, Any],
    after: Mapping[Any, Any],
) -> list[ItemChange]:
    changes = []
    for key in sorted(set(before) | set(after)):
        ident = layout.scene_stem(key) if kind == "scene" else str(key)
        if key not in after:
            changes.append(ItemChange(kind, ident, "removed"))
        elif key not in before:
            fields = changed_fields(None, after[key])
            changes.append(ItemChange(kind, ident, "added", tuple(fields)))
        else:
            fields = changed_fields(before[key], after[key])
            if fields:
                changes.append(ItemChange(kind, ident, "changed", tuple(fields)))
    return changes


def as_data(changes: FilmChanges) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(changes)
    data["totals"]["cut_delta"] = changes.totals.cut_delta
    data["empty"] = changes.empty
    return data
