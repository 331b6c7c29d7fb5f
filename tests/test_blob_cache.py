"""The cache of a revision's files by blob id: a blob known is never read again, and nothing
else (another filmfs, other schemas, a cache Git tracks) is trusted."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from filmfs import vcs
from filmfs.diff.revisions import revision_tree
from filmfs.manifests import blobs, schema
from filmfs.manifests import cache as manifest_cache
from filmfs.project import Project
from tests.conftest import copy_example


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture
def film(tmp_path: Path) -> Path:
    film = copy_example(tmp_path / "film")
    (film / ".gitignore").write_text(".filmfs/\n")
    _git(film, "init", "-q")
    _git(film, "add", "-A")
    _git(film, "commit", "-q", "-m", "base")
    return film


def _load(film: Path, rev: str = "HEAD") -> Project:
    return Project.from_tree(revision_tree(film, vcs.resolve_revision(film, rev)))


def _fresh(project: Project) -> set[str]:
    return {path.relative_to(project.root).as_posix() for path in project.fresh}


def _problems(project: Project) -> list[str]:
    return sorted(map(str, project.all_problems()))


def test_a_revision_loaded_again_reads_no_blob(film: Path) -> None:
    first = _load(film)
    assert len(_fresh(first)) > 10
    again = _load(film)
    assert _fresh(again) == set()
    assert _problems(again) == _problems(first)
    assert list(again.shots) == list(first.shots)


def test_only_the_changed_file_of_a_new_commit_is_read(film: Path) -> None:
    _load(film)
    shot = film / "shots/01A/shot.yaml"
    shot.write_text(shot.read_text().replace("status:", "bogus: 1\nstatus:", 1))
    _git(film, "commit", "-q", "-am", "edit")
    after = _load(film)
    assert _fresh(after) == {"shots/01A/shot.yaml"}
    assert any("unknown field 'bogus'" in p for p in _problems(after))
    assert _fresh(_load(film, "HEAD~1")) == set()  # both revisions' blobs are kept


def test_a_problem_of_a_cached_blob_points_into_the_revision_text(film: Path) -> None:
    shot = film / "shots/01A/shot.yaml"
    shot.write_text(shot.read_text().replace("status:", "bogus: 1\nstatus:", 1))
    _git(film, "commit", "-q", "-am", "edit")
    line = next(i for i, t in enumerate(shot.read_text().splitlines(), 1) if "bogus" in t)
    _load(film)
    shot.write_text("\n\n\n" + shot.read_text())  # the disk differs from the commit
    problem = next(p for p in _load(film).all_problems() if "bogus" in p.message)
    assert problem.line == line


def test_another_filmfs_or_other_schemas_read_everything(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(film)
    monkeypatch.setattr(manifest_cache, "filmfs_version", lambda: "99.0.0")
    assert len(_fresh(_load(film))) > 10
    monkeypatch.setattr(schema, "fingerprint", lambda: "other schemas")
    assert len(_fresh(_load(film))) > 10


def test_a_blob_is_checked_as_the_kind_of_file_it_is(film: Path) -> None:
    # The same bytes as a scene and as a character are two checks, not one.
    scene = (film / "scenes/01.yaml").read_bytes()
    (film / "characters/odd.yaml").write_bytes(scene)
    _git(film, "add", "-A")
    _git(film, "commit", "-q", "-m", "odd")
    project = _load(film)
    problems = _problems(project)
    assert any(
        p.startswith("characters/odd.yaml") or "/characters/odd.yaml:" in p for p in problems
    )
    assert not any("scenes/01.yaml" in p for p in problems)
    assert 1 in project.scenes and "odd" not in project.characters


def test_a_cache_tracked_by_git_or_corrupt_is_not_trusted(film: Path) -> None:
    _load(film)
    path = blobs.blobs_path(film)
    path.write_bytes(b"\x92\xa1not a cache")
    assert len(_fresh(_load(film))) > 10
    _git(film, "add", "-f", str(path))
    assert len(_fresh(_load(film))) > 10
