"""The film's state on disk and in Git: init's first commit, the store's own .gitignore, the
umask, finding the film from a subfolder, and tests independent of example-film/'s state."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from tests.conftest import CASES, EXAMPLE_FILM, REPO, copy_example, write_take


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(old)


def _ok(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_init_commits_a_skeleton_that_is_a_film(tmp_path: Path) -> None:
    film = tmp_path / "boats"
    out = _ok("init", str(film), "--title", "Boats")
    assert "committed" in out
    repo = git.Repo(film)
    tracked = set(repo.git.ls_files().split("\n"))
    assert {"film.yaml", ".gitignore", ".filmfs/.gitignore"} <= tracked
    assert ".filmfs/schemas/shot.schema.json" in tracked
    assert not repo.is_dirty(untracked_files=True)
    # A clone of that first commit is a film: it validates clean.
    clone = tmp_path / "clone"
    git.Repo.clone_from(str(film), str(clone))
    _ok("validate", str(clone), "--strict")


def test_init_no_commit(tmp_path: Path) -> None:
    film = tmp_path / "boats"
    _ok("init", str(film), "--no-commit")
    assert not git.Repo(film).head.is_valid()


def test_init_inside_a_film_is_refused(tmp_path: Path) -> None:
    film = tmp_path / "boats"
    _ok("init", str(film))
    result = CliRunner().invoke(cli, ["init", str(film / "shots" / "01A")])
    assert result.exit_code == 1
    assert "is inside the film" in result.output
    assert not (film / "shots" / "01A" / "film.yaml").exists()


def test_store_writes_its_own_gitignore(tmp_path: Path) -> None:
    """A film copied out of any repository, with no ignore file at all: the first write into
    .filmfs/ protects the store, so `git add -A` never commits media."""
    film = copy_example(tmp_path / "film")
    assert not (film / ".gitignore").exists() or ".filmfs" not in (film / ".gitignore").read_text()
    _ok("generate", "01A", "--no-commit", "-C", str(film))
    assert (film / ".filmfs" / ".gitignore").is_file()
    repo = git.Repo.init(film)
    repo.git.add("-A")
    staged = repo.git.diff("--cached", "--name-only").split("\n")
    assert not [p for p in staged if p.startswith(".filmfs/") and p != ".filmfs/.gitignore"]
    assert "shots/01A/takes/001.yaml" in staged


def test_project_gitignore_covers_any_films_store() -> None:
    for path in (
        "example-film/.filmfs/objects/ab/cdef",
        "films/boats/.filmfs/objects/ab/cdef",
        ".filmfs/objects/ab/cdef",
        "example-film/.filmfs/tmp/x",
        "example-film/.filmfs/config.local.yaml",
    ):
        done = subprocess.run(
            ["git", "-C", str(REPO), "check-ignore", "-q", "--no-index", path], check=False
        )
        assert done.returncode == 0, f"{path} is not ignored by the project's .gitignore"


def test_manifests_are_written_with_the_umask(tmp_path: Path, umask: None) -> None:
    film = tmp_path / "boats"
    _ok("init", str(film))
    assert (film / "film.yaml").stat().st_mode & 0o777 == 0o664
    films = copy_example(tmp_path / "copy")
    _ok("generate", "01A", "--no-commit", "-C", str(films))
    take = films / "shots" / "01A" / "takes" / "001.yaml"
    assert take.stat().st_mode & 0o777 == 0o664


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--strict", "--no-media"],
        ["status"],
        ["tree"],
        ["show", "01A"],
        ["query", "shots"],
        ["graph"],
    ],
)
def test_commands_find_the_film_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    film = copy_example(tmp_path / "film")
    monkeypatch.chdir(film / "shots" / "01A")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "init" not in result.output


def test_minus_c_accepts_a_subfolder_and_validate_has_it(tmp_path: Path) -> None:
    film = copy_example(tmp_path / "film")
    out = _ok("validate", "-C", str(film / "shots" / "01A"), "--no-media")
    assert "0 error(s)" in out
    write_take(film, "01A", 1, selected=True)
    out = _ok("select", "01A", "1", "--no-commit", "-C", str(film / "scenes"))
    assert "take 1 selected" in out


def test_outside_any_film_init_is_suggested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 1
    assert "run `filmfs init .`" in result.output
    # Following the hint works.
    _ok("init", ".")
    _ok("validate")


def test_the_api_inside_a_film_never_suggests_init(tmp_path: Path) -> None:
    import filmfs
    from filmfs.errors import NotAFilmError

    film = copy_example(tmp_path / "film")
    with pytest.raises(NotAFilmError) as caught:
        filmfs.open(film / "shots")
    assert "init" not in str(caught.value)
    assert "-C" in str(caught.value)


def test_tests_copy_only_what_git_tracks(tmp_path: Path) -> None:
    """The README's "Try it" writes takes, a store and a final_edit into example-film/; the
    tests' copy holds none of that, so "Try it" then "Run the tests" passes."""
    copy = copy_example(tmp_path / "film")
    assert not (copy / ".filmfs").exists()
    assert not list(copy.glob("shots/*/takes"))
    assert not list(copy.glob("*.mp4"))
    staged = subprocess.run(
        ["git", "-C", str(REPO), "show", f":{EXAMPLE_FILM.name}/film.yaml"],
        capture_output=True,
        check=True,
    ).stdout
    assert (copy / "film.yaml").read_bytes() == staged
    assert "final_edit" not in (copy / "film.yaml").read_text()
    shutil.rmtree(copy)


def test_final_edit_cut_from_a_deleted_take_is_reported(tmp_path: Path) -> None:
    film = tmp_path / "film"
    shutil.copytree(CASES / "valid" / "takes-selected", film)
    cut = "c" * 64
    source = "b" * 64  # take 2's video
    (film / "film.yaml").write_text(
        (film / "film.yaml").read_text()
        + "final_edit:\n"
        + f"  sha256: '{cut}'\n  size: 10\n  duration: 3\n  width: 640\n  height: 360\n"
        + f"  fps: 24\n  codec: h264\n  format: mp4\n  derived_from: ['{source}']\n"
    )
    ok = _ok("validate", str(film), "--no-media", "--strict")
    assert "0 warning(s)" in ok
    (film / "shots" / "01A" / "takes" / "002.yaml").unlink()
    stale = CliRunner().invoke(cli, ["validate", str(film), "--no-media", "--strict"])
    assert stale.exit_code == 1
    assert "final_edit was cut from video bbbbbbbbbbbb, which no take of the film has" in (
        stale.output
    )
    assert "cut again with `filmfs assemble`" in stale.output
