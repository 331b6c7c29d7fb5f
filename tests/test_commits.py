"""Commits are films: every commit filmfs makes checks out as a valid film that reproduces what
was made (writing commands commit the manifests they were made from), finished takes are
committed even when the run fails, and a rerun commits takes an earlier run left behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.commands.generate import generate
from filmfs.project import Project
from tests.genfilm import PYTHON, small_film, subprocess_env


def _ok(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _head_is_a_film(film: Path, tmp_path: Path, *, name: str = "head") -> Path:
    """Check out HEAD on its own and validate it (no media: a clone has no store)."""
    clone = tmp_path / name
    git.Repo.clone_from(str(film), str(clone))
    _ok("validate", str(clone), "--no-media")
    return clone


def _manifest_bytes(film: Path) -> dict[str, bytes]:
    return {
        p.relative_to(film).as_posix(): p.read_bytes()
        for p in sorted(film.rglob("*.yaml"))
        if ".filmfs" not in p.parts and ".git" not in p.parts
    }


def test_first_generate_after_init_commits_a_film(tmp_path: Path) -> None:
    film = tmp_path / "film"
    _ok("init", str(film), "--width", "320", "--height", "180", "--fps", "12")
    (film / "scenes" / "01.yaml").write_text("scene_number: 1\nsetting: a harbour\n")
    (film / "shots" / "01A").mkdir()
    (film / "shots" / "01A" / "shot.yaml").write_text(
        "shot_number: 01A\nscene: 1\nprompt: boats at dawn\nduration_target: 1\n"
    )
    out = _ok("generate", "01A", "-C", str(film))
    assert "committed" in out
    head = git.Repo(film).head.commit
    assert {"shots/01A/takes/001.yaml", "shots/01A/shot.yaml", "scenes/01.yaml"} <= set(
        head.stats.files
    )
    assert "with the edits it was made from: scenes/01.yaml, shots/01A/shot.yaml" in head.message
    _head_is_a_film(film, tmp_path)


def test_generate_commits_the_prompt_it_was_made_from(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    shot = film / "shots" / "01B" / "shot.yaml"
    shot.write_text(shot.read_text().replace("prompt: ", "prompt: a new angle, "))
    other = film / "shots" / "02A" / "shot.yaml"
    other.write_text(other.read_text() + "notes: unrelated, unfinished edit\n")
    _ok("generate", "01B", "-C", str(film))
    repo = git.Repo(film)
    assert "a new angle" in repo.git.show("HEAD:shots/01B/shot.yaml")
    # An edit the take does not depend on stays the user's, uncommitted.
    assert [d.a_path for d in repo.index.diff(None)] == ["shots/02A/shot.yaml"]


def test_assemble_commits_the_manifests_its_cut_is_made_from(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    _ok("generate", "01A", "01B", "-C", str(film))
    # Uncommitted edits the cut depends on: a selection and a transition.
    _ok("generate", "01B", "--no-commit", "-C", str(film))
    _ok("select", "01B", "2", "--no-commit", "-C", str(film))
    shot = film / "shots" / "01B" / "shot.yaml"
    shot.write_text(shot.read_text() + "transition_in: {type: crossfade, duration: 0.5}\n")
    _ok("assemble", "--allow-gaps", "-C", str(film))
    repo = git.Repo(film)
    assert not repo.is_dirty() and repo.untracked_files == ["cut.mp4"], repo.git.status()
    head = repo.head.commit
    assert head.message.startswith("assemble: final cut")
    assert "shots/01B/takes/002.yaml" in head.message
    # HEAD alone holds every manifest the cut came from: its plan is the working tree's.
    clone = _head_is_a_film(film, tmp_path)
    assert _manifest_bytes(clone) == _manifest_bytes(film)


def test_finished_takes_are_committed_when_the_run_fails_later(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")

    def interrupted(outcome: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C after the first shot finished

    with pytest.raises(KeyboardInterrupt):
        generate(Project.load(film), shot_ids=["01A", "01B"], jobs=1, on_done=interrupted)
    repo = git.Repo(film)
    assert "shots/01A/takes/001.yaml" in repo.head.commit.stats.files
    assert not repo.untracked_files or all(".filmfs" in p for p in repo.untracked_files)


def test_a_rerun_commits_takes_left_uncommitted(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    _ok("generate", "01A", "--no-commit", "-C", str(film))
    _ok("generate", "01B", "-C", str(film))
    head = git.Repo(film).head.commit
    assert {"shots/01A/takes/001.yaml", "shots/01B/takes/001.yaml"} <= set(head.stats.files)
    assert "01A take 1 (from an earlier run)" in head.message
    _head_is_a_film(film, tmp_path)


def _mount_small(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root): " + done.stderr.decode())


def test_full_disk_while_storing_takes(tmp_path: Path) -> None:
    """A store that fills up mid-run: a clear error (exit 1, not 3), the takes that were
    finished are committed, and a rerun after room is made finishes the rest."""
    film = small_film(tmp_path / "film")
    store = film / ".filmfs"
    _mount_small(store, "160k")  # room for one 320x180 test card take (~100 kB), not two
    try:
        run = subprocess.run(
            [PYTHON, "-m", "filmfs", "generate", "01A", "01B", "01C", "-j", "1", "-C", str(film)],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            check=False,
        )
        assert run.returncode == 1, run.stdout + run.stderr
        output = run.stdout + run.stderr
        assert "Traceback" not in output
        assert "internal error" not in output
        assert "No space left on device" in output
        repo = git.Repo(film)
        assert "shots/01A/takes/001.yaml" in repo.head.commit.stats.files
        assert not (film / "shots" / "01B" / "takes" / "001.yaml").exists()
        subprocess.run(["mount", "-o", "remount,size=20m", str(store)], check=True)
        _ok("generate", "--missing", "-C", str(film))
        assert not repo.is_dirty(untracked_files=True), repo.git.status()
        _ok("validate", str(film), "--strict")
    finally:
        subprocess.run(["umount", "-l", str(store)], check=False)
