from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import av
import pytest

from filmfs.errors import ProviderError
from filmfs.media.probe import probe
from filmfs.providers.base import GenerationRequest
from filmfs.providers.runner import run
from filmfs.providers.testcard import TestcardProvider, render

REQUEST = GenerationRequest(
    shot_id="02B",
    attempt_number=4,
    prompt="A lighthouse at dusk; waves crash below. " * 4,
    duration=2.0,
    width=320,
    height=180,
    fps=24,
    seed=1234,
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_inputs_give_identical_bytes(tmp_path: Path) -> None:
    render(REQUEST, tmp_path / "a.mp4", model="testcard-1")
    render(REQUEST, tmp_path / "b.mp4", model="testcard-1")
    assert sha(tmp_path / "a.mp4") == sha(tmp_path / "b.mp4")


@pytest.mark.parametrize(
    "change", [{"seed": 1235}, {"prompt": "Something else"}, {"attempt_number": 5}]
)
def test_different_inputs_give_different_bytes(tmp_path: Path, change: dict[str, object]) -> None:
    render(REQUEST, tmp_path / "a.mp4", model="testcard-1")
    render(replace(REQUEST, **change), tmp_path / "b.mp4", model="testcard-1")  # type: ignore[arg-type]
    assert sha(tmp_path / "a.mp4") != sha(tmp_path / "b.mp4")


def test_output_format(tmp_path: Path) -> None:
    out = tmp_path / "a.mp4"
    render(REQUEST, out, model="testcard-1")
    data = out.read_bytes()
    assert data[4:8] == b"ftyp"
    assert data.find(b"moov") < data.find(b"mdat"), "not faststart"
    with av.open(str(out)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 320, 180)
        assert video.codec_context.pix_fmt == "yuv420p"
        assert video.average_rate == 24
        assert audio.codec_context.name == "aac"
        assert container.duration is not None
        assert abs(container.duration / 1_000_000 - 2.0) < 0.1
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == 48


def test_hd_render_has_the_asked_format(tmp_path: Path) -> None:
    # Its speed is measured where speed belongs: bench/generate.py and bench/assemble.py.
    hd = replace(REQUEST, duration=5.0, width=1280, height=720)
    render(hd, tmp_path / "hd.mp4", model="testcard-1")
    info = probe(tmp_path / "hd.mp4")
    assert (info.width, info.height, info.fps, info.duration) == (1280, 720, 24, 5.0)


def test_odd_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="positive and even"):
        render(replace(REQUEST, width=321), tmp_path / "a.mp4", model="testcard-1")


def test_provider_through_the_runner(tmp_path: Path) -> None:
    provider = TestcardProvider(workdir=tmp_path)
    assert provider.configured() == (True, "")
    result = run(provider, REQUEST, tmp_path / "take.mp4", sleep=lambda s: None)
    assert result.cost == 0.0 and result.container == "mp4"
    assert result.job.model == "testcard-1"
    render(REQUEST, tmp_path / "direct.mp4", model="testcard-1")
    assert sha(tmp_path / "take.mp4") == sha(tmp_path / "direct.mp4")
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"take.mp4", "direct.mp4"}, "the provider's temp render was not cleaned up"


def test_provider_respects_max_bytes(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="over the limit"):
        run(
            TestcardProvider(workdir=tmp_path),
            REQUEST,
            tmp_path / "take.mp4",
            max_bytes=100,
            sleep=lambda s: None,
        )


def test_accents_are_folded_not_lost(tmp_path: Path) -> None:
    render(replace(REQUEST, prompt="Café crème"), tmp_path / "a.mp4", model="testcard-1")
    render(replace(REQUEST, prompt="Cafe creme"), tmp_path / "b.mp4", model="testcard-1")
    assert sha(tmp_path / "a.mp4") == sha(tmp_path / "b.mp4")


def test_unknown_pattern_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="unknown test pattern 'plaid'"):
        render(
            replace(REQUEST, params={"pattern": "plaid"}), tmp_path / "a.mp4", model="testcard-1"
        )
