"""`filmfs add-take SHOT FILE`: a video made elsewhere becomes the next take."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from filmfs import layout
from filmfs.cli import cli
from filmfs.providers.base import GenerationRequest
from filmfs.providers.testcard import render
from filmfs.store.objects import hash_file
from tests.genfilm import PYTHON, small_film, subprocess_env, takes_of


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return small_film(tmp_path / "film")


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    request = GenerationRequest(
        shot_id="EXT",
        attempt_number=1,
        prompt="made in a web app",
        duration=1.5,
        width=256,
        height=144,
        fps=25,
        seed=3,
    )
    path = tmp_path / "from-the-web-app.mp4"
    render(request, path, model="elsewhere")
    return path


def objects(film: Path) -> list[Path]:
    return sorted(p for p in (film / ".filmfs" / "objects").rglob("*") if p.is_file())


def test_real_video_becomes_the_next_take_with_provenance(film: Path, clip: Path) -> None:
    first = CliRunner().invoke(cli, ["generate", "02B", "-C", str(film)])
    assert first.exit_code == 0, first.output
    result = CliRunner().invoke(
        cli,
        [
            "add-take",
            "02B",
            str(clip),
            "--provider",
            "runway-web",
            "--model",
            "gen-4",
            "--seed",
            "99",
            "--cost",
            "0.5",
            "--note",
            "graded by hand",
            "-C",
            str(film),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "02B: take 2: 256x144 25 fps h264, 1.5" in result.output
    take = takes_of(film, "02B")[2]
    assert take["selected"] is False  # take 1 keeps the selection
    assert take["generation_params"] == {
        "provider": "runway-web",
        "model": "gen-4",
        "seed": 99,
        "source": "from-the-web-app.mp4",
    }
    assert take["generation_cost"] == 0.5
    assert take["director_notes"] == "graded by hand"
    video = take["video"]
    assert isinstance(video, dict)
    sha, size = hash_file(clip)
    assert (video["sha256"], video["size"], video["width"], video["fps"]) == (sha, size, 256, 25)
    assert layout.object_path(film, sha).read_bytes() == clip.read_bytes()
    assert clip.is_file()  # the user's file is copied, not moved
    head = git.Repo(film).head.commit
    assert head.message.strip() == "add take 2 to 02B from from-the-web-app.mp4"
    assert set(head.stats.files) == {"shots/02B/takes/002.yaml"}
    assert CliRunner().invoke(cli, ["validate", str(film), "--strict"]).exit_code == 0


def test_first_added_take_is_selected(film: Path, clip: Path) -> None:
    result = CliRunner().invoke(cli, ["add-take", "01C", str(clip), "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output
    assert "01C: take 1 (selected)" in result.output
    assert takes_of(film, "01C")[1]["generation_params"] == {
        "provider": "external",
        "source": "from-the-web-app.mp4",
    }
    untracked = git.Repo(film).untracked_files
    assert [p for p in untracked if p != ".filmfs/.gitignore"] == ["shots/01C/takes/001.yaml"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"just some text, not a video\n"),
        ("clip.mp4", b"<!DOCTYPE html><html><body>Access denied</body></html>"),
        ("empty.mp4", b""),
    ],
)
def test_non_video_is_refused_and_nothing_written(
    film: Path, tmp_path: Path, name: str, content: bytes
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    before = objects(film)
    result = CliRunner().invoke(cli, ["add-take", "01A", str(source), "-C", str(film)])
    assert result.exit_code == 1
    assert f"{source}: not a readable video" in result.output
    assert "Traceback" not in result.output
    assert takes_of(film, "01A") == {}
    assert objects(film) == before
    assert staged(film) == []  # the copy made while it was probed is gone too
    assert not git.Repo(film).is_dirty(untracked_files=True)


def staged(film: Path) -> list[Path]:
    tmp = film / ".filmfs" / "tmp"
    return sorted(tmp.iterdir()) if tmp.is_dir() else []


@pytest.mark.parametrize("how", ["appended", "replaced"])
def test_a_clip_that_changes_while_stored_is_refused(
    film: Path, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The clip is copied in while it is probed (in a child process, see probe_ahead): if it
    is written to or replaced meanwhile (a download still finishing), the probe may describe
    other bytes than the copy's."""
    from filmfs.media import probe

    real_probe = probe.probe
    other = tmp_path / "other.mp4"
    other.write_bytes(clip.read_bytes()[:-100])

    def probe_then_change(path: Path) -> object:
        info = real_probe(path)
        if how == "appended":
            with path.open("ab") as fh:
                fh.write(b"more")
        else:
            other.replace(path)
        return info

    monkeypatch.setattr(probe, "probe", probe_then_change)
    before = objects(film)
    result = CliRunner().invoke(cli, ["add-take", "01A", str(clip), "-C", str(film)])
    assert result.exit_code == 1, result.output
    assert f"cannot store {clip}: it changed while being stored" in result.output
    assert "Traceback" not in result.output
    assert (takes_of(film, "01A"), objects(film), staged(film)) == ({}, before, [])


def test_missing_file_and_unknown_shot(film: Path, clip: Path, tmp_path: Path) -> None:
    gone = CliRunner().invoke(cli, ["add-take", "01A", str(tmp_path / "nope.mp4"), "-C", str(film)])
    assert gone.exit_code == 1
    assert f"{tmp_path / 'nope.mp4'}: no such file" in gone.output
    unknown = CliRunner().invoke(cli, ["add-take", "07X", str(clip), "-C", str(film)])
    assert unknown.exit_code == 1
    assert "no shot '07X' in this film" in unknown.output


def test_as_a_process_it_commits_and_imports_only_what_it_needs(film: Path, clip: Path) -> None:
    """A real run. Its imports: PyAV probes the clip (in a child process forked as the
    command starts, so not in this one) and GitPython commits; nothing else heavy, and no
    filelock where flock is (see filmfs/film/locks.py): every add-take pays for its imports."""
    report = (
        "import atexit, sys; atexit.register(lambda: print('PyAV here:', 'av' in sys.modules,"
        " file=sys.stderr)); from filmfs.cli import main; main()"
    )
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", report, "add-take", "01A", str(clip)],
        cwd=film,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("01A: take 1 (selected): 256x144 25 fps h264")
    assert "committed" in done.stdout
    assert git.Repo(film).head.commit.message.startswith("add take 1 to 01A")
    imported = {  # by both processes
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "av" in imported
    assert "PyAV here: False" in done.stderr
    heavy = ("filelock", "opentimelineio", "httpx", "fsspec", "jsonschema", "ffmpeg", "psycopg")
    assert not {m for m in imported if m.split(".")[0] in heavy}
