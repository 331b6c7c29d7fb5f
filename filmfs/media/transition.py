"""Transitions between clips, rendered as one re-encoded segment per run of joined clips.

Trade-off (documented for the command layer): a cut with a transition re-encodes the clips
on both sides of it, whole, and stream-copies every other clip. Re-encoding only the tail and
head around the cut would need the split to fall on a keyframe of each source, which
generated takes do not promise; this is the exact, simple version. The segment is cached in
the store keyed by its inputs, so it too is rendered once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filmfs.errors import FilmfsError
from filmfs.media.normalise import AUDIO_RATE, NORMALISER_VERSION, Format, encode_args

TransitionKind = Literal["crossfade", "fade"]
# xfade names: "fade" is a dissolve; "fadeblack" dips through black.
_XFADE = {"crossfade": "fade", "fade": "fadeblack"}


@dataclass(frozen=True)
class Transition:
    kind: TransitionKind
    duration: float  # seconds; the cut gets this much shorter (the clips overlap)

    def __post_init__(self) -> None:
        if self.kind not in _XFADE:
            raise FilmfsError(f"unknown transition {self.kind!r}; use crossfade or fade")
        if self.duration <= 0:
            raise FilmfsError(f"transition duration must be > 0, not {self.duration}")


@dataclass(frozen=True)
class Piece:
    """One input of a segment: a file already in the target format."""

    label: str
    path: Path
    sha256: str
    duration: float
    transition_in: Transition | None


def segment_key(pieces: list[Piece], fmt: Format) -> str:
    spec = [
        [p.sha256, [p.transition_in.kind, p.transition_in.duration] if p.transition_in else None]
        for p in pieces
    ]
    blob = json.dumps(["transition", spec, fmt.key(), NORMALISER_VERSION]).encode()
    return hashlib.sha256(blob).hexdigest()


def segment_duration(pieces: list[Piece]) -> float:
    overlap = sum(p.transition_in.duration for p in pieces[1:] if p.transition_in)
    return sum(p.duration for p in pieces) - overlap


def segment_argv(pieces: list[Piece], fmt: Format, out: Path) -> list[str]:
    """ffmpeg arguments joining ``pieces`` with their transitions into ``out``.

    A transition on the first piece is a fade in from black (nothing to cross from).
    """
    args: list[str] = []
    graph: list[str] = []
    for i, piece in enumerate(pieces):
        args += ["-i", str(piece.path)]
        # Common time base and zero start so xfade/acrossfade accept any pair of inputs.
        graph.append(f"[{i}:v]settb=AVTB,setpts=PTS-STARTPTS[v{i}]")
        graph.append(f"[{i}:a]aresample={AUDIO_RATE},asetpts=PTS-STARTPTS[a{i}]")
    first = pieces[0].transition_in
    if first:
        graph.append(f"[v0]fade=t=in:d={first.duration}[v0f]")
        graph.append(f"[a0]afade=t=in:d={first.duration}[a0f]")
    vin, ain = ("v0f", "a0f") if first else ("v0", "a0")
    elapsed = pieces[0].duration
    for i, piece in enumerate(pieces[1:], start=1):
        tr = piece.transition_in
        if tr is None:
            graph.append(f"[{vin}][{ain}][v{i}][a{i}]concat=n=2:v=1:a=1[vj{i}][aj{i}]")
            elapsed += piece.duration
        else:
            if tr.duration >= min(piece.duration, pieces[i - 1].duration):
                raise FilmfsError(
                    f"{piece.label}: a {tr.duration} s {tr.kind} is longer than a clip it joins",
                    hint="shorten the transition",
                )
            offset = elapsed - tr.duration
            graph.append(
                f"[{vin}][v{i}]xfade=transition={_XFADE[tr.kind]}:"
                f"duration={tr.duration}:offset={offset:.6f}[vj{i}]"
            )
            graph.append(f"[{ain}][a{i}]acrossfade=d={tr.duration}[aj{i}]")
            elapsed += piece.duration - tr.duration
        vin, ain = f"vj{i}", f"aj{i}"
    return [
        *args,
        "-filter_complex", ";".join(graph), "-map", f"[{vin}]", "-map", f"[{ain}]",
        *encode_args(fmt), str(out),
    ]  # fmt: skip
