"""Reading an editor's timeline back: the picture track as clips, in frames at the film's rate.

``.otio`` and FCP 7 ``.xml`` are read by OpenTimelineIO (and its FCP adapter), ``.fcpxml`` by
the spine of its sequence, ``.edl`` by pycmx. Each picture clip becomes an :class:`EditedClip`:
what identifies its media (references, name, reel, filmfs metadata), the frames of the take it
uses *including* the frames a transition shows of it, and the length of the transition into
it. That is the same whether the editor's NLE centres a dissolve on the edit (OTIO, FCP) or
starts it at the edit (CMX 3600).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import opentimelineio as otio

from filmfs.errors import FilmfsError
from filmfs.export.edl import REEL_COMMENT

READABLE = (".otio", ".xml", ".fcpxml", ".edl")


@dataclass(frozen=True)
class EditedClip:
    position: int  # 1-based, on the picture track
    name: str
    urls: tuple[str, ...]  # the active media reference first
    used_in: int  # first frame of the take used (transition handles included)
    used_out: int  # frame after the last one used
    fade_in: int  # frames of the transition into this clip (0: a cut)
    reel: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)  # metadata["filmfs"] of the clip
    ref_meta: Mapping[str, Any] = field(default_factory=dict)  # ... of its active reference
    record_in: int = 0

    def where(self) -> str:
        return f"clip {self.position} ({self.name or 'unnamed'}, at frame {self.record_in})"


@dataclass(frozen=True)
class EditedCut:
    clips: list[EditedClip]
    notes: list[str]  # what was read but carries no decision (gaps, extra tracks)
    reels: dict[str, dict[str, str]] = field(default_factory=dict)  # EDL reel -> mapping


def _frames(t: otio.opentime.RationalTime, rate: Fraction) -> int:
    return round(Fraction(t.value) / Fraction(t.rate) * rate) if t.rate else 0


def read_edit(path: Path, rate: Fraction) -> EditedCut:
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise FilmfsError(
            f"{path}: cannot read {suffix or 'a file without a suffix'!r}",
            hint=f"import-edit reads {', '.join(READABLE)}",
        )
    if not path.is_file():
        raise FilmfsError(f"{path}: no such file")
    try:
        if suffix == ".fcpxml":
            return _from_fcpxml(path.read_text("utf-8"), rate)
        if suffix == ".edl":
            return _from_edl(path.read_text("utf-8"), rate)
        timeline = otio.adapters.read_from_file(str(path))
    except FilmfsError:
        raise
    except Exception as exc:  # every adapter raises its own errors on a damaged file
        raise FilmfsError(f"{path}: cannot read the timeline ({exc})") from exc
    return _from_otio(timeline, rate)


def _from_otio(timeline: otio.schema.Timeline, rate: Fraction) -> EditedCut:
    videos = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video]
    if not videos:
        raise FilmfsError("the timeline has no video track")
    notes = [f"video track {t.name or n + 2} ignored (the cut is the first video track)"
             for n, t in enumerate(videos[1:]) if list(t.find_clips())]  # fmt: skip
    items = list(videos[0])
    clips: list[EditedClip] = []
    record = 0
    for i, item in enumerate(items):
        if isinstance(item, otio.schema.Transition):
            continue
        length = _frames(item.source_range.duration, rate) if item.source_range else 0
        if isinstance(item, otio.schema.Gap):
            if length:
                notes.append(f"a gap of {length} frames at frame {record} is closed up")
            record += length
            continue
        if not isinstance(item, otio.schema.Clip) or not item.enabled:
            record += length
            continue
        before = items[i - 1] if i else None
        after = items[i + 1] if i + 1 < len(items) else None
        head = before if isinstance(before, otio.schema.Transition) else None
        tail = after if isinstance(after, otio.schema.Transition) else None
        start = _frames(item.source_range.start_time, rate)
        ref = item.media_reference
        refs = [ref, *(r for r in item.media_references().values() if r is not ref)]
        urls = tuple(getattr(r, "target_url", "") or "" for r in refs if r is not None)
        active = ref.metadata.get("filmfs", {}) if ref is not None else {}
        # Start offsets: an FCP 7 clip's source times count from its file's timecode start.
        origin = ref.available_range.start_time if ref is not None and ref.available_range else None
        offset = _frames(origin, rate) if origin is not None else 0
        clips.append(
            EditedClip(
                position=len(clips) + 1,
                name=item.name,
                urls=urls,
                used_in=start - offset - (_frames(head.in_offset, rate) if head else 0),
                used_out=start - offset + length + (_frames(tail.out_offset, rate) if tail else 0),
                fade_in=_frames(head.in_offset + head.out_offset, rate) if head else 0,
                meta=dict(item.metadata.get("filmfs", {})),
                ref_meta=dict(active),
                record_in=record,
            )
        )
        record += length
    return EditedCut(clips, notes)


_TIME = re.compile(r"^(-?\d+)(?:/(\d+))?s$")


def _fcp_time(value: str | None, rate: Fraction) -> int:
    match = _TIME.match(value or "0s")
    if not match:
        raise FilmfsError(f"not an FCPXML time: {value!r}")
    return round(Fraction(int(match[1]), int(match[2] or 1)) * rate)


def _from_fcpxml(text: str, rate: Fraction) -> EditedCut:
    root = ET.fromstring(text)  # the stdlib parser resolves no external entities
    assets = {a.get("id"): a for a in root.iter("asset")}
    spine = root.find(".//sequence/spine")
    if spine is None:
        raise FilmfsError("the FCPXML has no sequence with a spine")
    notes: list[str] = []
    items = list(spine)
    clips: list[EditedClip] = []
    for i, item in enumerate(items):
        if item.tag in ("gap",) and _fcp_time(item.get("duration"), rate):
            notes.append(f"a gap at {item.get('offset')} is closed up")
        if item.tag not in ("asset-clip", "clip", "video"):
            continue
        asset = assets.get(item.get("ref"), ET.Element("asset"))
        offset = _fcp_time(item.get("offset"), rate)
        length = _fcp_time(item.get("duration"), rate)
        start = _fcp_time(item.get("start"), rate) - _fcp_time(asset.get("start"), rate)
        before = items[i - 1] if i and items[i - 1].tag == "transition" else None
        after = items[i + 1] if i + 1 < len(items) and items[i + 1].tag == "transition" else None
        head = tail = fade = 0
        if before is not None:
            fade = _fcp_time(before.get("duration"), rate)
            head = offset - _fcp_time(before.get("offset"), rate)
        if after is not None:
            end = offset + length
            tail = (
                _fcp_time(after.get("offset"), rate) + _fcp_time(after.get("duration"), rate) - end
            )
        src = asset.get("src") or "".join(m.get("src", "") for m in asset.iter("media-rep"))
        uid = (asset.get("uid") or "").lower()
        clips.append(
            EditedClip(
                position=len(clips) + 1,
                name=item.get("name", ""),
                urls=(src,),
                used_in=start - head,
                used_out=start + length + tail,
                fade_in=fade,
                ref_meta={"sha256": uid} if re.fullmatch(r"[0-9a-f]{64}", uid) else {},
                record_in=offset,
            )
        )
    return EditedCut(clips, notes)


def _from_edl(text: str, rate: Fraction) -> EditedCut:
    try:
        import pycmx
    except ImportError as exc:  # pragma: no cover - the editors extra is not installed
        raise FilmfsError(
            "reading an EDL needs pycmx", hint="pip install 'filmfs[editors]'"
        ) from exc
    reels = {}
    for line in text.splitlines():
        match = REEL_COMMENT.match(line.strip())
        if match:
            reels[match["reel"]] = {k: v for k, v in match.groupdict().items() if v}
    fps = -(-rate.numerator // rate.denominator)  # non-drop timecode counts whole frames

    def tc(value: str) -> int:
        h, m, s, f = (int(x) for x in value.replace(";", ":").split(":"))
        return ((h * 60 + m) * 60 + s) * fps + f

    # A blank line after the last event: pycmx drops a last event that ends the file.
    edl = pycmx.parse_cmx3600(io.StringIO(text + "\n"))
    clips: list[EditedClip] = []
    spans: list[list[int]] = []  # [src_in, src_out, rec_in] per clip, grown by dissolves
    for event in edl.events:
        edits = [e for e in event.edits if e.channels.video]
        for edit in edits:
            rec_in, rec_out = tc(edit.record_in), tc(edit.record_out)
            if rec_out == rec_in and edit.transition.cut:
                continue  # a dissolve's A side, held: the clip before runs on under it
            fade = edit.transition.effect_duration if edit.transition.dissolve else 0
            if fade and spans:
                spans[-1][1] += fade  # the A side plays on through the dissolve
            spans.append([tc(edit.source_in), tc(edit.source_out), rec_in])
            clips.append(
                EditedClip(
                    position=len(clips) + 1,
                    name=edit.clip_name or "",
                    urls=(edit.source_file,) if edit.source_file else (),
                    used_in=0,
                    used_out=0,
                    fade_in=fade,
                    reel=edit.source,
                    record_in=rec_in,
                )
            )
    final = [
        EditedClip(c.position, c.name, c.urls, s[0], s[1], c.fade_in, c.reel, record_in=s[2])
        for c, s in zip(clips, spans, strict=True)
    ]
    return EditedCut(final, [], reels)
