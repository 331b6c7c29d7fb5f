"""FCPXML 1.8 (Final Cut Pro X), written by filmfs.

The OTIO FCPX adapter drops every transition, writes a ``<format>`` without width or height
and puts the clips in no ``<event>``; tests/test_fcpxml_export.py notices when it stops doing
so. Here: a complete format (name, frameDuration, width, height), one asset per take and per
audio asset, the project inside an event, the takes on the spine with their own sound, a
``Cross Dissolve`` transition (with an audio crossfade) wherever the cut has one, and the
soundtrack and the shots' audio assets as connected clips below it (lanes -1, -2...) with
their volumes as ``adjust-volume``. Times are exact rationals (``1001/24000s``).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any
from xml.etree import ElementTree as ET

import opentimelineio as otio

from filmfs.export.timeline import film_rate

VERSION = "1.8"
CROSS_DISSOLVE = "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"
AUDIO_CROSSFADE = "FFAudioTransition"


def fcp_time(value: Fraction) -> str:
    """An FCPXML time: seconds as a reduced rational, ``0s``, ``4s`` or ``1001/24000s``."""
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator}s"
    return f"{value.numerator}/{value.denominator}s"


def _seconds(t: otio.opentime.RationalTime, rate: Fraction) -> Fraction:
    # Whole frames at the film's rate, then exact seconds.
    frames = round(Fraction(t.value) / Fraction(t.rate) * rate) if t.rate else 0
    return frames / rate


def _format_name(width: int | None, height: int | None, rate: Fraction) -> str:
    shown = f"{float(rate):.2f}".rstrip("0").rstrip(".").replace(".", "")
    return f"FFVideoFormat{height}p{shown}" if height else "FFVideoFormatRateUndefined"


def _db(volume: float) -> str:
    return f"{20 * math.log10(volume):.2f}dB" if volume > 0 else "-96dB"


class _Writer:
    def __init__(self, timeline: otio.schema.Timeline) -> None:
        self.timeline = timeline
        self.rate = film_rate(timeline)
        meta = timeline.metadata.get("filmfs", {})
        self.width, self.height = meta.get("width"), meta.get("height")
        self.root = ET.Element("fcpxml", version=VERSION)
        self.resources = ET.SubElement(self.root, "resources")
        self.ids = 0
        self.assets: dict[str, str] = {}
        self.format = self._id()
        fmt = {
            "id": self.format,
            "name": _format_name(self.width, self.height, self.rate),
            "frameDuration": fcp_time(1 / self.rate),
        }
        if self.width and self.height:
            fmt.update(width=str(self.width), height=str(self.height))
        ET.SubElement(self.resources, "format", fmt)
        self.dissolve = self._id()
        ET.SubElement(
            self.resources, "effect", id=self.dissolve, name="Cross Dissolve", uid=CROSS_DISSOLVE
        )
        self.crossfade = self._id()
        ET.SubElement(
            self.resources, "effect", id=self.crossfade, name="Audio Crossfade", uid=AUDIO_CROSSFADE
        )

    def _id(self) -> str:
        self.ids += 1
        return f"r{self.ids}"

    def asset(self, clip: otio.schema.Clip, *, video: bool, audio: bool) -> str:
        ref = clip.media_reference
        url = ref.target_url
        if url in self.assets:
            return self.assets[url]
        meta = clip.metadata.get("filmfs", {})
        ident = self._id()
        attrs: dict[str, Any] = {
            "id": ident,
            "name": ref.name or clip.name,
            "src": url,
            "start": "0s",
            "hasVideo": "1" if video else "0",
            "hasAudio": "1" if audio else "0",
        }
        if meta.get("sha256"):
            attrs["uid"] = str(meta["sha256"]).upper()
        if ref.available_range is not None:
            attrs["duration"] = fcp_time(_seconds(ref.available_range.duration, self.rate))
        if video:
            attrs["format"] = self.format
        if audio:
            attrs.update(audioSources="1", audioChannels="2", audioRate="48000")
        ET.SubElement(self.resources, "asset", attrs)
        self.assets[url] = ident
        return ident

    def write(self) -> str:
        tl = self.timeline
        library = ET.SubElement(self.root, "library")
        event = ET.SubElement(library, "event", name=tl.name or "filmfs")
        project = ET.SubElement(event, "project", name=tl.name or "filmfs")
        total = _seconds(tl.duration(), self.rate)
        sequence = ET.SubElement(
            project,
            "sequence",
            format=self.format,
            duration=fcp_time(total),
            tcStart="0s",
            tcFormat="NDF",
            audioLayout="stereo",
            audioRate="48k",
        )
        spine = ET.SubElement(sequence, "spine")
        video = next(t for t in tl.tracks if t.kind == otio.schema.TrackKind.Video)
        heard = self._heard()
        spine_clips: list[tuple[Fraction, Fraction, Fraction, ET.Element]] = []
        offset = Fraction(0)
        for item in video:
            if isinstance(item, otio.schema.Transition):
                before, after = (
                    _seconds(item.in_offset, self.rate),
                    _seconds(item.out_offset, self.rate),
                )
                transition = ET.SubElement(
                    spine,
                    "transition",
                    name="Cross Dissolve",
                    offset=fcp_time(offset - before),
                    duration=fcp_time(before + after),
                )
                ET.SubElement(transition, "filter-video", ref=self.dissolve, name="Cross Dissolve")
                ET.SubElement(
                    transition, "filter-audio", ref=self.crossfade, name="Audio Crossfade"
                )
                continue
            length = _seconds(item.source_range.duration, self.rate)
            if isinstance(item, otio.schema.Clip):
                start = _seconds(item.source_range.start_time, self.rate)
                audio = offset in heard
                ref = self.asset(item, video=True, audio=audio)
                element = ET.SubElement(
                    spine,
                    "asset-clip",
                    ref=ref,
                    name=item.name,
                    offset=fcp_time(offset),
                    start=fcp_time(start),
                    duration=fcp_time(length),
                    format=self.format,
                    tcFormat="NDF",
                )
                if not audio:
                    element.set("srcEnable", "video")
                spine_clips.append((offset, length, start, element))
            else:
                ET.SubElement(
                    spine,
                    "gap",
                    name="Gap",
                    offset=fcp_time(offset),
                    start="0s",
                    duration=fcp_time(length),
                )
            offset += length
        self._connected(spine_clips)
        ET.indent(self.root)
        body = ET.tostring(self.root, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n{body}\n'

    def _heard(self) -> set[Fraction]:
        """Timeline offsets of the picture clips whose take has sound (track A1)."""
        found: set[Fraction] = set()
        for track in self.timeline.tracks:
            if track.metadata.get("filmfs", {}).get("role") != "takes":
                continue
            at = Fraction(0)
            for item in track:
                if isinstance(item, otio.schema.Transition):
                    continue
                if isinstance(item, otio.schema.Clip):
                    found.add(at)
                at += _seconds(item.source_range.duration, self.rate)
        return found

    def _connected(self, spine: list[tuple[Fraction, Fraction, Fraction, ET.Element]]) -> None:
        """Soundtrack and shot audio as connected clips, anchored to the spine clip under
        their start (an anchored clip's offset is in its parent's source time)."""
        lane = 0
        for track in self.timeline.tracks:
            if track.metadata.get("filmfs", {}).get("role") not in ("soundtrack", "shot"):
                continue
            lane -= 1
            at = Fraction(0)
            for item in track:
                length = _seconds(item.source_range.duration, self.rate)
                if isinstance(item, otio.schema.Clip) and spine:
                    parent = next((c for c in reversed(spine) if c[0] <= at), spine[0])
                    p_offset, _, p_start, element = parent
                    ref = self.asset(item, video=False, audio=True)
                    role = track.metadata["filmfs"]["role"]
                    start = _seconds(item.source_range.start_time, self.rate)
                    clip = ET.Element(
                        "asset-clip",
                        ref=ref,
                        lane=str(lane),
                        name=item.name,
                        offset=fcp_time(p_start + at - p_offset),
                        start=fcp_time(start),
                        duration=fcp_time(length),
                        audioRole="music" if role == "soundtrack" else "effects",
                    )
                    volume = item.metadata.get("filmfs", {}).get("volume")
                    if volume is not None:
                        ET.SubElement(clip, "adjust-volume", amount=_db(float(volume)))
                    element.append(clip)
                at += length


def write_fcpxml(timeline: otio.schema.Timeline) -> str:
    """The timeline (built by :func:`filmfs.export.timeline.build_timeline`) as FCPXML."""
    return _Writer(timeline).write()
