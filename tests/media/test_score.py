from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from filmfs.media.probe import ProbeError, probe
from filmfs.media.score import render_score, score_expression


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_score_is_deterministic_and_seeded(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.m4a", tmp_path / "b.m4a", tmp_path / "c.m4a"
    render_score(a, duration=3, seed=7, prompt="piano")
    render_score(b, duration=3, seed=7, prompt="piano")
    render_score(c, duration=3, seed=8, prompt="strings")
    assert _sha(a) == _sha(b)
    assert score_expression(7, "piano") != score_expression(8, "strings")
    assert _sha(a) != _sha(c)


def test_score_is_stereo_aac_of_the_asked_length(tmp_path: Path) -> None:
    out = tmp_path / "s.m4a"
    render_score(out, duration=5, seed=1)
    import av

    with av.open(str(out)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "aac"
        assert stream.codec_context.channels == 2
        assert stream.codec_context.sample_rate == 48000
        assert container.duration / 1e6 == pytest.approx(5, abs=0.05)
    with pytest.raises(ProbeError, match=r"s\.m4a: has no video stream"):
        probe(out)  # an audio file is not a take
