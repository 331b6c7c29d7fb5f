"""Stills and sounds: what an image or audio file is, and a frame taken out of a video.

Images and audio are read with PyAV like videos (:mod:`filmfs.media.probe`): the image2
demuxer opens PNG and JPEG as one-frame streams, so no other imaging library is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from filmfs.errors import FilmfsError
from filmfs.media.ffmpeg import builder, command, run_ffmpeg

IMAGE_CODECS = frozenset({"png", "mjpeg", "webp", "bmp", "tiff"})


class MediaKindError(FilmfsError):
    """A file is not the kind of media it was said to be."""


@dataclass(frozen=True)
class StillInfo:
    width: int
    height: int
    codec: str


@dataclass(frozen=True)
class SoundInfo:
    duration: float
    codec: str
    sample_rate: int
    channels: int


def _open(path: Path, kind: str) -> av.container.InputContainer:
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaKindError(f"{path}: not a readable {kind} ({exc})") from None


def probe_still(path: Path) -> StillInfo:
    """An image's size; MediaKindError for anything that is not a single still image."""
    with _open(path, "image") as container:
        streams = container.streams.video
        if not streams or container.streams.audio:
            raise MediaKindError(f"{path}: not an image (no picture, or it has sound)")
        ctx = streams[0].codec_context
        if ctx.name not in IMAGE_CODECS:
            raise MediaKindError(
                f"{path}: a {ctx.name} stream is not an image",
                hint="images are PNG, JPEG, WebP, BMP or TIFF; add videos with add-take",
            )
        return StillInfo(ctx.width, ctx.height, ctx.name)


def probe_sound(path: Path) -> SoundInfo:
    """An audio file's length and codec; MediaKindError if it has no sound or has a picture."""
    with _open(path, "audio file") as container:
        if not container.streams.audio:
            raise MediaKindError(f"{path}: has no audio stream")
        if container.streams.video and container.streams.video[0].codec_context.name not in (
            IMAGE_CODECS
        ):
            raise MediaKindError(f"{path}: is a video, not audio", hint="use --type video")
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        else:
            duration = 0.0
        ctx = stream.codec_context
        return SoundInfo(duration, ctx.name, ctx.sample_rate, ctx.channels)


def extract_frame(video: Path, at: Fraction | str, out: Path, *, duration: float) -> None:
    """Write the frame of ``video`` shown at ``at`` seconds (or "first" / "last") as a PNG.

    "last" reads the final second and keeps overwriting one image (``-update 1``), so the file
    left is the last frame decoded, whatever the stream's frame count.
    """
    ff = builder()
    if at == "last":
        source = ff.input(str(video), sseof=-1)
        options: dict[str, object] = {"update": 1}
    else:
        seconds = Fraction(0) if at == "first" else Fraction(at)
        if seconds < 0 or seconds >= Fraction(duration).limit_denominator(1_000_000):
            raise FilmfsError(
                f"--at {float(seconds):g} s is outside the take (0 to {duration:g} s)"
            )
        source = ff.input(str(video), ss=f"{float(seconds):.6f}")
        options = {"frames:v": 1}
    output = source.video.output(str(out), map_metadata=-1, **{"c:v": "png"}, f="image2", **options)
    run_ffmpeg(command(output), what=f"take a frame from {video.name}", timeout=120)
    if not out.is_file() or out.stat().st_size == 0:
        raise FilmfsError(f"no frame at {at} in {video.name}")
