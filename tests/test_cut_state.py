"""Whether the cut is current, decided from what is committed; inputs and cut checked first.

Real films (testcard takes rendered by ffmpeg), a local-directory remote and `git clone`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import av
import pytest
import yaml
from click.testing import CliRunner, Result

from filmfs.cli import cli
from filmfs.commands.init import init
from filmfs.film.model import Format
from filmfs.media.ffmpeg import run_ffmpeg
from filmfs.media.probe_cache import PROBE_CACHE_VERSION
from filmfs.media.verify import cut_differences
from tests.remotes.film import commit_all, git


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


CROSSFADE = "transition_in: {type: crossfade, duration: 0.5}\n"


def small_film(root: Path, *, crossfade: bool = True) -> Path:
    init(root, title="Small", width=160, height=90, fps="24")
    (root / "scenes" / "01.yaml").write_text("scene_number: 1\nsetting: a room\n")
    for number, extra in (("01A", ""), ("01B", CROSSFADE if crossfade else "")):
        folder = root / "shots" / number
        folder.mkdir(parents=True)
        text = f"shot_number: {number}\nscene: 1\nduration_target: 1.5\nprompt: shot {number}\n"
        (folder / "shot.yaml").write_text(text + extra)
    result = run("generate", "--missing", "-C", str(root))
    assert result.exit_code == 0, result.output
    return root


def objects(root: Path) -> set[str]:
    folder = root / ".filmfs" / "objects"
    return {p.parent.name + p.name for p in folder.glob("*/*")}


def corrupt(path: Path) -> None:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_fresh_clone_after_pull_is_up_to_date_without_rendering(tmp_path: Path) -> None:
    root = small_film(tmp_path / "film")
    remote = tmp_path / "remote"
    assert run("remote", "add", "origin", str(remote), "-d", "-C", str(root)).exit_code == 0
    commit_all(root, "remote")
    first = run("assemble", "-C", str(root))
    assert first.exit_code == 0, first.output
    assert "up to date" not in first.output
    assert run("push", "-C", str(root)).exit_code == 0

    git(tmp_path, "clone", "-q", str(root), "clone")
    clone = tmp_path / "clone"
    pulled = run("pull", "-C", str(clone))
    assert pulled.exit_code == 0, pulled.output
    before = objects(clone)
    # pull hashed every object on its way in: each is stamped, so nothing is read again.
    stamps = clone / ".filmfs" / "cache" / "verified-v1"
    assert {p.name for p in stamps.iterdir()} == before
    again = run("assemble", "-C", str(clone))
    assert again.exit_code == 0, again.output
    assert "up to date" in again.output
    # Nothing was rendered: no new object (no conformed copy, join or cut), no commit.
    assert objects(clone) == before
    recorded = yaml.safe_load((clone / "film.yaml").read_text())["final_edit"]
    assert (clone / "cut.mp4").read_bytes() == (root / "cut.mp4").read_bytes()
    # film.yaml keeps the recipe's hash, engine and frame count only (the recipe itself is
    # rebuilt from the manifests): two 1.5 s shots at 24 fps less a 0.5 s crossfade.
    assert set(recorded["recipe"]) == {"hash", "engine", "frames"}
    with av.open(str(clone / "cut.mp4")) as container:
        frames = sum(1 for packet in container.demux(video=0) if packet.size)
    assert recorded["recipe"]["frames"] == frames == 36 + 36 - 12


def test_the_local_cache_never_decides(tmp_path: Path) -> None:
    root = small_film(tmp_path / "film")
    assert run("assemble", "-C", str(root)).exit_code == 0
    # A CI runner that keeps only .filmfs/objects: the cache is gone, the cut is still current.
    for entry in sorted((root / ".filmfs" / "cache").rglob("*"), reverse=True):
        entry.unlink() if entry.is_file() else entry.rmdir()
    again = run("assemble", "-C", str(root))
    assert again.exit_code == 0, again.output
    assert "up to date" in again.output
    # A changed recipe (a longer crossfade) is not, though the selected takes are the same.
    shot = root / "shots" / "01B" / "shot.yaml"
    shot.write_text(shot.read_text().replace("duration: 0.5", "duration: 0.25"))
    changed = run("assemble", "--no-commit", "-C", str(root))
    assert changed.exit_code == 0, changed.output
    assert "up to date" not in changed.output


def test_a_damaged_take_or_cut_is_caught_before_use(tmp_path: Path) -> None:
    root = small_film(tmp_path / "film")
    assert run("assemble", "-C", str(root)).exit_code == 0
    final = yaml.safe_load((root / "film.yaml").read_text())["final_edit"]
    cut_object = root / ".filmfs" / "objects" / final["sha256"][:2] / final["sha256"][2:]
    corrupt(cut_object)
    # The recorded cut no longer matches its hash: not "up to date"; it is made again, whole.
    again = run("assemble", "--no-commit", "-C", str(root))
    assert again.exit_code == 0, again.output
    assert "up to date" not in again.output
    assert (root / ".filmfs" / "quarantine" / final["sha256"]).is_file()
    assert cut_object.is_file() and (root / "cut.mp4").stat().st_size == final["size"]

    take = yaml.safe_load((root / "shots" / "01A" / "takes" / "001.yaml").read_text())
    sha = take["video"]["sha256"]
    corrupt(root / ".filmfs" / "objects" / sha[:2] / sha[2:])
    probed = root / ".filmfs" / "cache" / f"probe-v{PROBE_CACHE_VERSION}" / f"{sha}.json"
    assert probed.is_file()  # remembered when generate stored the take
    forced = run("assemble", "--force", "--no-commit", "-C", str(root))
    assert forced.exit_code == 1, forced.output
    assert "shot 01A take 1" in forced.output and "does not match its sha256" in forced.output
    # The take's bytes were checked while ffmpeg read them: the cut was not kept, and what
    # was read from the bad bytes (the take's probe) is forgotten.
    assert (root / "cut.mp4").stat().st_size == final["size"]
    assert not probed.exists()


def test_a_damaged_take_is_never_conformed_into_the_cache(tmp_path: Path) -> None:
    root = small_film(tmp_path / "film", crossfade=False)
    odd = tmp_path / "odd.mp4"
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", "testsrc=size=128x72:rate=30:duration=1",
            "-f", "lavfi", "-i", "sine=sample_rate=44100:duration=1",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(odd),
        ],
        what="test clip",
    )  # fmt: skip
    assert run("add-take", "01B", str(odd), "--no-commit", "-C", str(root)).exit_code == 0
    assert run("select", "01B", "2", "--no-commit", "-C", str(root)).exit_code == 0
    take = yaml.safe_load((root / "shots" / "01B" / "takes" / "002.yaml").read_text())
    corrupt(
        root / ".filmfs" / "objects" / take["video"]["sha256"][:2] / take["video"]["sha256"][2:]
    )
    bad = run("assemble", "--no-commit", "-C", str(root))
    assert bad.exit_code == 1, bad.output
    assert "shot 01B take 2" in bad.output and "does not match its sha256" in bad.output
    # Its conformed copy would be made from the wrong bytes: the check came first.
    assert not list((root / ".filmfs" / "cache").glob("conformed/*"))
    assert not (root / "cut.mp4").exists()


def test_a_cut_that_differs_from_its_plan_is_not_published(tmp_path: Path) -> None:
    root = small_film(tmp_path / "film", crossfade=False)  # every clip stream-copied
    assert run("assemble", "-C", str(root)).exit_code == 0
    good = (root / "cut.mp4").read_bytes()
    recorded = (root / "film.yaml").read_text()
    # A take in the film's exact format (so it is stream-copied) whose sound stops early.
    short = tmp_path / "short.mp4"
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", "testsrc=size=160x90:rate=24:duration=1.5",
            "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo:d=0.5",
            "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-bf", "0", "-pix_fmt", "yuv420p", "-r", "24",
            "-video_track_timescale", "12288", "-g", "24",
            "-c:a", "aac", "-ar", "48000", "-ac", "2", str(short),
        ],
        what="test clip",
    )  # fmt: skip
    assert run("add-take", "01A", str(short), "-C", str(root)).exit_code == 0
    assert run("select", "01A", "2", "-C", str(root)).exit_code == 0
    recorded = (root / "film.yaml").read_text()
    bad = run("assemble", "-C", str(root))
    assert bad.exit_code == 1, bad.output
    assert "not published" in bad.output and "it has holes" in bad.output
    assert (root / "cut.mp4").read_bytes() == good
    assert (root / "film.yaml").read_text() == recorded


@pytest.mark.parametrize("frames", [10, 12])
def test_cut_differences_name_what_differs(tmp_path: Path, frames: int) -> None:
    clip = tmp_path / "c.mp4"
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", "testsrc=size=64x36:rate=25:duration=0.4",
            "-f", "lavfi", "-i", "sine=sample_rate=48000:duration=0.4",
            "-c:v", "libx264", "-c:a", "aac", str(clip),
        ],
        what="test clip",
    )  # fmt: skip
    found = cut_differences(clip, fmt=Format(64, 36, 24), frames=frames)
    assert "frame rate 25, the film's is 24" in found
    assert ("10 video frames, the plan has 12" in found) == (frames == 12)


def test_unstamped_takes_are_hashed_while_they_are_cut(tmp_path: Path) -> None:
    # A film copied by other means than pull: no stamps; each take is hashed during the run.
    root = small_film(tmp_path / "film", crossfade=False)
    stamps = root / ".filmfs" / "cache" / "verified-v1"
    for entry in stamps.iterdir():
        entry.unlink()
    result = run("assemble", "--no-commit", "-C", str(root))
    assert result.exit_code == 0, result.output
    takes = [
        yaml.safe_load((root / "shots" / shot / "takes" / "001.yaml").read_text())["video"]
        for shot in ("01A", "01B")
    ]
    final = yaml.safe_load((root / "film.yaml").read_text())["final_edit"]
    assert {p.name for p in stamps.iterdir()} == {t["sha256"] for t in takes} | {final["sha256"]}
