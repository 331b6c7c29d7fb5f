from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from filmfs.errors import FilmfsError
from filmfs.media.probe import probe
from tests.media.conftest import MakeVideo


def test_probe_h264_with_audio(make_video: MakeVideo) -> None:
    path = make_video("a.mp4", seconds=1.5, fps=24)
    info = probe(path)
    assert (info.width, info.height) == (320, 180)
    assert info.fps == Fraction(24)
    assert info.codec == "h264" and info.pix_fmt == "yuv420p"
    assert info.format == "mp4"
    assert info.duration == pytest.approx(1.5, abs=0.05)
    assert info.size == path.stat().st_size
    assert info.has_audio and info.audio_codec == "aac"
    assert info.audio_rate == 48000 and info.audio_channels == 2


def test_probe_webm_without_audio(make_video: MakeVideo) -> None:
    info = probe(make_video("b.webm", size="160x90", fps=25, audio=False, codec="libvpx"))
    assert (info.width, info.height, info.fps) == (160, 90, 25.0)
    assert info.codec == "vp8" and info.format == "webm"
    assert not info.has_audio and info.audio_codec is None


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 10])
def test_probe_garbage_names_the_file(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(content)
    with pytest.raises(FilmfsError, match=r"broken\.mp4"):
        probe(bad)


def test_probe_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FilmfsError, match=r"nope\.mp4"):
        probe(tmp_path / "nope.mp4")
