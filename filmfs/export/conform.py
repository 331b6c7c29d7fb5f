"""An editor's timeline as decisions about the film's shots: which take, which frames of it,
which transition, in which order, and which shots left the cut.

Each picture clip is mapped to a shot and take by what filmfs wrote, never by guessing: the
sha256 in its media reference's ``metadata["filmfs"]`` (``.otio``) or in an FCPXML asset's
``uid``; the name of its media file (``01A_take2_3b163dcb.mp4``: shot, take and a short sha
that must match that take); a store path (``.filmfs/objects/ab/cdef…``); an EDL reel and the
``* FILMFS REEL`` comment that maps it. A clip none of these map is reported, with where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import PurePosixPath
from typing import Any

from filmfs.errors import FilmfsError
from filmfs.export.media import TAKE_NAME
from filmfs.export.read import EditedClip, EditedCut
from filmfs.film.model import Shot, Take
from filmfs.film.order import reorder

_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ShotDecision:
    shot: str
    new_id: str
    position: int
    take: int
    fields: dict[str, Any] = field(default_factory=dict)
    """shot.yaml fields to set (None: remove), besides a rename."""
    select: bool = False  # the take is not the selected one yet


@dataclass(frozen=True)
class EditPlan:
    decisions: list[ShotDecision]
    omitted: list[str]
    notes: list[str]

    @property
    def empty(self) -> bool:
        changed = [d for d in self.decisions if d.fields or d.select or d.new_id != d.shot]
        return not changed and not self.omitted


class _Takes:
    """The film's takes by sha256 and by (shot, attempt)."""

    def __init__(self, shots: dict[str, Shot]) -> None:
        self.by_sha: dict[str, Take] = {}
        self.by_id: dict[tuple[str, int], Take] = {}
        for shot in shots.values():
            for take in shot.takes:
                if take.video is not None:
                    self.by_sha.setdefault(take.video.sha256, take)
                    self.by_id[(shot.shot_number, take.attempt_number)] = take

    def named(self, shot: str, attempt: int, sha: str | None, what: str) -> Take:
        take = self.by_id.get((shot, attempt))
        if take is None or take.video is None:
            raise LookupError(f"{what} names take {attempt} of shot {shot}, which the film has not")
        if sha and not take.video.sha256.startswith(sha):
            raise LookupError(
                f"{what} names take {attempt} of shot {shot}, but its sha256 {sha[:12]} is "
                f"not that take's ({take.video.sha256[:12]})"
            )
        return take


def map_clip(clip: EditedClip, takes: _Takes, reels: dict[str, dict[str, str]]) -> Take:
    """The take a clip shows; LookupError saying why when nothing filmfs wrote maps it."""
    sha = str(clip.ref_meta.get("sha256") or "")
    if _HEX.fullmatch(sha):
        if sha in takes.by_sha:
            return takes.by_sha[sha]
        raise LookupError(f"its media (sha256 {sha[:12]}) is no take of this film")
    url = clip.urls[0] if clip.urls else ""
    name = PurePosixPath(url.split("?")[0]).name
    # The media file's name; an NLE's EDL may carry it only as the clip name.
    for candidate in (name, clip.name.strip()):
        match = TAKE_NAME.match(candidate)
        if match:
            what = f"its file {candidate}"
            return takes.named(match["shot"], int(match["take"]), match["sha"], what)
    stored = PurePosixPath(url).parent.name + name
    if _HEX.fullmatch(stored):
        if stored in takes.by_sha:
            return takes.by_sha[stored]
        raise LookupError(f"its media {url} is no take of this film")
    if clip.reel and clip.reel in reels:
        entry = reels[clip.reel]
        if "shot" in entry:
            what = f"reel {clip.reel}"
            return takes.named(entry["shot"], int(entry["take"]), entry.get("sha"), what)
    media = url or (f"reel {clip.reel}" if clip.reel else "no media reference")
    raise LookupError(f"{media} is not a take filmfs exported (no name, sha256 or reel maps it)")


def _seconds(frames: int, rate: Fraction) -> float | int:
    value = Fraction(frames) / rate
    return value.numerator if value.denominator == 1 else round(float(value), 6)


def _frames(seconds: float | Fraction | None, rate: Fraction) -> int | None:
    return None if seconds is None else round(Fraction(repr(float(seconds))) * rate)


def plan_edit(cut: EditedCut, shots: dict[str, Shot], rate: Fraction) -> EditPlan:
    """The manifest changes that make the film's cut the editor's ``cut``.

    ``shots`` is the film's shots in film order; FilmfsError lists every clip that maps to no
    take (then nothing should be written).
    """
    takes = _Takes(shots)
    mapped: list[tuple[EditedClip, Take]] = []
    problems: list[str] = []
    seen: dict[str, EditedClip] = {}
    for clip in cut.clips:
        try:
            take = map_clip(clip, takes, cut.reels)
        except LookupError as exc:
            problems.append(f"{clip.where()}: {exc}")
            continue
        if take.shot_id in seen:
            problems.append(
                f"{clip.where()}: shot {take.shot_id} is already {seen[take.shot_id].where()}; "
                "a shot plays once in the cut"
            )
            continue
        seen[take.shot_id] = clip
        mapped.append((clip, take))
    if problems:
        raise FilmfsError(
            f"{len(problems)} clip(s) cannot be mapped to a shot and take; nothing was written:\n"
            + "\n".join(f"  {p}" for p in problems),
            hint="keep the media files filmfs exported (their names say shot and take), "
            "or remove those clips",
        )
    if not mapped:
        raise FilmfsError("the timeline has no clips on its picture track")
    # Scenes are optional: a shot with none is ordered as if in scene 0 and stays without one.
    order = [(t.shot_id, shots[t.shot_id].scene or 0) for _, t in mapped]
    placements = reorder(order, set(shots))
    decisions = []
    for n, ((clip, take), place) in enumerate(zip(mapped, placements, strict=True)):
        shot = shots[take.shot_id]
        decisions.append(_decide(shot, take, clip, place.scene, place.new_id, n, rate))
    in_cut = {t.shot_id for _, t in mapped}
    omitted = [
        s.shot_number
        for s in shots.values()
        if s.status != "omitted" and s.selected_take is not None and s.shot_number not in in_cut
    ]
    return EditPlan(decisions, omitted, list(cut.notes))


def _decide(
    shot: Shot, take: Take, clip: EditedClip, scene: int, new_id: str, n: int, rate: Fraction
) -> ShotDecision:
    assert take.video is not None
    length = round(Fraction(repr(float(take.video.duration))) * rate)
    if clip.used_in < 0 or clip.used_out > length or clip.used_out <= clip.used_in:
        raise FilmfsError(
            f"{clip.where()}: it uses frames {clip.used_in} to {clip.used_out} of shot "
            f"{shot.shot_number} take {take.attempt_number}, which has {length}",
            hint="trim the clip (and its transitions) within the take",
        )
    fields: dict[str, Any] = {}
    cut_in = clip.used_in or None
    cut_out = clip.used_out if clip.used_out < length else None
    had_in = _frames(getattr(shot, "cut_in", None), rate) or None
    had_out = _frames(getattr(shot, "cut_out", None), rate)
    had_out = had_out if had_out is not None and had_out < length else None
    if cut_in != had_in:
        fields["in"] = _seconds(cut_in, rate) if cut_in else None
    if cut_out != had_out:
        fields["out"] = _seconds(cut_out, rate) if cut_out else None
    if n:  # the first clip has nothing to cross from: its transition_in is left as it is
        had = shot.transition_in
        had_fade = (
            _frames(had.duration, rate)
            if had and had.kind == "crossfade" and had.duration > 0
            else 0
        )
        if clip.fade_in != had_fade:
            fields["transition_in"] = (
                {"type": "crossfade", "duration": _seconds(clip.fade_in, rate)}
                if clip.fade_in
                else None
            )
    if scene != (shot.scene or 0):
        fields["scene"] = scene or None
    if shot.status == "omitted":
        fields["status"] = "ready"
    return ShotDecision(
        shot=shot.shot_number,
        new_id=new_id,
        position=clip.position,
        take=take.attempt_number,
        fields=fields,
        select=take.attempt_number != _selected(shot),
    )


def _selected(shot: Shot) -> int | None:
    take = shot.selected_take
    return take.attempt_number if take else None
