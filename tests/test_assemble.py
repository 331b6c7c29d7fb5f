"""The final cut of the example film, made for real with ffmpeg and probed/decoded for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import av
import opentimelineio as otio
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.media.ffmpeg import run_ffmpeg
from filmfs.media.probe import probe
from filmfs.project import Project
from tests.conftest import copy_example


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example film with every take and asset generated offline (made once per module)."""
    film = tmp_path_factory.mktemp("generated") / "film"
    copy_example(film)
    result = CliRunner().invoke(cli, ["generate", "--missing", "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output
    return film


@pytest.fixture
def film(generated: Path, tmp_path: Path) -> Path:
    target = tmp_path / "film"
    shutil.copytree(generated, target, symlinks=True)
    shutil.copytree(generated.parent / "schemas", tmp_path / "schemas")  # where its lines point
    return target


def _decode_all(path: Path) -> tuple[int, int]:
    """Decode every frame and audio packet; PyAV raises on any corrupt data."""
    with av.open(str(path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    with av.open(str(path)) as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
    return frames, samples


def test_assemble_makes_a_playable_cut_of_the_selected_takes(film: Path) -> None:
    result = CliRunner().invoke(cli, ["assemble", "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output
    project = Project.load(film)
    takes = [s.selected_take for s in project.shots.values()]
    crossfades = sum(
        s.transition_in.duration for s in list(project.shots.values())[1:] if s.transition_in
    )
    expected = sum(t.video.duration for t in takes if t and t.video) - crossfades
    info = probe(film / "cut.mp4")
    assert info.duration == pytest.approx(expected, abs=0.05)
    assert (info.width, info.height, info.fps) == (1280, 720, 24)
    assert info.has_audio
    frames, samples = _decode_all(film / "cut.mp4")
    assert frames == round(expected * 24)
    assert samples == pytest.approx(expected * 48000, rel=0.01)
    final = project.film.final_edit if project.film else None
    assert final is not None
    assert final.duration == pytest.approx(expected, abs=0.05)
    assert set(final.derived_from) == {t.video.sha256 for t in takes if t and t.video}
    assert (film / ".filmfs" / "objects" / final.sha256[:2] / final.sha256[2:]).is_file()
    check = CliRunner().invoke(cli, ["validate", str(film), "--strict"])
    assert check.exit_code == 0, check.output


def test_second_assembly_encodes_nothing(film: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["assemble", "--no-commit", "-C", str(film)]).exit_code == 0
    first = Project.load(film).film.final_edit  # type: ignore[union-attr]
    again = runner.invoke(cli, ["assemble", "--no-commit", "-C", str(film)])
    assert again.exit_code == 0, again.output
    assert "up to date" in again.output
    assert "encoded this run: nothing" in again.output
    forced = runner.invoke(cli, ["assemble", "--force", "--no-commit", "-C", str(film)])
    assert forced.exit_code == 0, forced.output
    assert "up to date" not in forced.output
    assert "encoded this run: nothing" in forced.output  # the transition joins are cached
    assert Project.load(film).film.final_edit == first  # type: ignore[union-attr]


def test_a_changed_selection_is_not_up_to_date(film: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["assemble", "--no-commit", "-C", str(film)]).exit_code == 0
    before = Project.load(film).film.final_edit  # type: ignore[union-attr]
    assert (
        runner.invoke(
            cli, ["generate", "02B", "--seed", "5", "--no-commit", "-C", str(film)]
        ).exit_code
        == 0
    )
    assert runner.invoke(cli, ["select", "02B", "2", "--no-commit", "-C", str(film)]).exit_code == 0
    after = runner.invoke(cli, ["assemble", "--no-commit", "-C", str(film)])
    assert after.exit_code == 0, after.output
    assert "up to date" not in after.output
    final = Project.load(film).film.final_edit  # type: ignore[union-attr]
    assert final is not None and before is not None and final.sha256 != before.sha256


def test_a_take_in_another_format_is_conformed_once(film: Path, tmp_path: Path) -> None:
    odd = tmp_path / "phone.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc=s=640x360:r=30:d=2", "-c:v", "libx264",
         "-pix_fmt", "yuv420p", str(odd)],
        what="test clip",
    )  # fmt: skip
    runner = CliRunner()
    added = runner.invoke(cli, ["add-take", "01B", str(odd), "--no-commit", "-C", str(film)])
    assert added.exit_code == 0, added.output
    assert runner.invoke(cli, ["select", "01B", "2", "--no-commit", "-C", str(film)]).exit_code == 0
    first = runner.invoke(cli, ["assemble", "--no-commit", "-C", str(film)])
    assert first.exit_code == 0, first.output
    assert "conformed to the film's format: 01B" in first.output
    final = Project.load(film).film.final_edit  # type: ignore[union-attr]
    assert final is not None
    source = Project.load(film).shots["01B"].selected_take.video.sha256  # type: ignore[union-attr]
    assert list(final.conformed.values()) == [source]
    conformed = next(iter(final.conformed))
    assert conformed in final.derived_from and source not in final.derived_from
    # The lineage is in the graph: cut -> conformed copy -> the take's video.
    from filmfs.graph.build import build_graph as build

    graph = build(Project.load(film))
    copy = graph.find("video", conformed)
    assert copy is not None
    assert [n.key for n in graph.children(copy.id, "derived_from")] == [source]
    second = runner.invoke(cli, ["assemble", "--no-commit", "-C", str(film)])
    assert "encoded this run: nothing" in second.output
    assert probe(film / "cut.mp4").duration == pytest.approx(final.duration, abs=0.05)


def test_shots_without_a_selected_take_are_listed_together(film: Path) -> None:
    for shot in ("01B", "02C"):
        shutil.rmtree(film / "shots" / shot / "takes")
    result = CliRunner().invoke(cli, ["assemble", "--no-commit", "-C", str(film)])
    assert result.exit_code == 1
    assert "2 shot(s) have no selected take: 01B, 02C" in result.output
    assert "--allow-gaps" in result.output
    gaps = CliRunner().invoke(cli, ["assemble", "--allow-gaps", "--no-commit", "-C", str(film)])
    assert gaps.exit_code == 0, gaps.output
    assert "slates for shots with no selected take: 01B, 02C" in gaps.output
    assert _decode_all(film / "cut.mp4")[0] > 0


def test_missing_media_says_how_to_fetch_it(film: Path) -> None:
    sha = Project.load(film).shots["02B"].selected_take.video.sha256  # type: ignore[union-attr]
    obj = film / ".filmfs" / "objects" / sha[:2] / sha[2:]
    obj.chmod(0o644)
    obj.unlink()
    result = CliRunner().invoke(cli, ["assemble", "--no-commit", "-C", str(film)])
    assert result.exit_code == 1
    assert f"02B take 1 ({sha[:12]})" in result.output
    assert "filmfs pull" in result.output
    assert "Traceback" not in result.output


def test_otio_export_round_trips(film: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["generate", "01A", "--no-commit", "-C", str(film)]).exit_code == 0
    out = film / "cut.otio"
    result = runner.invoke(cli, ["export", str(out), "-C", str(film)])
    assert result.exit_code == 0, result.output
    timeline = otio.adapters.read_from_file(str(out))
    clips = list(timeline.video_tracks()[0].find_clips())
    project = Project.load(film)
    shots = list(project.shots.values())
    assert [c.metadata["filmfs"]["shot"] for c in clips] == [s.shot_number for s in shots]
    takes = [s.selected_take for s in shots]
    for clip, take in zip(clips, takes, strict=True):
        assert take is not None and take.video is not None
        assert clip.metadata["filmfs"]["sha256"] == take.video.sha256
    # A crossfade overlaps its two clips: each loses half the fade, the cut its whole length.
    fades = sum(s.transition_in.duration for s in shots[1:] if s.transition_in)
    total = sum(t.video.duration for t in takes if t and t.video) - fades
    assert sum(c.source_range.duration.to_seconds() for c in clips) == pytest.approx(
        total, abs=len(clips) / 24
    )
    assert timeline.duration().to_seconds() == pytest.approx(total, abs=len(clips) / 24)
    # Read back and written again, the timeline is the same document.
    assert otio.adapters.write_to_string(timeline) == out.read_text()
    first = clips[0]
    assert sorted(first.media_references()) == ["take1", "take2"]
    assert first.active_media_reference_key == "take1"
    for suffix in (".xml",):  # the EDL is read by pycmx in tests/test_editorial_export.py
        written = runner.invoke(cli, ["export", str(film / f"cut{suffix}"), "-C", str(film)])
        assert written.exit_code == 0, written.output
        again = otio.adapters.read_from_file(str(film / f"cut{suffix}"))
        assert len(list(again.video_tracks()[0].find_clips())) == len(shots)
