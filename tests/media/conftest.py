"""Real video fixtures made by ffmpeg's lavfi sources: small (320x180) and short for speed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from filmfs.media.ffmpeg import run_ffmpeg

MakeVideo = Callable[..., Path]


def render(
    out: Path,
    *,
    seconds: float = 1.0,
    size: str = "320x180",
    fps: int = 24,
    audio: bool = True,
    codec: str = "libx264",
    freq: int = 440,
    preset: str = "ultrafast",
) -> Path:
    args = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={fps}:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=48000:duration={seconds}"]
    args += ["-c:v", codec, "-pix_fmt", "yuv420p"]
    if codec == "libx264":
        args += ["-preset", preset, "-g", str(fps)]
    if audio:
        args += ["-c:a", "aac", "-ar", "48000", "-ac", "2"]
    args += [str(out)]
    run_ffmpeg(args, what="test fixture")
    return out


@pytest.fixture
def make_video(tmp_path: Path) -> MakeVideo:
    def make(name: str, **kwargs: object) -> Path:
        return render(tmp_path / name, **kwargs)  # type: ignore[arg-type]

    return make
