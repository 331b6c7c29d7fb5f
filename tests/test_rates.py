"""Exact frame rates end to end: real cuts at 23.976, 24, 25, 29.97 and 30 fps.

Each film mixes generated takes, a conformed take of another size and rate, a slate for a
shot with no take, and a crossfade; the cut is then read by PyAV (an independent reader:
every frame decoded) for its rate, time base, frame count and stream durations.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest
import yaml
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.commands.init import init
from filmfs.errors import FilmfsError
from filmfs.film.rate import parse_rate, rate_data
from filmfs.media.ffmpeg import run_ffmpeg

RATES = {
    "23.976": Fraction(24000, 1001),
    "24": Fraction(24),
    "25": Fraction(25),
    "29.97": Fraction(30000, 1001),
    "30": Fraction(30),
}


@pytest.mark.parametrize(
    ("written", "exact"),
    [
        (24, Fraction(24)),
        (25, Fraction(25)),
        (30, Fraction(30)),
        (60, Fraction(60)),
        (23.976, Fraction(24000, 1001)),
        (29.97, Fraction(30000, 1001)),
        (59.94, Fraction(60000, 1001)),
        ("24000/1001", Fraction(24000, 1001)),
        ("30000/1001", Fraction(30000, 1001)),
        ("23.976", Fraction(24000, 1001)),
        (12.5, Fraction(25, 2)),
    ],
)
def test_rates_normalise_to_one_fraction(written: object, exact: Fraction) -> None:
    assert parse_rate(written) == exact
    assert parse_rate(rate_data(exact)) == exact


@pytest.mark.parametrize("bad", ["0/1001", "24/0", "abc", 0, -24, 241, True])
def test_meaningless_rates_are_refused(bad: object) -> None:
    with pytest.raises(FilmfsError):
        parse_rate(bad)


def _other_clip(path: Path, *, fps: int) -> Path:
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"testsrc=size=96x72:rate={fps}:duration=1.5",
            "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=1.5",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", str(path),
        ],
        what="test clip",
    )  # fmt: skip
    return path


def _shot(film: Path, number: str, seconds: float, extra: str = "") -> None:
    folder = film / "shots" / number
    folder.mkdir(parents=True)
    text = f"shot_number: {number}\nscene: 1\nduration_target: {seconds}\nprompt: shot {number}\n"
    (folder / "shot.yaml").write_text(text + extra)


def _read(path: Path) -> dict[str, object]:
    """Frames decoded, rate, time base and each stream's span, read with PyAV."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        spans = {}
        for stream in (video, audio):
            packets = [p for p in container.demux(stream) if p.pts is not None]
            container.seek(0)
            start = min(p.pts for p in packets) * stream.time_base
            end = max(p.pts + p.duration for p in packets) * stream.time_base
            spans[stream.type] = (start, end)
        rate, tb = Fraction(video.base_rate), video.time_base
    with av.open(str(path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    return {"frames": frames, "rate": rate, "tb": tb, **spans}


@pytest.mark.parametrize("written", list(RATES))
def test_cut_is_exact_at_each_rate(tmp_path: Path, written: str) -> None:
    fps = RATES[written]
    film = tmp_path / "film"
    init(film, title="Rates", width=160, height=90, fps=written)
    (film / "scenes" / "01.yaml").write_text("scene_number: 1\nsetting: a room\n")
    _shot(film, "01A", 1.5)
    _shot(film, "01B", 1.5, "transition_in: {type: crossfade, duration: 0.5}\n")
    _shot(film, "01C", 1.0)  # no take: a slate
    _shot(film, "01D", 1.0, "transition_in: {type: crossfade, duration: 0.25}\n")
    run = CliRunner().invoke
    result = run(cli, ["generate", "01A", "01B", "01D", "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output
    other = 25 if fps != 25 else 30
    clip = _other_clip(tmp_path / "other.mp4", fps=other)
    result = run(cli, ["add-take", "01B", str(clip), "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output
    result = run(cli, ["select", "01B", "2", "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output
    result = run(cli, ["assemble", "--allow-gaps", "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output

    # The plan, from the manifests: clips' whole frames less each crossfade's frames.
    def take_seconds(shot: str, attempt: int) -> Fraction:
        path = film / "shots" / shot / "takes" / f"{attempt:03d}.yaml"
        return Fraction(str(yaml.safe_load(path.read_text())["video"]["duration"]))

    lengths = [take_seconds("01A", 1), take_seconds("01B", 2), Fraction(1), take_seconds("01D", 1)]
    assert take_seconds("01B", 2) >= Fraction("1.5")  # the other-rate clip, conformed
    overlaps = round(Fraction("0.5") * fps) + round(Fraction("0.25") * fps)
    planned = sum(round(length * fps) for length in lengths) - overlaps

    cut = _read(film / "cut.mp4")
    assert cut["rate"] == fps
    assert cut["frames"] == planned
    frame = 1 / fps
    vstart, vend = cut["video"]
    astart, aend = cut["audio"]
    assert vstart == 0
    assert abs((vend - vstart) - planned * frame) < frame
    assert abs((aend - astart) - (vend - vstart)) < frame
    recorded = yaml.safe_load((film / "film.yaml").read_text())["final_edit"]
    assert parse_rate(recorded["fps"]) == fps
    assert recorded["fps"] == rate_data(fps)
