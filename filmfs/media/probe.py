"""What a video file is: size, rate, codecs, duration, read in-process with PyAV.

imageio-ffmpeg ships ffmpeg but no ffprobe, so probing opens the container with PyAV once and
reads stream headers only (no decoding), which takes milliseconds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import av  # imported where it is used: PyAV costs ~0.1 s of start-up

from filmfs import fork
from filmfs.errors import FilmfsError


class ProbeError(FilmfsError):
    """A file is not a readable video."""


@dataclass(frozen=True)
class VideoInfo:
    """What a probe read of a video file: picture, rate, codecs, duration and streams."""

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

    def to_data(self) -> dict[str, Any]:
        """As JSON-ready data (the rate as text: "24000/1001"); :meth:`from_data` reads it."""
        data = dataclasses.asdict(self)
        data["fps"] = str(self.fps)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> VideoInfo:
        """What :meth:`to_data` wrote; ValueError, TypeError or KeyError if it is not that."""
        return cls(**{**data, "fps": Fraction(data["fps"]), "streams": tuple(data["streams"])})


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


# A child that has not answered by then is stuck on a file that never ends (a FIFO swapped in).
_CHILD_SECONDS = 60


@dataclass(frozen=True)
class Probing:
    """A probe under way (:func:`probe_ahead`): ``result()`` waits for it."""

    path: Path
    stat: os.stat_result  # the file as it was before it was read: what a copy is checked by
    result: Callable[[], VideoInfo]


@contextlib.contextmanager
def probe_ahead(path: Path) -> Iterator[Probing | None]:
    """Start reading ``path``'s headers in a child process (:func:`filmfs.fork.beside`);
    ``result()`` waits for them, raising the ProbeError a probe here would raise. None if
    ``path`` is no regular file.

    PyAV's import (~60 ms, holding the GIL) is most of what a one-clip command costs beyond its
    start-up. A child forked as the command starts imports it on another core while this
    process loads its own modules and the film. Where a fork is not safe or the child gives no
    answer, the clip is probed here instead.
    """
    path = Path(path)
    try:
        before = os.stat(path)
    except OSError:
        before = None
    if before is None or not stat.S_ISREG(before.st_mode):
        yield None
        return
    with fork.beside(lambda: _answer(path), seconds=_CHILD_SECONDS) as answer:
        yield Probing(path, before, lambda: _read_answer(path, answer))


def _answer(path: Path) -> bytes:
    """The probe of ``path``, or its error, as JSON: what the child gives."""
    try:
        answer: dict[str, Any] = {"info": probe(path).to_data()}
    except ProbeError as exc:
        answer = {"error": exc.message, "hint": exc.hint}
    return json.dumps(answer).encode()


def _read_answer(path: Path, answer: Callable[[], bytes | None] | None) -> VideoInfo:
    data = answer() if answer else None
    if data is not None:
        try:
            said = json.loads(data)
            if "error" in said:
                raise ProbeError(str(said["error"]), hint=said.get("hint"))
            return VideoInfo.from_data(said["info"])
        except (ValueError, TypeError, KeyError, AttributeError):
            pass
    return probe(path)  # no fork, or the child died or said nothing readable: probe here
