"""The one writer of take files: attempt numbers, new takes and the selection, under the
shot's lock. ``generate``, ``add-take``, ``select`` and the Python API all go through here.

Two filmfs runs at once never reuse an attempt number: a number is reserved by creating
``.filmfs/locks/<shot>-<NNN>.reserved`` with O_EXCL while holding the shot's lock; the number
is the highest of existing takes and live reservations plus one. A run killed between reserving
and writing leaves only a stale reservation, which costs a gap in the numbering, never a
half-written take. A take file is created exclusively (a hard link of a complete temp file),
after its media is in the store, so it is never half-written and never replaces another one.
The selection is decided from the take files as they are under the lock, never from a film
loaded before it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.film.locks import locks_dir, shot_lock
from filmfs.film.model import VideoRef
from filmfs.manifests.edit import check
from filmfs.manifests.loader import load
from filmfs.manifests.writer import update, write_new

MAX_ATTEMPT = 999  # take files are named NNN.yaml


def _existing_attempts(root: Path, shot_id: str) -> set[int]:
    folder = layout.takes_dir(root, shot_id)
    found = set()
    if folder.is_dir():
        for entry in folder.glob("*.yaml"):
            if layout.TAKE_STEM.fullmatch(entry.stem):
                found.add(int(entry.stem))
    for entry in locks_dir(root).glob(f"{shot_id}-*.reserved"):
        number = entry.stem.rsplit("-", 1)[-1]
        if number.isdigit():
            found.add(int(number))
    return found


def check_room(root: Path, shot_id: str) -> int:
    """The shot's next attempt number; FilmfsError when the shot has no room for another take
    (call it before spending anything on a generation)."""
    number = max(_existing_attempts(root, shot_id), default=0) + 1
    if number > MAX_ATTEMPT:
        raise FilmfsError(
            f"shot {shot_id} already has take {MAX_ATTEMPT}, the most a shot can have",
            # Numbers go on from the highest, so only deleting the highest takes makes room.
            hint=f"delete the highest takes if you will not use them "
            f"(git rm shots/{shot_id}/takes/{layout.take_stem(number - 1)}.yaml)",
        )
    return number


@contextmanager
def reserve_attempt(root: Path, shot_id: str, *, wanted: int | None = None) -> Iterator[int]:
    """Reserve the shot's next attempt number (or ``wanted``) for the duration of the block.

    A number is free when no take file and no live reservation has it; ``wanted`` that is
    taken is refused rather than moved, since the caller asked for that number.
    """
    with shot_lock(root, shot_id):
        if wanted is None:
            number = check_room(root, shot_id)
        else:
            if not 1 <= wanted <= MAX_ATTEMPT:
                raise FilmfsError(f"attempt number {wanted} is outside 1..{MAX_ATTEMPT}")
            if wanted in _existing_attempts(root, shot_id):
                raise FilmfsError(
                    f"shot {shot_id} already has take {wanted} (or one is being generated)",
                    hint="leave the attempt number out to use the next free one",
                )
            number = wanted
        marker = locks_dir(root) / f"{shot_id}-{layout.take_stem(number)}.reserved"
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
    try:
        yield number
    finally:
        marker.unlink(missing_ok=True)


def take_data(
    *,
    attempt: int,
    selected: bool,
    generation_params: Mapping[str, Any],
    video: VideoRef | None,
    generation_cost: Decimal | float | None,
    director_notes: str | None = None,
    quality_score: float | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of a new take, fields in the documented order."""
    data: dict[str, Any] = {
        "attempt_number": attempt,
        "selected": selected,
        "status": "pending",
        "generation_params": {k: v for k, v in generation_params.items() if v is not None},
        "generation_cost": generation_cost,
    }
    if quality_score is not None:
        data["quality_score"] = quality_score
    if director_notes:
        data["director_notes"] = director_notes
    data["created_at"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    if inputs is not None:
        data["inputs"] = dict(inputs)
    if video is not None:
        data["video"] = video.as_data()
    return data


SelectMode = Literal["first", "as-is"]


def write_take(
    root: Path, shot_id: str, attempt: int, data: Mapping[str, Any], *, select: SelectMode
) -> tuple[Path, bool]:
    """Create the take file of a reserved attempt, under the shot's lock; never overwrite one.

    ``select="first"``: the take is selected when the shot has no selected take yet (what
    generate and add-take do). ``select="as-is"``: ``data["selected"]`` is kept, and when it
    is true every other selected take of the shot is unselected first (the Python API).
    Returns the path and whether the take was selected.
    """
    path = layout.take_file(root, shot_id, attempt)
    shown = path.relative_to(root).as_posix()
    with shot_lock(root, shot_id):
        payload = dict(data)
        takes = _read_takes(root, shot_id)
        if select == "first":
            payload["selected"] = not any(selected for _, selected in takes.values())
        # The last guard of "the film stays valid": never write a take the schema refuses.
        check(payload, "take", shown)
        if path.exists():
            raise FilmfsError(
                f"{shown} already exists; a take file is never overwritten",
                hint="reserve the attempt number first (filmfs.film.takes.reserve_attempt)",
            )
        if payload["selected"]:
            # Unselect first: a kill in between leaves no selected take (valid), never two.
            _unselect(takes, keep=attempt)
        try:
            write_new(path, payload, root=root, kind="take", exclusive=True)
        except FileExistsError:
            raise FilmfsError(
                f"{shown} was written by another writer meanwhile; it was not overwritten",
                hint="run again: the next free attempt number will be used",
            ) from None
    return path, bool(payload["selected"])


@dataclass(frozen=True)
class Selection:
    """What :func:`select_take` changed."""

    previous: tuple[int, ...]
    """Every take that was selected before, the chosen one included if it was."""
    changed: tuple[Path, ...]


def select_take(
    root: Path, shot_id: str, attempt: int, changes: Mapping[str, Any] | None = None
) -> Selection:
    """Make take ``attempt`` the shot's one selected take, with optional field ``changes``.

    Everything is decided under the shot's lock from the take files as they are then (not
    from a film loaded earlier): every other selected take is unselected, so this also
    repairs a shot that ended up with several selected takes.
    """
    changes = {"selected": True, **(changes or {})}
    with shot_lock(root, shot_id):
        takes = _read_takes(root, shot_id)
        path = layout.take_file(root, shot_id, attempt)
        if attempt not in takes:
            known = ", ".join(str(n) for n in sorted(takes)) or "none yet"
            raise FilmfsError(f"shot {shot_id} has no take {attempt} (takes: {known})")
        current = _data(path)
        if current.get("video") is None:
            raise FilmfsError(
                f"take {attempt} of shot {shot_id} has no video; it cannot be selected"
            )
        check({**current, **changes}, "take", path.relative_to(root).as_posix())
        previous = tuple(n for n, (_, on) in sorted(takes.items()) if on)
        changed = _unselect(takes, keep=attempt)
        update(path, changes)
        return Selection(previous=previous, changed=(*changed, path))


def _read_takes(root: Path, shot_id: str) -> dict[int, tuple[Path, bool]]:
    """The shot's take files now: attempt -> (path, selected). Unreadable files count as
    not selected (validate reports them)."""
    folder = layout.takes_dir(root, shot_id)
    found: dict[int, tuple[Path, bool]] = {}
    for entry in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if layout.TAKE_STEM.match(entry.stem):
            found[int(entry.stem)] = (entry, _data(entry).get("selected") is True)
    return found


def _data(path: Path) -> dict[str, Any]:
    try:
        data = load(path, path.name).data
    except FilmfsError:
        return {}
    return dict(data) if isinstance(data, dict) else {}


def _unselect(takes: Mapping[int, tuple[Path, bool]], *, keep: int) -> list[Path]:
    changed = []
    for number, (path, selected) in sorted(takes.items()):
        if selected and number != keep:
            update(path, {"selected": False})
            changed.append(path)
    return changed
