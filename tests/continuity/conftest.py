"""Films with real media for the continuity features: images, sounds and two-colour videos."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from filmfs.media.ffmpeg import run_ffmpeg


def still(out: Path, colour: str, size: str = "64x36") -> Path:
    """A PNG of one colour, made by ffmpeg."""
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"color=c={colour}:s={size}:d=0.04", "-frames:v", "1", str(out)],
        what="test image",
    )
    return out


def two_colour_video(out: Path, first: str, last: str) -> Path:
    """One second of ``first`` then one of ``last``, 24 fps, so first and last frames differ."""
    graph = (
        f"color=c={first}:s=64x36:r=24:d=1[a];color=c={last}:s=64x36:r=24:d=1[b];"
        "[a][b]concat=n=2:v=1:a=0,format=yuv420p[out0]"
    )
    run_ffmpeg(
        ["-f", "lavfi", "-i", graph, "-c:v", "libx264", "-preset", "ultrafast", str(out)],
        what="test video",
    )
    return out


def tone(out: Path, seconds: float = 2.0) -> Path:
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac", str(out)],
        what="test sound",
    )
    return out


def mean_rgb(image: Path, work: Path) -> tuple[int, int, int]:
    """The average colour of an image, read back through ffmpeg as one raw RGB pixel."""
    raw = work / f"{image.stem}.rgb"
    run_ffmpeg(
        ["-i", str(image), "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", str(raw)],
        what="read pixel",
    )
    r, g, b = raw.read_bytes()[:3]
    return r, g, b


@pytest.fixture
def film_repo(example_copy: Path) -> Path:
    """The example film in a Git repository of its own, committed."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "film"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=example_copy,
            check=True,
        )
    return example_copy
