from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import opentimelineio as otio
import pytest

from filmfs.errors import FilmfsError
from filmfs.export.otio import file_url, write_timeline
from filmfs.export.timeline import CutClip, TakeMedia, build_timeline
from filmfs.film.model import Transition
from tests.media.conftest import MakeVideo

FPS = 24.0


def take(shot: str, attempt: int, seconds: float, *, selected: bool) -> TakeMedia:
    return TakeMedia(
        attempt=attempt,
        target_url=f"file:///film/takes/{shot}_t{attempt}.mp4",
        sha256=f"{attempt:02d}" * 32,
        duration=seconds,
        fps=FPS,
        provider="fake",
        model="m-1",
        seed=1000 + attempt,
        cost=0.25,
        selected=selected,
    )


def cuts() -> list[CutClip]:
    return [
        CutClip("01A", "01", [take("01A", 1, 3, selected=False), take("01A", 2, 4, selected=True)]),
        CutClip("01B", "01", [take("01B", 1, 2, selected=True)],
                transition_in=Transition("crossfade", 0.5)),
        CutClip("02A", "02",
                [take("02A", 1, 5, selected=False), take("02A", 3, 2.5, selected=True)]),
    ]  # fmt: skip


def test_timeline_shape_and_duration() -> None:
    tl = build_timeline("film", cuts(), FPS)
    clips = list(tl.video_tracks()[0].find_clips())
    assert [c.name for c in clips] == ["01A take 2", "01B take 1", "02A take 3"]
    track = tl.tracks[0]
    assert isinstance(track[1], otio.schema.Transition)
    assert track[1].transition_type == otio.schema.TransitionTypes.SMPTE_Dissolve
    assert track[1].in_offset == otio.opentime.RationalTime(6, FPS)
    # Same length as the rendered film: 4 + 2 + 2.5 - 0.5 s crossfade.
    assert tl.duration() == otio.opentime.RationalTime(192, FPS)
    assert clips[1].source_range.start_time == otio.opentime.RationalTime(6, FPS)


def test_otio_round_trip_keeps_takes_and_provenance(tmp_path: Path) -> None:
    original = build_timeline("film", cuts(), FPS)
    path = write_timeline(original, tmp_path / "cut.otio")
    back = otio.adapters.read_from_file(str(path))
    clips, before = (
        list(back.video_tracks()[0].find_clips()),
        list(original.video_tracks()[0].find_clips()),
    )
    assert [c.name for c in clips] == [c.name for c in before]
    assert [c.source_range for c in clips] == [c.source_range for c in before]
    first = clips[0]
    assert sorted(first.media_references()) == ["take1", "take2"]
    assert first.active_media_reference_key == "take2"
    assert first.media_reference.target_url == "file:///film/takes/01A_t2.mp4"
    assert first.media_reference.available_range.duration == otio.opentime.RationalTime(96, FPS)
    meta = first.metadata["filmfs"]
    assert (meta["shot"], meta["take"], meta["seed"], meta["model"]) == ("01A", 2, 1002, "m-1")
    assert meta["sha256"] == "02" * 32 and meta["cost"] == 0.25
    assert back.duration() == original.duration()
    assert [p.name for p in tmp_path.iterdir()] == ["cut.otio"]


def test_edl_written_and_read_back(tmp_path: Path) -> None:
    path = write_timeline(build_timeline("film", cuts(), FPS), tmp_path / "cut.edl")
    text = path.read_text()
    assert "01AT2" in text and " D    012 " in text  # reel names; a dissolve event
    back = otio.adapters.read_from_file(str(path), rate=FPS)
    clips = list(back.video_tracks()[0].find_clips())
    assert len(clips) == 3
    # EDL splits a dissolve its own way; the total length survives.
    assert back.duration() == otio.opentime.RationalTime(192, FPS)
    assert any(isinstance(item, otio.schema.Transition) for item in back.tracks[0])


def test_fcp7_xml_written_with_format_and_read_back(tmp_path: Path) -> None:
    tl = build_timeline("film", cuts(), FPS, width=1920, height=1080)
    path = write_timeline(tl, tmp_path / "cut.xml")
    text = path.read_text()
    # Resolve loads an FCP XML without <format> empty (OTIO #839): ours says the size too.
    video = ElementTree.fromstring(text).find(".//sequence/media/video")
    assert video is not None
    chars = video.find("./format/samplecharacteristics")
    assert chars is not None
    assert (chars.findtext("width"), chars.findtext("height")) == ("1920", "1080")
    assert chars.findtext("rate/timebase") == "24"
    assert "fcp_xml" not in tl.metadata  # the .otio form is not polluted
    back = otio.adapters.read_from_file(str(path))
    clips = list(back.video_tracks()[0].find_clips())
    assert [c.name for c in clips] == ["01A take 2", "01B take 1", "02A take 3"]
    assert clips[0].media_reference.target_url.endswith("01A_t2.mp4")


def test_fcpxml_written(tmp_path: Path) -> None:
    path = write_timeline(build_timeline("film", cuts(), FPS), tmp_path / "cut.fcpxml")
    assert "<fcpxml" in path.read_text()


def test_otioz_bundles_the_active_media(tmp_path: Path, make_video: MakeVideo) -> None:
    media = make_video("shot.mp4", seconds=1)
    tm = TakeMedia(1, file_url(media), "ab" * 32, 1.0, FPS, selected=True)
    tl = build_timeline("film", [CutClip("01A", "01", [tm])], FPS)
    path = write_timeline(tl, tmp_path / "cut.otioz", bundle=True)
    (tmp_path / "x").mkdir()
    back = otio.adapters.read_from_file(str(path), extract_to_directory=str(tmp_path / "x"))
    (clip,) = back.video_tracks()[0].find_clips()
    url = clip.media_reference.target_url.removeprefix("file://")
    bundled = tmp_path / "x" / url  # bundles hold media/<name>, relative to the bundle
    assert bundled.read_bytes() == media.read_bytes()


def test_unknown_suffix_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tl = build_timeline("film", cuts(), FPS)
    with pytest.raises(FilmfsError) as info:
        write_timeline(tl, tmp_path / "cut.aaf")
    assert "pip install otio-aaf-adapter" in str(info.value)
    with pytest.raises(FilmfsError, match=r"only \.otioz and \.otiod"):
        write_timeline(tl, tmp_path / "cut.otio", bundle=True)


def test_two_selected_takes_is_an_error() -> None:
    both = CutClip(
        "01A", "01", [take("01A", 1, 3, selected=True), take("01A", 2, 4, selected=True)]
    )
    with pytest.raises(FilmfsError, match="2 selected takes"):
        build_timeline("film", [both], FPS)


def test_otiod_without_bundle_keeps_urls_as_missing_references(tmp_path: Path) -> None:
    path = write_timeline(build_timeline("film", cuts(), FPS), tmp_path / "cut.otiod")
    back = otio.adapters.read_from_file(str(path))
    first = next(iter(back.video_tracks()[0].find_clips()))
    assert isinstance(first.media_reference, otio.schema.MissingReference)
    assert first.media_reference.metadata["original_target_url"].endswith("01A_t2.mp4")
