"""`filmfs import-edit`: an editor's timeline, changed the way an NLE changes it, back into the
manifests, and the cut assembled from them checked frame by frame against that timeline."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import av
import git
import opentimelineio as otio
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.manifests.loader import load
from filmfs.project import Project
from tests.editorial import copy_film, generated_film, run
from tests.genfilm import PYTHON, subprocess_env

RATE = 24
RT = otio.opentime.RationalTime


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_film(tmp_path_factory.mktemp("import") / "film")


@pytest.fixture
def film(generated: Path, tmp_path: Path) -> Path:
    return copy_film(generated, tmp_path / "film")


def _shot(film: Path, shot_id: str) -> dict[str, object]:
    data = load(film / "shots" / shot_id / "shot.yaml", shot_id).data
    assert isinstance(data, dict)
    return data


def _trim(clip: otio.schema.Clip, head: int, tail: int) -> None:
    r = clip.source_range
    clip.source_range = otio.opentime.TimeRange(
        r.start_time + RT(head, RATE), r.duration - RT(head + tail, RATE)
    )


def _edit(timeline: otio.schema.Timeline, swap: callable) -> None:  # type: ignore[valid-type]
    """What the editor does, on the picture track: 01B out, 02C before 02B, 01A trimmed (6
    frames off its head, 6 off its tail) on its take 2, a 12-frame dissolve into 01C, and the
    dissolve from 02C into 02D deleted."""
    video = timeline.video_tracks()[0]
    names = [item.name for item in video]
    assert names[:3] == ["01A take 1", "01B take 1", "01C take 1"], names
    first, c01c = video[0], video[2]
    swap(first)
    _trim(first, 6, 12)  # the dissolve below shows 6 more frames of it
    _trim(c01c, 6, 0)  # and 6 frames of 01C before its new start
    c02c = next(i for i in video if i.name.startswith("02C")).deepcopy()
    at = [i.name for i in video].index(c02c.name)
    assert isinstance(video[at + 1], otio.schema.Transition)
    del video[at : at + 2]  # 02C goes, and with it the dissolve from it into 02D
    del video[1]  # 01B
    video.insert(1, otio.schema.Transition(in_offset=RT(6, RATE), out_offset=RT(6, RATE)))
    at = [i.name for i in video].index(next(i.name for i in video if i.name.startswith("02B")))
    video.insert(at, c02c)


def _expect_decisions(film: Path, head: str) -> None:
    repo = git.Repo(film)
    changed = set(repo.git.diff("--name-status", "-M", f"{head}", "HEAD").splitlines())
    assert changed == {
        "M\tshots/01A/shot.yaml",
        "M\tshots/01A/takes/001.yaml",
        "M\tshots/01A/takes/002.yaml",
        "M\tshots/01B/shot.yaml",
        "M\tshots/01C/shot.yaml",
        "M\tshots/02C/shot.yaml",
        "M\tshots/02D/shot.yaml",
        "R100\tshots/02B/takes/001.yaml\tshots/02CA/takes/001.yaml",
        "R100\tshots/02B/takes/002.yaml\tshots/02CA/takes/002.yaml",
    } | {c for c in changed if c.startswith("R0") and "shots/02B/shot.yaml" in c}
    a = _shot(film, "01A")
    assert (a["in"], a["out"]) == (0.25, 3.75)
    assert _shot(film, "01B")["status"] == "omitted"
    assert _shot(film, "01C")["transition_in"] == {"type": "crossfade", "duration": 0.5}
    assert _shot(film, "02CA")["shot_number"] == "02CA"
    # Without the dissolve, 02C and 02D meet where its middle was: 6 frames off each.
    assert _shot(film, "02C")["out"] == 3.75
    assert _shot(film, "02D")["in"] == 0.25 and "transition_in" not in _shot(film, "02D")
    project = Project.load(film)
    take = project.shots["01A"].selected_take
    assert take is not None and take.attempt_number == 2
    order = [s for s, shot in project.shots.items() if shot.status != "omitted"]
    assert order == ["01A", "01C", "02A", "02C", "02CA", "02D"]
    assert not project.all_problems() or all(p.severity != "error" for p in project.all_problems())


def _frame(path: Path, index: int) -> bytes:
    """The luma of frame ``index`` (rows of the picture's width)."""
    with av.open(str(path)) as container:
        for n, frame in enumerate(container.decode(video=0)):
            if n == index:
                plane = frame.planes[0]
                data = bytes(plane)
                return b"".join(
                    data[row * plane.line_size : row * plane.line_size + plane.width]
                    for row in range(plane.height)
                )
    raise AssertionError(f"{path} has no frame {index}")


def _difference(a: bytes, b: bytes) -> float:
    assert len(a) == len(b)
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def _matches_timeline(film: Path, timeline: otio.schema.Timeline, media: Path) -> None:
    """The assembled cut is the editor's timeline: same length, and in the middle of each clip
    the frame the timeline shows."""
    run("assemble", "--no-commit", "-C", str(film))
    cut = film / "cut.mp4"
    with av.open(str(cut)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    video = timeline.video_tracks()[0]
    assert frames == round(video.duration().to_seconds() * RATE)
    for clip in video.find_clips():
        record = video.range_of_child(clip)
        middle = int(record.start_time.value + record.duration.value // 2)
        source = int(clip.source_range.start_time.value + record.duration.value // 2)
        wanted = _frame(media / Path(clip.media_reference.target_url).name, source)
        got = _frame(cut, middle)
        assert _difference(got, wanted) < 8, clip.name


def test_an_edited_otio_comes_back(film: Path, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    run("export", str(out / "cut.otio"), "-C", str(film))
    timeline = otio.adapters.read_from_file(str(out / "cut.otio"))

    def swap(clip: otio.schema.Clip) -> None:
        clip.active_media_reference_key = "take2"  # the editor switches the take in the NLE

    _edit(timeline, swap)
    otio.adapters.write_to_file(timeline, str(out / "edited.otio"))
    head = git.Repo(film).head.commit.hexsha
    dry = run("import-edit", str(out / "edited.otio"), "--dry-run", "-C", str(film))
    assert "dry run: nothing written" in dry and "+ shot 02CA (scene 2) added" in dry
    assert git.Repo(film).head.commit.hexsha == head and not git.Repo(film).is_dirty()
    output = run("import-edit", str(out / "edited.otio"), "-C", str(film))
    assert "committed" in output
    _expect_decisions(film, head)
    _matches_timeline(film, timeline, out / "media")


def test_an_edited_fcp7_xml_comes_back(film: Path, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    run("export", str(out / "cut.xml"), "-C", str(film))
    take2 = next((out / "media").glob("01A_take1_*")).name  # only selected takes are exported
    sha = Project.load(film).shots["01A"].takes[1].video
    assert sha is not None
    timeline = otio.adapters.read_from_file(str(out / "cut.xml"))

    def swap(clip: otio.schema.Clip) -> None:
        # The editor imports the other take's file (named as filmfs names it) and cuts it in.
        name = f"01A_take2_{sha.sha256[:8]}.mp4"
        clip.media_reference.target_url = f"media/{name}"
        clip.name = "01A take 2"
        (out / "media" / name).symlink_to(
            Project.load(film).root / ".filmfs" / "objects" / sha.sha256[:2] / sha.sha256[2:]
        )

    assert take2
    _edit(timeline, swap)
    otio.adapters.write_to_file(timeline, str(out / "edited.xml"))
    head = git.Repo(film).head.commit.hexsha
    run("import-edit", str(out / "edited.xml"), "-C", str(film))
    _expect_decisions(film, head)
    _matches_timeline(film, timeline, out / "media")


def test_clips_that_map_to_no_take_are_listed_and_nothing_is_written(
    film: Path, tmp_path: Path
) -> None:
    run("export", str(tmp_path / "cut.otio"), "-C", str(film))
    timeline = otio.adapters.read_from_file(str(tmp_path / "cut.otio"))
    card = otio.schema.Clip(
        name="title card",
        media_reference=otio.schema.ExternalReference(target_url="media/title.mov"),
        source_range=otio.opentime.TimeRange(RT(0, RATE), RT(48, RATE)),
    )
    timeline.video_tracks()[0].insert(0, card)
    otio.adapters.write_to_file(timeline, str(tmp_path / "edited.otio"))
    result = CliRunner().invoke(
        cli, ["import-edit", str(tmp_path / "edited.otio"), "-C", str(film)]
    )
    assert result.exit_code == 1
    assert (
        "clip 1 (title card, at frame 0): media/title.mov is not a take filmfs exported"
        in result.output
    )
    assert "nothing was written" in result.output and not git.Repo(film).is_dirty()


@pytest.mark.parametrize("suffix", [".edl", ".fcpxml", ".xml", ".otio"])
def test_an_unchanged_export_changes_nothing(film: Path, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"cut{suffix}"
    run("export", str(path), "-C", str(film))
    assert "nothing to change" in run("import-edit", str(path), "-C", str(film))
    assert not git.Repo(film).is_dirty()


def test_import_edit_in_a_real_process(film: Path, tmp_path: Path) -> None:
    run("export", str(tmp_path / "cut.edl"), "-C", str(film))
    text = (tmp_path / "cut.edl").read_text()
    # The editor drops the event of 01B from the EDL (and renumbers nothing: readers do not care).
    blocks = text.split("\n002  ")
    rest = blocks[1].split("\n003  ", 1)[1]
    (tmp_path / "edited.edl").write_text(blocks[0] + "\n003  " + rest)
    done = subprocess.run(
        [PYTHON, "-m", "filmfs", "import-edit", str(tmp_path / "edited.edl"), "-C", str(film)],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _shot(film, "01B")["status"] == "omitted"


def _as_an_nle_writes_it(edl: str) -> str:
    """The EDL with what an NLE keeps of it: reels AX, the media file's name as the clip name,
    no filmfs comments."""
    blocks: list[str] = [""]
    for line in edl.strip().splitlines():
        number = line[:3] if line[:3].isdigit() else None
        if number and not blocks[-1].startswith(number):
            blocks.append("")
        blocks[-1] += line + "\n"
    blocks = [b.rstrip("\n") for b in blocks]
    files: dict[str, str] = {}
    for block in blocks[1:]:
        events = [line for line in block.splitlines() if line[:3].isdigit()]
        source = re.search(r"^\* SOURCE FILE: media/(\S+)$", block, re.M)
        assert source is not None
        files[events[-1][5:13].strip()] = source[1]
    out = [blocks[0]]
    for block in blocks[1:]:
        lines = block.splitlines()
        reels = [line[5:13].strip() for line in lines if line[:3].isdigit()]
        names = iter(files[r] for r in reels)
        kept = []
        for line in lines:
            if line[:3].isdigit():
                kept.append(line[:5] + "AX      " + line[13:])
            elif line.startswith(("* FROM CLIP NAME:", "* TO CLIP NAME:")):
                kept.append(line.split(":")[0] + ":  " + next(names))
            elif not line.startswith(("* FILMFS", "* SOURCE FILE")):
                kept.append(line)
        out.append("\n".join(kept))
    return "\n".join(out) + "\n"


def test_an_edl_as_an_nle_writes_it_maps_by_file_names(film: Path, tmp_path: Path) -> None:
    run("export", str(tmp_path / "cut.edl"), "-C", str(film))
    text = _as_an_nle_writes_it((tmp_path / "cut.edl").read_text())
    assert "FILMFS" not in text and "01A_take1_" in text
    (tmp_path / "nle.edl").write_text(text)
    assert "nothing to change" in run("import-edit", str(tmp_path / "nle.edl"), "-C", str(film))
