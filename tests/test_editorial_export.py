"""Exports read by readers filmfs does not write: pycmx (EDL), xmllint and a structural check
of what Apple's FCPXML DTD requires (FCPXML), OpenTimelineIO (.otio, FCP 7 XML)."""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

import opentimelineio as otio
import pycmx
import pytest
from pycmx.parse_cmx_statements import parse_cmx3600_statements
from pycmx.statements import StmtFCM

from filmfs.export.timeline import CutClip, TakeMedia, build_timeline
from filmfs.project import Project
from filmfs.store.objects import hash_file
from tests.editorial import copy_film, generated_film, run

RATE = 24  # tests/editorial.generated_film


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_film(tmp_path_factory.mktemp("editorial") / "film")


@pytest.fixture(scope="module")
def exported(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "out"
    for suffix in ("otio", "xml", "fcpxml", "edl"):
        run("export", str(out / f"cut.{suffix}"), "-C", str(generated))
    return out


def _film_plan(film: Path) -> list[tuple[str, int, int, int]]:
    """(shot, take, frames, transition frames into it) in cut order, from the manifests."""
    project = Project.load(film)
    plan = []
    for shot in project.shots.values():
        take = shot.selected_take
        assert take is not None and take.video is not None
        fade = shot.transition_in.duration if shot.transition_in and plan else 0
        plan.append(
            (
                shot.shot_number,
                take.attempt_number,
                round(Fraction(take.video.duration) * RATE),
                round(Fraction(fade) * RATE),
            )
        )
    return plan


def test_the_cli_counts_the_takes_each_format_carries(generated: Path, tmp_path: Path) -> None:
    assert "7 clips, 7 takes, 3 audio tracks" in run(
        "export", str(tmp_path / "a.edl"), "-C", str(generated)
    )
    assert "7 clips, 9 takes" in run("export", str(tmp_path / "a.otio"), "-C", str(generated))


def test_edl_read_by_pycmx(generated: Path, exported: Path) -> None:
    text = (exported / "cut.edl").read_text()
    with (exported / "cut.edl").open() as handle:
        statements = parse_cmx3600_statements(handle)
    assert [s.drop for s in statements if isinstance(s, StmtFCM)] == [False]
    with (exported / "cut.edl").open() as handle:
        edl = pycmx.parse_cmx3600(handle)
    assert edl.title == "Paper Boats"
    assert "TRUNCATED" not in text
    assert not [s for s in edl.unrecognized_statements if s.content.strip()]
    mapping = dict(
        re.findall(r"^\* FILMFS REEL (\S+) IS (SHOT \S+ TAKE \d+|ASSET \S+)", text, re.M)
    )
    plan = _film_plan(generated)
    picture = [e for ev in edl.events for e in ev.edits if e.channels.video]
    # Each take once (a dissolve's A side is a zero-length edit of the take before).
    shown = [e for e in picture if e.record_in != e.record_out]
    assert [mapping[e.source] for e in shown] == [f"SHOT {s} TAKE {t}" for s, t, _, _ in plan]
    for edit in picture:  # the takes' own sound on A1/A2
        assert sorted(edit.channels.channels) == [1, 2]
    dissolves = [
        (mapping[e.source], e.transition.effect_duration) for e in picture if e.transition.dissolve
    ]
    assert dissolves == [(f"SHOT {s} TAKE {t}", f) for s, t, _, f in plan if f]
    total = sum(n for _, _, n, _ in plan) - sum(f for *_, f in plan)
    assert _frames(shown[-1].record_out) == total
    beds = {
        c: [
            e
            for ev in edl.events
            for e in ev.edits
            if not e.channels.video and c in e.channels.channels
        ]
        for c in (3, 4)
    }
    assert [mapping[e.source] for e in beds[3]] == ["ASSET harbour-theme"]
    assert _frames(beds[3][0].record_out) == total  # the soundtrack under the whole film
    assert {mapping[e.source] for e in beds[4]} == {"ASSET rain-ambience"}
    assert len(beds[4]) == 2 and "AUDIO LEVEL AT 00:00:00:00 IS -4.44 DB" in text


def _frames(tc: str) -> int:
    h, m, s, f = (int(x) for x in tc.split(":"))
    return ((h * 60 + m) * 60 + s) * RATE + f


def _unit_cuts() -> list[CutClip]:
    def take(shot: str, n: int) -> TakeMedia:
        return TakeMedia(n, f"media/{shot}_take{n}.mp4", f"{n:02d}" * 32, 4, 24, selected=True)

    from filmfs.film.model import Transition

    return [
        CutClip("01A", "1", [take("01A", 1)]),
        CutClip("01B", "1", [take("01B", 1)], Transition("crossfade", 1)),
    ]


def test_upstream_cmx_adapter_still_misplaces_dissolves() -> None:
    """filmfs writes EDLs itself because of this; when it fails, the adapter was fixed and
    export/edl.py may go back to it."""
    text = otio.adapters.write_to_string(build_timeline("t", _unit_cuts(), 24), "cmx_3600")
    edl = pycmx.parse_cmx3600(__import__("io").StringIO(text))
    kinds = [e.transition.transition for ev in edl.events for e in ev.edits]
    assert "D 02" in kinds and "FCM:" not in text and "OTIO TRUNCATED REEL NAME" in text


def test_upstream_fcpx_adapter_still_drops_transitions() -> None:
    """filmfs writes FCPXML itself because of this; when it fails, see export/fcpxml.py."""
    text = otio.adapters.write_to_string(build_timeline("t", _unit_cuts(), 24), "fcpx_xml")
    root = ET.fromstring(text)
    fmt = root.find("resources/format")
    assert root.find(".//transition") is None or fmt is None or fmt.get("width") is None


TIME = re.compile(r"^(-?\d+)(?:/(\d+))?s$")


def _t(value: str | None) -> Fraction:
    assert value is not None
    match = TIME.match(value)
    assert match, value
    return Fraction(int(match[1]), int(match[2] or 1))


def test_fcpxml_is_well_formed_and_has_what_the_dtd_requires(
    generated: Path, exported: Path
) -> None:
    path = exported / "cut.fcpxml"
    if shutil.which("xmllint"):
        subprocess.run(["xmllint", "--noout", str(path)], check=True)
    root = ET.parse(path).getroot()
    assert root.tag == "fcpxml" and root.get("version") == "1.8"
    assert [c.tag for c in root] == ["resources", "library"]
    resources = root.find("resources")
    assert resources is not None
    assert {c.tag for c in resources} <= {"asset", "effect", "format", "media"}
    ids = {c.get("id"): c for c in resources}
    assert None not in ids and len(ids) == len(resources)  # every resource has a unique id
    (fmt,) = resources.findall("format")
    assert (fmt.get("width"), fmt.get("height"), _t(fmt.get("frameDuration"))) == (
        "320",
        "180",
        Fraction(1, RATE),
    )
    for asset in resources.findall("asset"):
        assert asset.get("src", "").startswith("media/") and asset.get("id")
    for effect in resources.findall("effect"):
        assert effect.get("uid")
    # IDREFs resolve, and to the right kind of resource.
    for element in root.iter():
        for attr in ("ref", "format"):
            if element.tag not in ("format",) and element.get(attr):
                assert element.get(attr) in ids, (element.tag, attr)
    event = root.find("library/event")
    assert event is not None and event.get("name") == "Paper Boats"
    sequence = event.find("project/sequence")
    assert sequence is not None and sequence.get("format") == fmt.get("id")
    spine = sequence.find("spine")
    assert spine is not None and [c.tag for c in sequence] == ["spine"]
    plan = _film_plan(generated)
    clips = spine.findall("asset-clip")
    assert [ids[c.get("ref")].get("src", "").split("/")[1][:10] for c in clips] == [
        f"{s}_take{t}_" for s, t, _, _ in plan
    ]
    # The spine is contiguous; transitions sit on the edits with the film's lengths.
    at = Fraction(0)
    for clip in clips:
        assert _t(clip.get("offset")) == at
        at += _t(clip.get("duration"))
        assert ids[clip.get("ref")].get("hasAudio") == "1"
        for t in ("offset", "start", "duration"):
            assert (_t(clip.get(t)) * RATE).denominator == 1  # on frame boundaries
    total = Fraction(sum(n for _, _, n, _ in plan) - sum(f for *_, f in plan), RATE)
    assert at == total == _t(sequence.get("duration"))
    transitions = spine.findall("transition")
    assert [_t(t.get("duration")) * RATE for t in transitions] == [f for *_, f in plan if f]
    for transition in transitions:
        assert transition.find("filter-video") is not None
        start, end = (
            _t(transition.get("offset")),
            _t(transition.get("offset")) + _t(transition.get("duration")),
        )
        edits = [_t(c.get("offset")) for c in clips]
        assert any(start < e < end for e in edits)
    connected = [c for clip in clips for c in clip.findall("asset-clip")]
    assert {c.get("name"): c.get("lane") for c in connected} == {
        "harbour-theme": "-1",
        "rain-ambience": "-2",
    }
    assert all(c.find("adjust-volume") is not None for c in connected)


def test_fcp7_xml_read_by_otio(exported: Path) -> None:
    timeline = otio.adapters.read_from_file(str(exported / "cut.xml"))
    video, *audio = timeline.tracks
    assert len(audio) == 3
    assert [type(i).__name__ for i in video].count("Transition") == 2
    levels = [
        e.metadata["fcp_xml"]["parameter"]["value"]
        for track in audio
        for c in track.find_clips()
        for e in c.effects
    ]
    assert sorted(set(levels)) == ["0.4", "0.6"]
    assert all(c.media_reference.target_url.startswith("media/") for c in timeline.find_clips())


def test_otio_tracks_positions_and_volumes(generated: Path, exported: Path) -> None:
    timeline = otio.adapters.read_from_file(str(exported / "cut.otio"))
    roles = [t.metadata.get("filmfs", {}).get("role") for t in timeline.tracks]
    assert roles == [None, "takes", "soundtrack", "shot"]
    shot_audio = timeline.tracks[3]
    starts = [shot_audio.range_of_child(c).start_time.value for c in shot_audio.find_clips()]
    assert starts == [0, 4 * RATE]  # 01A and 01B, where their takes start
    (bed,) = timeline.tracks[2].find_clips()
    assert bed.metadata["filmfs"]["volume"] == 0.6


def test_media_has_names_extensions_and_survives_a_move(
    generated: Path, exported: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(exported, moved)
    names = sorted(p.name for p in (moved / "media").iterdir())
    assert "01A_take2_" in " ".join(names) and all(re.search(r"\.(mp4|m4a)$", n) for n in names)
    timeline = otio.adapters.read_from_file(str(moved / "cut.otio"))
    for clip in timeline.find_clips():
        for ref in clip.media_references().values():
            target = moved / ref.target_url
            assert target.is_file()
            assert hash_file(target)[0] == (
                ref.metadata["filmfs"].get("sha256") or clip.metadata["filmfs"]["sha256"]
            )
    text = (moved / "cut.edl").read_text()
    for name in re.findall(r"^\* SOURCE FILE: (\S+)", text, re.M):
        assert (moved / name).is_file()


def test_a_corrupt_store_object_is_not_exported(generated: Path, tmp_path: Path) -> None:
    film = copy_film(generated, tmp_path / "film")
    take = Project.load(film).shots["01B"].selected_take
    assert take is not None and take.video is not None
    obj = film / ".filmfs" / "objects" / take.video.sha256[:2] / take.video.sha256[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"not the video")
    from click.testing import CliRunner

    from filmfs.cli import cli

    result = CliRunner().invoke(cli, ["export", str(tmp_path / "out" / "cut.xml"), "-C", str(film)])
    assert result.exit_code != 0 and "does not match its hash" in result.output
    assert not (tmp_path / "out" / "cut.xml").exists()


def test_long_shot_ids_keep_their_take_through_the_reel_comment() -> None:
    from filmfs.export.edl import write_edl
    from filmfs.export.read import _from_edl

    def take(n: int, *, selected: bool) -> TakeMedia:
        return TakeMedia(
            n, f"media/0012ABCD_take{n}.mp4", f"{n:02d}" * 32, 2, 24, selected=selected
        )

    cuts = [
        CutClip("0012ABCD", "12", [take(1, selected=False), take(2, selected=True)]),
        CutClip("0012ABCE", "12", [take(1, selected=True)]),
        CutClip("0012ABCF", "12", [take(3, selected=True)]),
    ]
    text = write_edl(build_timeline("long", cuts, 24))
    edl = pycmx.parse_cmx3600(__import__("io").StringIO(text))
    reels = [e.source for ev in edl.events for e in ev.edits if e.channels.video]
    assert len(set(reels)) == 3 and all(len(r) <= 8 for r in reels)
    back = _from_edl(text, Fraction(24))
    assert [back.reels[c.reel or ""]["shot"] for c in back.clips] == [
        "0012ABCD",
        "0012ABCE",
        "0012ABCF",
    ]
    assert [back.reels[c.reel or ""]["take"] for c in back.clips] == ["2", "1", "3"]
