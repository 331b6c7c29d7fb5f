"""Stream-copying part of a clip: clean keyframe cut points and video-only remuxing.

Used so a transition re-encodes only the seconds around its cut. A cut is only made where it
is clean in decode order: cutting *before* keyframe K needs every earlier packet to show
before K, and starting *at* K needs every later packet to show at or after K (a closed GOP).
Open-GOP keyframes fail the check and are skipped, so a cut never loses a referenced frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass  # imported where it is used: PyAV costs ~0.1 s of start-up

from filmfs.errors import FilmfsError


@dataclass(frozen=True)
class CutPoints:
    starts: list[float]  # keyframe times a copy may start at (seconds)
    ends: list[float]  # keyframe times a copy may end before (seconds)


def cut_points(path: Path) -> CutPoints:
    """Clean keyframe times of ``path``'s video, from packet headers only (no decoding)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        tb = stream.time_base or Fraction(1, 1)
        packets = [
            (int(p.pts), bool(p.is_keyframe)) for p in container.demux(stream) if p.pts is not None
        ]
    if not packets:
        return CutPoints([], [])
    first = packets[0][0]
    n = len(packets)
    before_max = [0] * n  # max pts of packets before index i, in decode order
    after_min = [0] * n  # min pts of packets at index i and after
    running = -(1 << 62)
    for i, (pts, _) in enumerate(packets):
        before_max[i] = running
        running = max(running, pts)
    running = 1 << 62
    for i in range(n - 1, -1, -1):
        running = min(running, packets[i][0])
        after_min[i] = running
    starts, ends = [], []
    for i, (pts, key) in enumerate(packets):
        if not key:
            continue
        seconds = float((pts - first) * tb)
        if after_min[i] >= pts:
            starts.append(seconds)
        if before_max[i] < pts:
            ends.append(seconds)
    return CutPoints(sorted(starts), sorted(ends))


def copy_video(src: Path, start: float, end: float | None, out: Path) -> None:
    """Remux ``src``'s video packets showing in [start, end) to ``out``, times from zero.

    ``start`` and ``end`` must be clean cut points (see :func:`cut_points`).
    """
    import av

    with av.open(str(src)) as inp, av.open(str(out), "w", format="mp4") as dst:
        istream = inp.streams.video[0]
        ostream = dst.add_stream_from_template(istream)
        tb = istream.time_base or Fraction(1, 1)
        first: int | None = None
        written = 0
        for packet in inp.demux(istream):
            if packet.pts is None or packet.dts is None:
                continue  # the demuxer's final flush packet
            if first is None:
                first = int(packet.pts)
            t = float((packet.pts - first) * tb)
            if t < start - 1e-6 or (end is not None and t >= end - 1e-6):
                continue
            shift = first + round(start / tb)
            packet.pts -= shift
            packet.dts -= shift
            packet.stream = ostream
            dst.mux(packet)
            written += 1
    if not written:
        raise FilmfsError(f"{src}: no video between {start} s and {end} s to copy")
