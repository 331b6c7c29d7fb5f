"""CMX 3600 EDL, written by filmfs (the OTIO adapter's output is not what CMX readers expect).

The OTIO CMX adapter writes a dissolve as ``D 024`` inside the 4-column transition field (an
independent reader, pycmx, then sees the transition ``D 02`` and no duration), writes no
``FCM:`` line, only the first track (no sound), reel names cut from the file name and an
``* OTIO TRUNCATED REEL NAME`` comment on every event. tests/test_edl_export.py keeps a check
that notices when the adapter is fixed. Here:

- columns as CMX 3600 lays them out: event (3), reel (8), channels (4), transition (4: ``C``,
  ``D``), duration (3, frames), then source in/out and record in/out, non-drop timecode;
- ``AA/V``: the take's picture with its own sound on A1/A2 (``V`` when it has none); the
  soundtrack on A3 and the shots' audio assets on A4 (channel ``NONE`` plus an ``AUD`` line),
  overlapping beds as audio dissolves; levels as Avid's ``* AUDIO LEVEL AT`` comments;
- each event's reel is set explicitly (``01AT2``: shot and take, at most 8 characters), and
  ``* FILMFS REEL <reel> IS SHOT <id> TAKE <n> SHA256 <sha>`` (or ``ASSET <id>``) maps it back,
  whatever the length of the shot's id; ``* SOURCE FILE:`` names the media file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import opentimelineio as otio

from filmfs.export.timeline import film_rate

REEL_WIDTH = 8
REEL_COMMENT = re.compile(
    r"^\* FILMFS REEL (?P<reel>\S+) IS "
    r"(?:SHOT (?P<shot>\S+) TAKE (?P<take>\d+)|ASSET (?P<asset>\S+))"
    r"(?: SHA256 (?P<sha>[0-9a-f]{64}))?"
)


@dataclass
class Segment:
    """A stretch of one source on one channel: where it starts in the source and on the
    record, how long it lasts (overlapping the next one makes a dissolve)."""

    reel: str
    name: str
    url: str
    src_in: int
    rec_in: int
    length: int
    mapping: str
    volume: float | None = None
    channel: str = "NONE"

    @property
    def rec_out(self) -> int:
        return self.rec_in + self.length


def timecode(frame: int, fps: int) -> str:
    seconds, ff = divmod(frame, fps)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}"


def _frames(t: otio.opentime.RationalTime, rate: Fraction) -> int:
    return round(Fraction(t.value) / Fraction(t.rate) * rate) if t.rate else 0


class _Reels:
    """Reel names, unique per source: ``01AT2`` where it fits, else a numbered ``R001``..."""

    def __init__(self) -> None:
        self.by_source: dict[str, str] = {}
        self.used: set[str] = set()

    def name(self, source: str, wanted: str) -> str:
        if source in self.by_source:
            return self.by_source[source]
        reel = re.sub(r"[^A-Z0-9_]", "", wanted.upper())[:REEL_WIDTH] or "AX"
        n = 0
        while reel in self.used or reel in ("AX", "BL", "BLACK"):
            n += 1
            reel = f"R{n:03d}"
        self.used.add(reel)
        self.by_source[source] = reel
        return reel


def _track_segments(track: otio.schema.Track, rate: Fraction, reels: _Reels) -> list[Segment]:
    """The clips of a track with the hidden frames a transition shows of each (EDL events
    include them: a dissolve's B side starts where the dissolve starts)."""
    segments: list[Segment] = []
    items = list(track)
    record = 0
    for i, item in enumerate(items):
        if isinstance(item, otio.schema.Transition):
            continue
        length = _frames(item.source_range.duration, rate)
        if isinstance(item, otio.schema.Clip):
            head = items[i - 1] if i and isinstance(items[i - 1], otio.schema.Transition) else None
            after = items[i + 1] if i + 1 < len(items) else None
            tail = after if isinstance(after, otio.schema.Transition) else None
            before = _frames(head.in_offset, rate) if head else 0
            extra = _frames(tail.out_offset, rate) if tail else 0
            meta = item.metadata.get("filmfs", {})
            ref = item.media_reference
            url = getattr(ref, "target_url", "") or ""
            if "take" in meta:
                source = f"{meta['shot']}/{meta['take']}"
                reel = reels.name(source, f"{meta['shot']}T{meta['take']}")
                mapping = f"SHOT {meta['shot']} TAKE {meta['take']} SHA256 {meta['sha256']}"
            else:
                asset = str(meta.get("asset", item.name))
                reel = reels.name(f"asset/{asset}", asset)
                sha = meta.get("sha256")
                mapping = f"ASSET {asset}" + (f" SHA256 {sha}" if sha else "")
            segments.append(
                Segment(
                    reel=reel,
                    name=item.name,
                    url=url,
                    src_in=_frames(item.source_range.start_time, rate) - before,
                    rec_in=record - before,
                    length=before + length + extra,
                    mapping=mapping,
                    volume=meta.get("volume"),
                )
            )
        record += length
    return segments


def _events(segments: list[Segment], aud: str | None, fps: int) -> list[list[str]]:

    def tc(frame: int) -> str:
        return timecode(frame, fps)

    """Event blocks of one channel: cuts, and dissolves where a segment overlaps the last."""
    blocks: list[list[str]] = []
    segments = sorted(segments, key=lambda s: s.rec_in)
    for i, seg in enumerate(segments):
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        rec_out = min(seg.rec_out, nxt.rec_in) if nxt else seg.rec_out
        prev = segments[i - 1] if i else None
        overlap = prev.rec_out - seg.rec_in if prev and prev.rec_out > seg.rec_in else 0
        src_out = seg.src_in + (rec_out - seg.rec_in)
        lines: list[str] = []
        if overlap and prev is not None:
            # The A side, held at its out point for a zero-length cut, then the dissolve.
            at = prev.src_in + (seg.rec_in - prev.rec_in)
            lines.append(_line(prev.reel, prev.channel, "C", None, tc(at), tc(at),
                               tc(seg.rec_in), tc(seg.rec_in)))  # fmt: skip
            lines += [aud] if aud else []
        kind, frames = ("D", overlap) if overlap else ("C", None)
        lines.append(_line(seg.reel, seg.channel, kind, frames, tc(seg.src_in), tc(src_out),
                           tc(seg.rec_in), tc(rec_out)))  # fmt: skip
        lines += [aud] if aud else []
        if overlap and prev is not None:
            lines += [f"* FROM CLIP NAME:  {prev.name}", f"* TO CLIP NAME:  {seg.name}"]
        else:
            lines.append(f"* FROM CLIP NAME:  {seg.name}")
        lines.append(f"* SOURCE FILE: {seg.url}")
        if seg.volume is not None:
            db = 20 * math.log10(seg.volume) if seg.volume > 0 else -144.0
            track = aud.split()[-1] if aud else "1"
            lines.append(
                f"* AUDIO LEVEL AT {tc(seg.rec_in)} IS {db:+.2f} DB  (REEL {seg.reel} A{track})"
            )
        lines.append(f"* FILMFS REEL {seg.reel} IS {seg.mapping}")
        blocks.append(lines)
    return blocks


def _line(reel: str, channel: str, kind: str, frames: int | None, *times: str) -> str:
    duration = f"{frames:03d}" if frames is not None else "   "
    return f"{{n}}  {reel:<{REEL_WIDTH}} {channel:<4}  {kind:<4} {duration} {' '.join(times)}"


def write_edl(timeline: otio.schema.Timeline) -> str:
    """The timeline (built by :func:`filmfs.export.timeline.build_timeline`) as CMX 3600."""
    rate = film_rate(timeline)
    fps = math.ceil(rate)  # NTSC rates count non-drop timecode at the next whole number
    reels = _Reels()
    roles: dict[str, list[otio.schema.Track]] = {}
    for track in timeline.tracks:
        roles.setdefault(track.metadata.get("filmfs", {}).get("role", track.kind), []).append(track)
    video = roles[otio.schema.TrackKind.Video][0]
    picture = _track_segments(video, rate, reels)
    heard = {
        (s.reel, s.rec_in) for t in roles.get("takes", []) for s in _track_segments(t, rate, reels)
    }
    for seg in picture:
        # The take's picture and its own sound in one event (A1/A2), as NLEs export them.
        seg.channel = "AA/V" if (seg.reel, seg.rec_in) in heard else "V"
    blocks = _events(picture, None, fps)
    for role, aud in (("soundtrack", "AUD   3"), ("shot", "AUD   4")):
        beds = [s for t in roles.get(role, []) for s in _track_segments(t, rate, reels)]
        blocks += _events(beds, aud, fps)
    out = [f"TITLE: {_title(timeline.name)}", "FCM: NON-DROP FRAME", ""]
    for number, block in enumerate(blocks, start=1):
        out += [line.replace("{n}", f"{number:03d}", 1) for line in block]
    return "\n".join(out) + "\n"


def _title(name: str) -> str:
    # One line, as CMX readers expect; the title field is free text otherwise.
    return " ".join(name.split())[:70] or "filmfs"
