"""Transitions: the few seconds around a cut, re-encoded; everything else stream-copied.

For a crossfade of d seconds from A into B, A is copied up to its last clean keyframe at
least d (plus a frame) before its end, B from its first clean keyframe at least d in, and
only A's tail and B's head are decoded, crossed with ``xfade`` and encoded (a "join"). A clip
too short to hold a keyframe in the right place goes whole into the join. Audio is not cut
this way: AAC frames do not line up with video keyframes, so the film's sound is rebuilt in
the final pass (``acrossfade``), which costs an audio encode only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from filmfs.errors import FilmfsError
from filmfs.film.model import Format, Transition
from filmfs.media.conform import CONFORM_VERSION, encode_options
from filmfs.media.ffmpeg import Stream, builder, command, sources
from filmfs.media.splice import CutPoints

# xfade names: "fade" is a dissolve; "fadeblack" dips through black. A "cut" is no transition.
_XFADE = {"crossfade": "fade", "fade": "fadeblack"}


def rendered(transition: Transition | None) -> Transition | None:
    """The transition as the cut renders it: None for a plain cut or a zero duration."""
    if transition is None or transition.kind not in _XFADE or transition.duration <= 0:
        return None
    return transition


@dataclass(frozen=True)
class Piece:
    """A file already in the target format, or the [start, end) seconds of one."""

    label: str
    path: Path
    sha256: str
    duration: float  # of the whole file
    transition_in: Transition | None
    start: float = 0.0
    end: float | None = None

    @property
    def length(self) -> float:
        return (self.duration if self.end is None else self.end) - self.start


@dataclass(frozen=True)
class Copy:
    piece: Piece  # start/end say which part is stream-copied


@dataclass(frozen=True)
class Join:
    pieces: list[Piece]  # trimmed parts, crossed by their transitions and encoded

    def key(self, fmt: Format) -> str:
        spec = [
            [p.sha256, round(p.start, 6), p.end and round(p.end, 6),
             [p.transition_in.kind, p.transition_in.duration] if p.transition_in else None]
            for p in self.pieces
        ]  # fmt: skip
        blob = json.dumps(["join", spec, fmt.key(), CONFORM_VERSION]).encode()
        return hashlib.sha256(blob).hexdigest()


def plan(pieces: list[Piece], points: list[CutPoints], fmt: Format) -> list[Copy | Join]:
    """Split the cut into stream-copied parts and re-encoded joins around transitions."""
    frame = float(fmt.frame)
    parts: list[Copy | Join] = []
    join: list[Piece] | None = None
    for i, piece in enumerate(pieces):
        tr_in = piece.transition_in
        tr_out = pieces[i + 1].transition_in if i + 1 < len(pieces) else None
        for tr, other in ((tr_in, pieces[i - 1] if i else None), (tr_out, None)):
            if tr and (tr.duration >= piece.duration or (other and tr.duration >= other.duration)):
                raise FilmfsError(
                    f"{piece.label}: a {tr.duration} s {tr.kind} is longer than a clip it joins",
                    hint="shorten the transition",
                )
        # One frame of margin so each side of an xfade is strictly longer than the fade.
        start = 0.0
        if tr_in:
            need = tr_in.duration + frame
            start = next((t for t in points[i].starts if t >= need), piece.duration)
        end = piece.duration
        if tr_out:
            limit = piece.duration - tr_out.duration - frame
            end = next((t for t in reversed(points[i].ends) if t <= limit), 0.0)
        if end - start < frame:  # no clean copy inside: the whole clip joins
            whole = replace(piece, transition_in=tr_in)
            join = [*join, whole] if join else [whole]
            if not tr_out:
                parts.append(Join(join))
                join = None
            continue
        if start > 0:
            head = replace(piece, end=start)
            parts.append(Join([*join, head] if join else [head]))
            join = None
        parts.append(Copy(replace(piece, transition_in=None, start=start,
                                  end=None if end >= piece.duration else end)))  # fmt: skip
        if tr_out:
            join = [replace(piece, transition_in=None, start=end)]
    return parts


def join_argv(pieces: list[Piece], fmt: Format, out: Path) -> list[str]:
    """ffmpeg arguments encoding the video of a join; a transition on the first part is a
    fade in from black (nothing to cross from)."""
    ff = builder()
    parts = []
    for piece, video in zip(pieces, sources([p.path for p in pieces], "video"), strict=True):
        trim = {"start": f"{piece.start:.6f}"}
        if piece.end is not None:
            trim["end"] = f"{piece.end:.6f}"
        # Times from the first frame, as splice.copy_video counts them (a file may start at
        # 21 ms after an edit list); then a common time base so xfade accepts any pair.
        parts.append(
            video.filter("setpts", "PTS-STARTPTS")
            .filter("trim", **trim)
            .filter("setpts", "PTS-STARTPTS")
            .filter("settb", "AVTB")
        )
    joined = parts[0]
    first = pieces[0].transition_in
    if first:
        joined = joined.filter("fade", t="in", d=first.duration)
    elapsed = pieces[0].length
    for piece, part in zip(pieces[1:], parts[1:], strict=True):
        tr = piece.transition_in
        if tr is None:
            joined = ff.concat(joined, part, v=1, a=0)
            elapsed += piece.length
        else:
            joined = ff.filter(
                [joined, part],
                "xfade",
                transition=_XFADE[tr.kind],
                duration=tr.duration,
                offset=f"{elapsed - tr.duration:.6f}",
            )
            elapsed += piece.length - tr.duration
    return command(ff.output(joined, str(out), an=None, **encode_options(fmt)))


def film_audio(pieces: list[Piece], sounds: list[Stream]) -> Stream:
    """The cut's sound rebuilt from the whole clips' ``sounds`` (one stream per piece).

    Each clip's sound is padded/cut to its picture so the tracks cannot drift apart.
    """
    ff = builder()
    parts = [
        sound.filter("asetpts", "PTS-STARTPTS")
        .filter("apad")
        .filter("atrim", 0, f"{p.duration:.6f}")
        for p, sound in zip(pieces, sounds, strict=True)
    ]
    film = parts[0]
    if pieces[0].transition_in:
        film = film.filter("afade", t="in", d=pieces[0].transition_in.duration)
    for piece, part in zip(pieces[1:], parts[1:], strict=True):
        tr = piece.transition_in
        if tr is None:
            film = ff.concat(film, part, v=0, a=1)
        else:
            film = ff.filter([film, part], "acrossfade", d=tr.duration)
    return film
