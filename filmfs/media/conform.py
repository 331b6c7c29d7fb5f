"""Conforming: bringing a clip to the film's Format with one re-encode.

A clip already in the film's format (size, rate, H.264 yuv420p, AAC 48 kHz stereo) can be
stream-copied into the cut; anything else is conformed (re-encoded) once and the conformed copy
cached in the store, keyed by (source sha256, format, CONFORM_VERSION), so a re-assembly never
encodes the same clip twice. Bump CONFORM_VERSION whenever the encode arguments change.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

from filmfs.film.model import Format
from filmfs.film.rate import timescale
from filmfs.media.ffmpeg import Stream, builder, command
from filmfs.media.probe import VideoInfo

CONFORM_VERSION = 4  # 4: a take made to be cropped is cropped, not padded
AUDIO_RATE = 48000
AUDIO_CHANNELS = 2


def picture_differences(
    size: tuple[int, int], rate: Fraction, time_base: int, codec: str, fmt: Format
) -> list[str]:
    """How a video's picture differs from the film's ``fmt`` in what a stream copy needs
    alike: size, frame rate, time base (ticks per second) and codec; empty when none does.
    The words a clip's conform reasons and a cut's check both use."""
    found = []
    if size != (fmt.width, fmt.height):
        found.append(f"size {size[0]}x{size[1]}, the film's is {fmt.width}x{fmt.height}")
    if rate != fmt.fps:
        found.append(f"frame rate {rate}, the film's is {fmt.fps}")
    elif time_base != timescale(fmt.fps):
        # Same rate, other time base: the concat demuxer keeps the first file's, so a clip
        # written in another would play at the wrong speed.
        found.append(f"video time base 1/{time_base}, expected 1/{timescale(fmt.fps)}")
    if codec != "h264":
        found.append(f"video codec {codec}, expected h264")
    return found


def conform_reasons(info: VideoInfo, fmt: Format) -> list[str]:
    """Why a clip cannot be stream-copied into a cut of ``fmt``; empty when it can."""
    reasons = picture_differences(
        (info.width, info.height), info.fps, info.timescale, info.codec, fmt
    )
    if info.pix_fmt != "yuv420p":
        reasons.append(f"pixel format {info.pix_fmt} != yuv420p")
    if info.format not in ("mp4", "mov", "m4v"):
        reasons.append(f"container {info.format} != mp4")
    if info.has_audio and info.streams != ("video", "audio"):
        # The concat demuxer pairs streams by index across files: anything but exactly
        # video then audio (audio first, a timecode or data track) must be rewritten.
        reasons.append(f"streams {'+'.join(info.streams)} != video+audio")
    if not info.has_audio:
        reasons.append("no audio")
    elif (info.audio_codec, info.audio_rate, info.audio_channels) != (
        "aac",
        AUDIO_RATE,
        AUDIO_CHANNELS,
    ):
        reasons.append(
            f"audio {info.audio_codec} {info.audio_rate} Hz x{info.audio_channels}"
            f" != aac {AUDIO_RATE} Hz x{AUDIO_CHANNELS}"
        )
    return reasons


def encode_options(fmt: Format) -> dict[str, object]:
    """Output options every re-encoded piece shares, so pieces stream-copy together."""
    # bf=0: no frame reordering, so pieces carry no decode delay. Concatenating pieces whose
    # delays differ leaves the cut's track duration a frame or two off (frames and sync are
    # intact, but probes then read 24.3 fps); takes made by filmfs at least never add to it.
    return {
        "c:v": "libx264", "preset": "veryfast", "crf": 18, "profile:v": "high", "bf": 0,
        "pix_fmt": "yuv420p", "r": str(fmt.fps), **video_timing(fmt.fps),
        "c:a": "aac", "b:a": "192k", "ar": AUDIO_RATE, "ac": AUDIO_CHANNELS,
        "movflags": "+faststart",
    }  # fmt: skip


def video_timing(rate: Fraction) -> dict[str, object]:
    """The exact rate's timing: one track time scale, and a keyframe every second."""
    # A keyframe every second keeps later partial re-encodes and seeking cheap.
    return {"video_track_timescale": timescale(rate), "g": round(rate)}


def fit(video: Stream, width: int, height: int) -> Stream:
    """Scale to fit inside width x height, aspect kept, and pad the rest (centred)."""
    return (
        video.filter("scale", width, height, force_original_aspect_ratio="decrease")
        .filter("pad", width, height, "(ow-iw)/2", "(oh-ih)/2")
        .filter("setsar", 1)
    )


def fill(video: Stream, width: int, height: int) -> Stream:
    """Scale to cover width x height, aspect kept, and crop the overflow (centred)."""
    return (
        video.filter("scale", width, height, force_original_aspect_ratio="increase")
        .filter("crop", width, height)
        .filter("setsar", 1)
    )


def picture(video: Stream, fmt: Format, *, crop: bool = False) -> Stream:
    """A picture stream brought to the film's size (padded, or cropped when ``crop``), exact
    rate and pixel format."""
    sized = (fill if crop else fit)(video, fmt.width, fmt.height)
    return sized.filter("fps", str(fmt.fps)).filter("format", "yuv420p")


def cache_key(
    source_sha256: str,
    fmt: Format,
    *,
    start: float = 0.0,
    end: float | None = None,
    crop: bool = False,
) -> str:
    trim = [round(start, 6), None if end is None else round(end, 6)]
    spec = [source_sha256, fmt.key(), CONFORM_VERSION, trim] + (["crop"] if crop else [])
    blob = json.dumps(spec).encode()
    return hashlib.sha256(blob).hexdigest()


def conform_argv(
    src: Path,
    info: VideoInfo,
    fmt: Format,
    out: Path,
    *,
    start: float = 0.0,
    end: float | None = None,
    crop: bool = False,
) -> list[str]:
    """Arguments re-encoding ``src`` (its [start, end) seconds) to ``fmt``, another ratio
    padded to the film's frame, or cropped to it when ``crop``."""
    ff = builder()
    # Frames the picture will have at the target rate; audio is cut/padded to exactly that,
    # so audio and video stay aligned once many clips are concatenated.
    stop = info.duration if end is None else min(end, info.duration)
    frames = max(round((Fraction(stop) - Fraction(start)) * fmt.fps), 1)
    source = ff.input(str(src), **({"ss": f"{start:.6f}"} if start > 0 else {}))
    if info.has_audio:
        sound = source.audio.filter("aresample", AUDIO_RATE).filter("apad")
    else:
        # A take without sound gets silence, so every piece of the cut has both streams.
        sound = ff.input(f"anullsrc=r={AUDIO_RATE}:cl=stereo", f="lavfi").audio
    output = ff.output(
        picture(source.video, fmt, crop=crop),
        sound,
        str(out),
        **{"frames:v": frames, "t": f"{float(frames / fmt.fps):.6f}"},
        **encode_options(fmt),
    )
    return command(output)


def frame_count(argv: list[str]) -> int | None:
    """The ``-frames:v`` an encode was asked for, to check what it made."""
    if "-frames:v" in argv:
        return int(argv[argv.index("-frames:v") + 1])
    return None
