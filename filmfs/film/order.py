"""Putting shots in a new order under the film's ordering rule, changing as few names as can be.

The film plays scenes by ``scene_number`` and, within a scene, shots by the natural order of
their ids (``01A < 01AA < 01B < 02A``); there is no order field. So an editor's new order is
written as (1) scene changes: the longest run of the shots whose scenes are already in order
keeps them, every other shot joins the scene of the shot before it (the first, the scene of
the shot after it); then (2) renames within each scene: the longest run of shots whose ids
are already in order keeps them, every other shot gets a new id between its neighbours
(``01AA`` between 01A and 01B, ``01D`` after 01C, ``00A`` before 01A). A new id is never the
id of any shot in the film, so renames never chain or collide.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from filmfs import layout
from filmfs.errors import FilmfsError

T = TypeVar("T")
MAX_LETTERS = 4  # layout.SHOT_ID


@dataclass(frozen=True)
class Placement:
    shot: str
    scene: int
    new_id: str

    @property
    def renamed(self) -> bool:
        return self.new_id != self.shot


def _longest_run(values: Sequence[T], key: Callable[[T], object], *, strict: bool) -> set[int]:
    """Indexes of a longest subsequence whose keys increase (strictly or not)."""
    best: list[int] = [1] * len(values)
    prev: list[int | None] = [None] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            a, b = key(values[j]), key(value)
            ok = a < b if strict else a <= b  # type: ignore[operator]
            if ok and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    if not values:
        return set()
    at: int | None = max(range(len(values)), key=lambda i: best[i])
    kept = set()
    while at is not None:
        kept.add(at)
        at = prev[at]
    return kept


def _split(shot_id: str) -> tuple[str, str]:
    digits = shot_id.rstrip(string.ascii_uppercase)
    return digits, shot_id[len(digits) :]


def new_id(lo: str | None, hi: str | None, taken: set[str], scene: int) -> str:
    """A shot id strictly between ``lo`` and ``hi`` in natural order, not in ``taken``."""

    def fits(candidate: str) -> bool:
        key = layout.natural_key(candidate)
        return (
            layout.SHOT_ID.match(candidate) is not None
            and candidate not in taken
            and (lo is None or layout.natural_key(lo) < key)
            and (hi is None or key < layout.natural_key(hi))
        )

    if lo is not None:
        prefixes = [_split(lo)[0]]
    elif hi is not None:
        digits = _split(hi)[0]
        below = int(digits) - 1
        prefixes = [str(below).zfill(len(digits))] if below >= 0 else []
        prefixes.append(digits)
    else:
        prefixes = [layout.scene_stem(scene)]
    for prefix in prefixes:
        for size in range(1, MAX_LETTERS):
            for letters in itertools.product(string.ascii_uppercase, repeat=size):
                candidate = prefix + "".join(letters)
                if fits(candidate):
                    return candidate
    raise FilmfsError(
        f"no shot id fits between {lo or 'the start'} and {hi or 'the end'} of scene {scene}",
        hint="rename the shots of that scene by hand (shots/<ID>/ and its shot_number)",
    )


def reorder(sequence: Sequence[tuple[str, int]], taken: set[str]) -> list[Placement]:
    """Scenes and ids that put ``sequence`` ((shot id, scene) in the editor's order) in that
    order under the film's rule; ``taken`` is every shot id of the film."""
    kept = _longest_run(sequence, key=lambda s: s[1], strict=False)
    scenes: list[int] = [scene for _, scene in sequence]
    first_kept = min(kept, default=0)
    for i in range(len(sequence)):
        if i not in kept:
            scenes[i] = scenes[i - 1] if i > 0 else sequence[first_kept][1]
    placements: list[Placement] = []
    used = set(taken)
    for scene, group in itertools.groupby(range(len(sequence)), key=lambda i: scenes[i]):
        members = list(group)
        ids = [sequence[i][0] for i in members]
        keep = _longest_run(ids, key=layout.natural_key, strict=True)
        final: list[str] = []
        for n, shot in enumerate(ids):
            if n in keep:
                final.append(shot)
                continue
            lo = final[-1] if final else None
            hi = next((ids[m] for m in range(n + 1, len(ids)) if m in keep), None)
            made = new_id(lo, hi, used, scene)
            used.add(made)
            final.append(made)
        placements += [Placement(s, scene, f) for s, f in zip(ids, final, strict=True)]
    return placements
