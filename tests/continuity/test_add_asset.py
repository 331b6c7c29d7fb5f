"""`filmfs add-asset` and `filmfs frame`: images and sounds into the film, frames out of takes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.project import Project
from tests.continuity.conftest import mean_rgb, still, tone, two_colour_video


def run(film: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "-C", str(film)])
    return result.exit_code, result.output


def test_an_image_becomes_an_asset_stored_and_committed(film_repo: Path, tmp_path: Path) -> None:
    image = still(tmp_path / "mira.png", "red", size="80x60")
    code, out = run(film_repo, "add-asset", "mira-ref", str(image), "--type", "image")
    assert code == 0, out
    assert "80x60 png" in out and "committed" in out
    data = yaml.safe_load((film_repo / "assets/mira-ref.yaml").read_text())
    assert (data["type"], data["width"], data["height"]) == ("image", 80, 60)
    assert (film_repo / ".filmfs/objects" / data["sha256"][:2] / data["sha256"][2:]).is_file()
    log = subprocess.run(
        ["git", "log", "-1", "--name-only", "--format=%s"], cwd=film_repo, capture_output=True
    ).stdout.decode()
    assert "add image asset mira-ref" in log and "assets/mira-ref.yaml" in log
    assert not [p for p in Project.load(film_repo).all_problems() if p.severity == "error"]


def test_a_sound_records_its_length_and_volume(film_repo: Path, tmp_path: Path) -> None:
    sound = tone(tmp_path / "rain.m4a", seconds=2.0)
    code, out = run(
        film_repo, "add-asset", "rain2", str(sound), "--type", "audio", "--volume", "0.5"
    )
    assert code == 0, out
    data = yaml.safe_load((film_repo / "assets/rain2.yaml").read_text())
    assert data["volume"] == 0.5 and abs(data["duration"] - 2.0) < 0.1


def test_the_wrong_kind_is_refused_and_nothing_is_written(film_repo: Path, tmp_path: Path) -> None:
    sound = tone(tmp_path / "rain.m4a")
    image = still(tmp_path / "x.png", "blue")
    code, out = run(film_repo, "add-asset", "pic", str(sound), "--type", "image")
    assert code == 1 and "not an image" in out
    code, out = run(film_repo, "add-asset", "snd", str(image), "--type", "audio")
    assert code == 1 and "has no audio stream" in out
    code, out = run(film_repo, "add-asset", "Bad ID", str(image), "--type", "image")
    assert code == 1 and "refusing to write an invalid asset" in out
    code, out = run(film_repo, "add-asset", "rain-ambience", str(image), "--type", "image")
    assert code == 1 and "assets/rain-ambience.yaml already exists" in out
    assert not (film_repo / "assets/pic.yaml").exists()
    assert not (film_repo / "assets/snd.yaml").exists()


def test_adding_the_missing_reference_repairs_the_film(film_repo: Path, tmp_path: Path) -> None:
    character = film_repo / "characters/mira.yaml"
    text = character.read_text()
    character.write_text(text + "references: [mira-face]\n")
    errors = [p.message for p in Project.load(film_repo).all_problems()]
    assert any("'mira-face' does not exist" in m for m in errors)
    image = still(tmp_path / "face.png", "green")
    code, out = run(film_repo, "add-asset", "mira-face", str(image), "--type", "image")
    assert code == 0, out
    assert not [p for p in Project.load(film_repo).all_problems() if p.severity == "error"]


def _take_with_colours(film: Path, tmp_path: Path) -> None:
    video = two_colour_video(tmp_path / "rb.mp4", "red", "blue")
    code, out = run(film, "add-take", "01A", str(video))
    assert code == 0, out


def test_frames_come_from_the_right_end_of_the_take(film_repo: Path, tmp_path: Path) -> None:
    _take_with_colours(film_repo, tmp_path)
    for at, colour in (("first", 0), ("last", 2), ("1.5", 2), ("0.5", 0)):
        code, out = run(film_repo, "frame", "01A", "--at", at, "--id", f"f-{at.replace('.', '-')}")
        assert code == 0, out
        data = yaml.safe_load((film_repo / f"assets/f-{at.replace('.', '-')}.yaml").read_text())
        assert data["frame_of"]["shot"] == "01A" and data["frame_of"]["at"] == at
        obj = film_repo / ".filmfs/objects" / data["sha256"][:2] / data["sha256"][2:]
        rgb = mean_rgb(obj, tmp_path)
        assert rgb[colour] > 200 and sum(rgb) - rgb[colour] < 80, (at, rgb)


def test_a_frame_is_lineage_in_the_graph(film_repo: Path, tmp_path: Path) -> None:
    from filmfs.graph.build import build_graph

    _take_with_colours(film_repo, tmp_path)
    code, out = run(film_repo, "frame", "01A", "--at", "last")
    assert code == 0, out
    assert "01a-take1-last" in out
    graph = build_graph(Project.load(film_repo))
    image = graph.find("image", "01a-take1-last")
    assert image is not None
    (source,) = graph.children(image.id, "derived_from")
    take = Project.load(film_repo).shots["01A"].selected_take
    assert take is not None and take.video is not None
    assert source.type == "video" and source.key == take.video.sha256


def test_frame_errors_are_clear(film_repo: Path, tmp_path: Path) -> None:
    code, out = run(film_repo, "frame", "01A", "--at", "last")
    assert code == 1 and "01A has no selected take" in out
    _take_with_colours(film_repo, tmp_path)
    code, out = run(film_repo, "frame", "01A", "--at", "99")
    assert code == 1 and "outside the take" in out
    code, out = run(film_repo, "frame", "01A", "--at", "soon")
    assert code == 1 and "--at must be first, last or a number" in out
    code, out = run(film_repo, "frame", "01A", "--take", "7")
    assert code == 1 and "no take 7 (takes: 1)" in out


def test_relative_file_urls_are_valid_and_stay_inside(film_repo: Path) -> None:
    asset = film_repo / "assets/storyboard.yaml"
    asset.write_text("id: storyboard\ntype: image\nname: board\nurl: file:boards/one.png\n")
    assert not [p for p in Project.load(film_repo).all_problems() if p.severity == "error"]
    asset.write_text("id: storyboard\ntype: image\nname: board\nurl: file:../../etc/passwd\n")
    messages = [p.message for p in Project.load(film_repo).all_problems()]
    assert any("outside the film directory" in m for m in messages)


def test_add_asset_in_a_real_process(film_repo: Path, tmp_path: Path) -> None:
    image = still(tmp_path / "a.png", "white")
    proc = subprocess.run(
        [sys.executable, "-m", "filmfs", "add-asset", "white", str(image), "--type", "image"],
        cwd=film_repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "white: image, 64x36 png" in proc.stdout
