"""What a video file is: size, rate, codecs, duration, read in-process with PyAV.

imageio-ffmpeg ships ffmpeg but no ffprobe, so probing opens the container with PyAV once and
reads stream headers only (no decoding), which takes milliseconds.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import av  # imported where it is used: PyAV costs ~0.1 s of start-up

from filmfs.errors import FilmfsError


class ProbeError(FilmfsError):
    """A file is not a readable video."""


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: Fraction
    codec: str
    format: str
    duration: float
    size: int
    has_audio: bool
    audio_codec: str | None
    audio_rate: int | None
    audio_channels: int | None
    pix_fmt: str | None
    streams: tuple[str, ...] = ()  # stream kinds in file order, e.g. ("video", "audio")
    timescale: int = 0  # ticks per second of the video track (1 / its time base)
    # sha256 of the video decoder's configuration (H.264's avcC: its SPS and PPS); "" if none.
    # Files with the same one can be joined packet for packet, as one stream.
    video_config: str = ""


# PyAV reports the demuxer's comma list ("mov,mp4,m4a,3gp,3g2,mj2"); users know the suffix.
_FORMATS = {"matroska,webm": "webm", "mov,mp4,m4a,3gp,3g2,mj2": "mp4"}


def _format_name(path: Path, demuxer: str) -> str:
    suffix = path.suffix.lower().lstrip(".")
    names = demuxer.split(",")
    if suffix in names:
        return suffix
    return _FORMATS.get(demuxer, names[0])


def preload() -> None:
    """Import PyAV in a background thread, so it is loaded by the time a probe needs it
    (``assemble`` starts it while ffmpeg runs; the first import then waits for this one)."""
    threading.Thread(target=importlib.import_module, args=("av",)).start()


def probe(path: Path) -> VideoInfo:
    """Read the headers of ``path``; ProbeError if it is missing or has no video stream."""
    import av

    path = Path(path)
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise ProbeError(
            f"{path}: not a readable video ({exc})",
            hint="check the file is a complete video; regenerate or re-download the take",
        ) from exc
    with container:
        if not container.streams.video:
            raise ProbeError(f"{path}: has no video stream")
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        fps = _rate(video)
        duration = _duration(container, video)
        ctx = video.codec_context
        return VideoInfo(
            width=ctx.width,
            height=ctx.height,
            fps=fps,
            codec=ctx.name,
            format=_format_name(path, container.format.name),
            duration=duration,
            size=path.stat().st_size,
            has_audio=audio is not None,
            audio_codec=audio.codec_context.name if audio else None,
            audio_rate=audio.codec_context.sample_rate if audio else None,
            audio_channels=audio.codec_context.channels if audio else None,
            pix_fmt=ctx.pix_fmt,
            streams=tuple(str(s.type) for s in container.streams),
            timescale=_timescale(video),
            video_config=hashlib.sha256(ctx.extradata).hexdigest() if ctx.extradata else "",
        )


def _rate(video: av.video.stream.VideoStream) -> Fraction:
    # The average rate is frames / track duration, so a constant-rate track with an initial
    # offset (AAC priming shifts a concatenated cut by ~21 ms) reads 23.9 instead of 24.
    # When the nominal rate is within 1% of the average, the stream is constant-rate at it.
    average = Fraction(video.average_rate) if video.average_rate else None
    nominal = Fraction(video.base_rate) if video.base_rate else None
    if average and nominal and abs(average - nominal) <= nominal / 100:
        return nominal
    rate = average or nominal or video.guessed_rate
    return Fraction(rate) if rate else Fraction(0)


def _timescale(video: av.video.stream.VideoStream) -> int:
    tb = video.time_base
    return tb.denominator if tb and tb.numerator == 1 else 0


def _duration(container: av.container.InputContainer, video: av.video.stream.VideoStream) -> float:
    import av

    # Prefer the video stream's own duration: the container's is the longest stream's,
    # which an audio track padded past the picture would inflate.
    if video.duration is not None and video.time_base is not None:
        return float(video.duration * video.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0
