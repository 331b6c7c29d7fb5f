from __future__ import annotations

import hashlib
from pathlib import Path

import av
import pytest

from filmfs.errors import FilmfsError
from filmfs.media.ffmpeg import run_ffmpeg
from filmfs.media.splice import copy_video, cut_points


def encode(out: Path, *extra: str) -> Path:
    # veryfast has B-frames, so decode order differs from display order: the hard case.
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=24:duration=4", "-c:v", "libx264",
         "-preset", "veryfast", "-g", "24", "-pix_fmt", "yuv420p", *extra, str(out)],
        what="test fixture",
    )  # fmt: skip
    return out


def hashes(path: Path) -> list[str]:
    with av.open(str(path)) as container:
        return [hashlib.md5(bytes(f.planes[0])).hexdigest() for f in container.decode(video=0)]


def test_closed_gop_cut_points(tmp_path: Path) -> None:
    points = cut_points(encode(tmp_path / "g.mp4"))
    assert points.starts == [0.0, 1.0, 2.0, 3.0] and points.ends == [0.0, 1.0, 2.0, 3.0]


def test_open_gop_keyframes_are_not_clean_starts(tmp_path: Path) -> None:
    points = cut_points(encode(tmp_path / "o.mp4", "-x264opts", "open_gop=1"))
    assert len(points.starts) < 4  # leading B-frames would lose their reference


@pytest.mark.parametrize(("start", "end"), [(0.0, 1.0), (1.0, 3.0), (2.0, None)])
def test_copy_is_frame_exact(tmp_path: Path, start: float, end: float | None) -> None:
    src = encode(tmp_path / "g.mp4")
    out = tmp_path / "part.mp4"
    copy_video(src, start, end, out)
    expected = hashes(src)[round(start * 24) : None if end is None else round(end * 24)]
    assert hashes(out) == expected


def test_copy_of_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FilmfsError, match="no video"):
        copy_video(encode(tmp_path / "g.mp4"), 5.0, None, tmp_path / "x.mp4")
