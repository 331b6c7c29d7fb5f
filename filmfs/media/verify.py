"""Checking a video before it is trusted: the cut at packet level, filmfs' own encodes fully.

A cut is read end to end by demuxing only (packet headers, no pixel decoding), which costs
about one read of the file: its video and audio tracks must last the same within a frame,
hold the planned number of frames at the film's exact rate and time base, and carry
timestamps that only move forward. A piece filmfs encodes itself (a conformed take, a join
around a transition, a slate) is decoded once, when it is made, so a broken encode never
reaches the store's caches.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import av  # imported where it is used: PyAV costs ~0.1 s of start-up

from filmfs.errors import FilmfsError
from filmfs.film.model import Format
from filmfs.media.conform import picture_differences


class CutCheckFailed(FilmfsError):
    """A rendered cut is not what the plan says; it was not published."""


@dataclass(frozen=True)
class StreamFacts:
    packets: int
    start: Fraction  # seconds of the first packet shown
    end: Fraction  # seconds the last packet shown ends
    forward: bool  # decode timestamps strictly increase
    covered: Fraction = Fraction(0)  # seconds the packets themselves last (holes left out)

    @property
    def duration(self) -> Fraction:
        return self.end - self.start


@dataclass(frozen=True)
class CutFacts:
    width: int
    height: int
    codec: str
    rate: Fraction
    timescale: int
    video: StreamFacts
    audio: StreamFacts | None


def read_packets(path: Path) -> CutFacts:
    """What ``path``'s first video and audio streams hold, from their packets alone."""
    import av

    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise CutCheckFailed(f"{path}: not a readable video ({exc})") from exc
    with container:
        if not container.streams.video:
            raise CutCheckFailed(f"{path}: has no video stream")
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        streams = [s for s in (video, audio) if s is not None]
        seen: dict[int, list[tuple[int, int, int]]] = {s.index: [] for s in streams}
        add = {index: packets.append for index, packets in seen.items()}
        # ~18,000 packets for 250 s of film: the loop keeps to plain attribute reads.
        for packet in container.demux(*streams):
            pts, dts = packet.pts, packet.dts
            if pts is None or dts is None:
                continue  # the demuxer's flush packet
            add[packet.stream_index]((pts, dts, packet.duration or 0))
        ctx = video.codec_context
        tb = video.time_base or Fraction(1, 1)
        return CutFacts(
            width=ctx.width,
            height=ctx.height,
            codec=ctx.name,
            rate=Fraction(video.base_rate or 0),
            timescale=tb.denominator if tb.numerator == 1 else 0,
            video=_facts(seen[video.index], tb),
            audio=_audio_facts(seen[audio.index], audio) if audio else None,
        )


def _audio_facts(packets: list[tuple[int, int, int]], stream: av.audio.AudioStream) -> StreamFacts:
    facts = _facts(packets, stream.time_base or Fraction(1, 1))
    ctx = stream.codec_context
    if ctx.frame_size and ctx.sample_rate:
        # A muxer stretches the packet before a hole to reach the next one, so count samples.
        samples = Fraction(len(packets) * ctx.frame_size, ctx.sample_rate)
        facts = StreamFacts(facts.packets, facts.start, facts.end, facts.forward, samples)
    return facts


def _facts(packets: list[tuple[int, int, int]], tb: Fraction) -> StreamFacts:
    if not packets:
        return StreamFacts(0, Fraction(0), Fraction(0), True, Fraction(0))
    dts = [p[1] for p in packets]
    forward = all(b > a for a, b in itertools.pairwise(dts))
    # Encoder priming before 0 (AAC's 1024 samples, cut by the edit list) is never heard.
    start = max(min(p[0] for p in packets), 0)
    end = max(p[0] + p[2] for p in packets)
    covered = sum(p[2] for p in packets) * tb
    return StreamFacts(len(packets), start * tb, end * tb, forward, covered)


def cut_differences(path: Path, *, fmt: Format, frames: int) -> list[str]:
    """How the cut at ``path`` differs from a ``frames``-frame cut in ``fmt``; empty if not."""
    facts = read_packets(path)
    frame = fmt.frame
    found = picture_differences(
        (facts.width, facts.height), facts.rate, facts.timescale, facts.codec, fmt
    )
    video = facts.video
    if video.packets != frames:
        found.append(f"{video.packets} video frames, the plan has {frames}")
    if abs(video.duration - frames * frame) >= frame:
        found.append(
            f"video lasts {float(video.duration):.3f} s, the plan {float(frames * frame):.3f} s"
        )
    if abs(video.start) >= frame:
        found.append(f"video starts at {float(video.start):.3f} s, not 0")
    if not video.forward:
        found.append("video timestamps go backwards or repeat")
    audio = facts.audio
    if audio is None:
        found.append("no audio stream")
    else:
        if abs(audio.duration - video.duration) >= frame:
            found.append(
                f"audio lasts {float(audio.duration):.3f} s, "
                f"video {float(video.duration):.3f} s (more than a frame apart)"
            )
        elif video.duration - audio.covered >= frame:
            found.append(
                f"audio holds {float(audio.covered):.3f} s of sound over "
                f"{float(video.duration):.3f} s of video (it has holes)"
            )
        if not audio.forward:
            found.append("audio timestamps go backwards or repeat")
    return found


def check_cut(path: Path, *, fmt: Format, frames: int) -> None:
    """Raise CutCheckFailed listing every difference of the cut from its plan."""
    found = cut_differences(path, fmt=fmt, frames=frames)
    if found:
        raise CutCheckFailed(
            "the rendered cut does not match its plan, so it was not published:\n  "
            + "\n  ".join(found),
            hint="the previous cut is unchanged; report this with the film's takes",
        )


def check_encoded(path: Path, *, what: str, frames: int | None = None) -> None:
    """Decode every frame of a piece filmfs just encoded; FilmfsError if any is bad."""
    import av

    try:
        with av.open(str(path)) as container:
            count = sum(1 for _ in container.decode(video=0))
            if container.streams.audio:
                container.seek(0)
                for _ in container.decode(audio=0):
                    pass
    except (av.error.FFmpegError, OSError, IndexError) as exc:
        raise FilmfsError(f"{what}: the encoded file does not decode ({exc})") from exc
    if frames is not None and count != frames:
        raise FilmfsError(f"{what}: encoded {count} frames, expected {frames}")
