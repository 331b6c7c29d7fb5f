"""Adding takes to a shot safely: attempt numbers reserved under a lock, take files atomic.

Two filmfs runs at once never reuse an attempt number: a number is reserved by creating
``.filmfs/locks/<shot>-<NNN>.reserved`` with O_EXCL while holding the shot's lock; the number
is the highest of existing takes and live reservations plus one. A run killed between reserving
and writing leaves only a stale reservation, which costs a gap in the numbering, never a
half-written take: the take file itself is written by rename, after its media is in the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.film.locks import locks_dir, shot_lock
from filmfs.film.model import VideoRef
from filmfs.manifests.edit import check
from filmfs.manifests.loader import load
from filmfs.manifests.writer import write_new

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
            hint=f"delete takes you will not use (git rm shots/{shot_id}/takes/NNN.yaml)",
        )
    return number


@contextmanager
def reserve_attempt(root: Path, shot_id: str) -> Iterator[int]:
    """Reserve the shot's next attempt number for the duration of the block."""
    with shot_lock(root, shot_id):
        number = check_room(root, shot_id)
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


def write_take(
    root: Path, shot_id: str, attempt: int, data: Mapping[str, Any], *, select: bool
) -> tuple[Path, bool]:
    """Write the take file; with ``select`` it is selected when the shot has no selected take.

    Returns the path and whether the take was selected.
    """
    with shot_lock(root, shot_id):
        payload = dict(data)
        if select:
            payload["selected"] = not _has_selected(root, shot_id)
        path = layout.take_file(root, shot_id, attempt)
        # The last guard of "the film stays valid": never write a take the schema refuses.
        check(payload, "take", path.relative_to(root).as_posix())
        write_new(path, payload, root=root, kind="take")
    return path, bool(payload["selected"])


def _has_selected(root: Path, shot_id: str) -> bool:
    folder = layout.takes_dir(root, shot_id)
    for entry in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = load(entry, str(entry)).data
        except Exception:
            continue
        if isinstance(data, dict) and data.get("selected") is True:
            return True
    return False
