"""Done when: a feature-length script becomes a film that validates, generates and assembles
offline with subtitles in the cut; status, export, `filmfs script` and review carry them."""

from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction
from pathlib import Path

import av
import opentimelineio as otio
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.commands.import_script import import_script
from filmfs.manifests.writer import update
from filmfs.project import Project
from tests.scripts.feature import feature_script


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def feature(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The feature imported into a small-format film, generated and assembled with a track."""
    work = tmp_path_factory.mktemp("feature")
    script = work / "the-last-lamp.fountain"
    script.write_text(feature_script())
    film = work / "film"
    # A tiny format keeps 124 testcard shots quick; the script decides everything else.
    run(
        "init",
        str(film),
        "--title",
        "The Last Lamp",
        "--width",
        "64",
        "--height",
        "36",
        "--fps",
        "8",
    )
    result = import_script(film, script=script, commit=False)
    assert result.scenes == 124 and result.characters == 9
    run("validate", str(film), "--strict")
    run("generate", "--missing", "--no-commit", "-j", "2", "-C", str(film))
    run("assemble", "--subtitle-track", "--no-commit", "-C", str(film))
    return film


def _srt_cues(text: str) -> list[tuple[str, str, str]]:
    blocks = [b.splitlines() for b in text.strip().split("\n\n")]
    return [(b[1].split(" --> ")[0], b[1].split(" --> ")[1], "\n".join(b[2:])) for b in blocks]


def test_the_cut_has_every_line_as_subtitles(feature: Path) -> None:
    project = Project.load(feature)
    assert project.all_problems() == []
    lines = [d.line for shot in project.shots.values() for d in shot.dialogue]
    assert len(project.shots) == 124 and len(lines) > 124
    srt = _srt_cues((feature / "cut.srt").read_text())
    assert [text for _, _, text in srt] == lines
    vtt = (feature / "cut.vtt").read_text()
    assert vtt.startswith("WEBVTT\n") and vtt.count(" --> ") == len(lines)
    # Cues never overlap and stay inside the cut.
    stamps = [(s, e) for s, e, _ in srt]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(stamps))
    with av.open(str(feature / "cut.mp4")) as container:
        kinds = [s.type for s in container.streams]
        duration = Fraction(container.duration, av.time_base)
        subtitle = next(s for s in container.streams if s.type == "subtitle")
        assert subtitle.codec_context.name == "mov_text"
        # mov_text marks the gaps between cues with empty (2-byte) samples.
        packets = [p for p in container.demux(subtitle) if p.size > 2]
    assert "video" in kinds and len(packets) == len(lines)
    last_end = stamps[-1][1]
    h, m, rest = last_end.split(":")
    assert int(h) * 3600 + int(m) * 60 + float(rest.replace(",", ".")) <= duration + 1


def test_the_first_cue_starts_with_the_first_shot(feature: Path) -> None:
    first = _srt_cues((feature / "cut.srt").read_text())[0]
    assert first[0] == "00:00:00,000"


def test_export_carries_the_subtitles_as_markers(feature: Path, tmp_path: Path) -> None:
    run("export", str(tmp_path / "cut.otio"), "-C", str(feature))
    timeline = otio.adapters.read_from_file(str(tmp_path / "cut.otio"))
    markers = [m for clip in timeline.find_clips() for m in clip.markers]
    project = Project.load(feature)
    lines = [d for shot in project.shots.values() for d in shot.dialogue]
    assert len(markers) == len(lines)
    assert markers[0].metadata["filmfs"]["subtitle"]["text"] == lines[0].line
    first_clip = next(iter(timeline.find_clips()))
    assert first_clip.markers[0].marked_range.start_time.to_seconds() == 0


def test_script_shows_each_scene_beside_its_takes(feature: Path) -> None:
    text = run("script", "-C", str(feature))
    assert text.startswith("The Last Lamp\n")
    assert "SCENE 124 " in text and "take 1 selected" in text
    data = json.loads(run("script", "-C", str(feature), "--format", "json"))
    assert data["ok"] is True and len(data["scenes"]) == 124
    assert data["scenes"][4]["script_number"] == "5"
    assert all(shot["selected_take"] == 1 for s in data["scenes"] for shot in s["shots"])


def test_review_page_has_the_script_and_the_cut_with_a_track(feature: Path, tmp_path: Path) -> None:
    page = tmp_path / "review" / "index.html"
    run("review", "-C", str(feature), "--out", str(page))
    html = page.read_text()
    assert '<section class="screenplay" id="screenplay">' in html
    assert '<track kind="subtitles"' in html
    cues = json.loads(re.search(r'id="cut-cues">(.*?)</script>', html).group(1))  # type: ignore[union-attr]
    assert len(cues) == (feature / "cut.srt").read_text().count(" --> ")


def test_status_flags_dialogue_too_long_for_its_shot(feature: Path) -> None:
    data = json.loads(run("status", "-C", str(feature), "--json"))
    assert data["reading_rate_cps"] == 17 and data["dialogue_too_long"] == []
    shot = feature / "shots" / "01A" / "shot.yaml"
    before = shot.read_text()
    try:
        update(shot, {"dialogue": [{"character": "martha", "line": "x" * 204}]})
        data = json.loads(run("status", "-C", str(feature), "--json"))
        # 204 characters at 17 a second need 12 s; the selected take runs far less.
        seen = data["shots"][0]["selected_duration"]
        assert 0 < seen < 12
        assert data["dialogue_too_long"] == [{"shot_number": "01A", "needed": 12, "seconds": seen}]
        assert "dialogue too long to read at 17 characters/s: 01A" in run(
            "status", "-C", str(feature)
        )
    finally:
        shot.write_text(before)


def test_unknown_speaker_is_a_validation_error(tmp_path: Path) -> None:
    film = tmp_path / "film"
    run("init", str(film))
    import_script(
        film, script=Path(__file__).parent.parent / "scripts" / "elements.fountain", commit=False
    )
    update(film / "shots" / "01A" / "shot.yaml", {"dialogue": [{"character": "bo", "line": "Hi"}]})
    result = CliRunner().invoke(cli, ["validate", str(film)])
    assert result.exit_code == 1
    assert "shots/01A/shot.yaml:" in result.output
    assert "dialogue speaker 'bo' does not exist (no characters/bo.yaml)" in result.output
