"""The persistent manifest cache: every way it could go stale, and every reason to distrust it."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from filmfs.manifests import batch, schema
from filmfs.manifests import cache as manifest_cache
from filmfs.project import Project
from tests.conftest import CASES, swap_scenes

TAKE = Path("shots/01C/takes/001.yaml")


@pytest.fixture
def film(film_with_takes: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example film, its cache written once; files count as settled as soon as written."""
    monkeypatch.setattr(manifest_cache, "RACY_NS", 0)
    Project.load(film_with_takes)
    _tick()
    return film_with_takes


def _tick() -> None:
    # File times come from the kernel's coarse clock (a few ms): let it move on between a
    # load and the edit that follows, as it always has between a person's save and a rerun.
    time.sleep(0.03)


def _fresh(film: Path) -> set[str]:
    project = Project.load(film)
    return {path.relative_to(project.root).as_posix() for path in project.fresh}


def _problems(film: Path) -> list[str]:
    return [str(p) for p in Project.load(film).all_problems()]


def test_an_unchanged_film_reads_no_manifest(film: Path) -> None:
    assert _fresh(film) == set()
    assert manifest_cache.cache_path(film).is_file()


def test_cached_load_equals_a_fresh_one(film: Path) -> None:
    cached = Project.load(film)
    manifest_cache.cache_path(film).unlink()
    fresh = Project.load(film)
    assert not cached.fresh and fresh.fresh
    assert cached.shots == fresh.shots and cached.film == fresh.film
    assert {p: d.data for p, d in cached.documents.items()} == {
        p: d.data for p, d in fresh.documents.items()
    }
    assert cached.all_problems() == fresh.all_problems()


def test_edit_is_seen(film: Path) -> None:
    path = film / TAKE
    path.write_text(path.read_text().replace("attempt_number: 1", "attempt_number: 1\nbogus: 1"))
    assert _fresh(film) == {TAKE.as_posix()}
    assert any("unknown field 'bogus'" in p for p in _problems(film))


def test_touch_reads_the_file_again(film: Path) -> None:
    os.utime(film / TAKE)
    assert _fresh(film) == {TAKE.as_posix()}
    assert _fresh(film) == set()


def test_same_size_rewrite_with_the_old_mtime_is_seen(film: Path) -> None:
    path = film / TAKE
    before = path.stat()
    text = path.read_text()
    assert "selected: true" in text
    edited = text.replace("selected: true", "selected: 1234")  # same length, now invalid
    assert len(edited) == len(text)
    with path.open("r+") as handle:  # in place: same inode
        handle.write(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert _fresh(film) == {TAKE.as_posix()}
    assert any("selected must be true or false" in p for p in _problems(film))


def test_renames_and_swaps_are_seen(film: Path) -> None:
    swap_scenes(film)
    assert _fresh(film) == {"scenes/01.yaml", "scenes/02.yaml"}
    problems = _problems(film)
    assert any("scenes/01.yaml" in p and "scene_number 2" in p for p in problems)


def test_a_deleted_file_is_gone_and_leaves_the_cache(film: Path) -> None:
    (film / TAKE).unlink()
    project = Project.load(film)
    assert not project.fresh
    assert project.root / TAKE not in project.documents
    assert not project.shots["01C"].takes
    cached = manifest_cache.ManifestCache.open(film.resolve())
    assert TAKE.as_posix() not in cached.entries and cached.entries


def test_another_filmfs_version_reads_everything(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manifest_cache, "filmfs_version", lambda: "99.0.0")
    assert len(_fresh(film)) > 10
    assert _fresh(film) == set()  # and the new version's cache is written


def test_a_schema_change_reads_everything(film: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "fingerprint", lambda: "another set of schemas")
    assert len(_fresh(film)) > 10


def test_a_change_to_the_checking_code_reads_everything(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manifest_cache, "_code", lambda: "a loader that reads YAML 1.2")
    assert len(_fresh(film)) > 10


def test_the_stamp_names_version_code_and_schemas() -> None:
    stamp = manifest_cache.stamp()
    assert manifest_cache.filmfs_version() in stamp
    assert schema.fingerprint() in stamp and len(schema.fingerprint()) == 64


def test_problems_of_a_file_come_back_from_the_cache(film: Path) -> None:
    path = film / TAKE
    path.write_text(path.read_text().replace("selected: true", "selected: maybe"))
    first = _problems(film)
    _tick()
    assert _fresh(film) == set()
    assert _problems(film) == first
    assert any(f"{TAKE.as_posix()}:" in p and "selected" in p for p in first)


def test_a_file_written_just_now_is_not_trusted(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every file of the fixture was written within the last minute: none may be trusted yet.
    monkeypatch.setattr(manifest_cache, "RACY_NS", 60 * 10**9)
    manifest_cache.cache_path(film).unlink()
    everything = _fresh(film)
    assert TAKE.as_posix() in everything
    assert _fresh(film) == everything


def test_a_corrupt_cache_is_ignored(film: Path) -> None:
    manifest_cache.cache_path(film).write_bytes(b"\x93\xa1not a cache")
    assert len(_fresh(film)) > 10
    assert _fresh(film) == set()


def test_a_cache_tracked_by_git_is_not_trusted(film: Path) -> None:
    # A film repo is untrusted: a committed cache could claim anything about the files.
    subprocess.run(["git", "init", "-q", str(film)], check=True)
    subprocess.run(
        ["git", "-C", str(film), "add", "-f", ".filmfs/cache/manifests-v1.msgpack"], check=True
    )
    assert len(_fresh(film)) > 10
    assert len(_fresh(film)) > 10


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_a_cache_owned_by_someone_else_is_not_trusted(film: Path) -> None:
    os.chown(manifest_cache.cache_path(film), 4321, 4321)
    assert len(_fresh(film)) > 10


def test_a_symlinked_cache_is_not_followed(film: Path, tmp_path: Path) -> None:
    path = manifest_cache.cache_path(film)
    elsewhere = tmp_path / "elsewhere.msgpack"
    shutil.move(path, elsewhere)
    path.symlink_to(elsewhere)
    assert len(_fresh(film)) > 10


def test_the_cache_ignores_itself_in_git(film: Path) -> None:
    subprocess.run(["git", "init", "-q", str(film)], check=True)
    out = subprocess.run(
        ["git", "-C", str(film), "status", "--porcelain", "--untracked-files=all"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert ".filmfs/cache" not in out


def test_parallel_checks_equal_serial_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every invalid case folder gives the same problems from the process pool."""
    monkeypatch.setattr(manifest_cache, "RACY_NS", 0)
    for case in sorted((CASES / "invalid").iterdir()):
        film = case / "film" if (case / "film").is_dir() else case
        if not (film / "film.yaml").exists():
            continue
        items = [
            (str(p), "take" if "takes" in p.parts else "shot")
            for p in sorted(film.glob("shots/*/**/*.yaml"))
        ]
        if not items:
            continue
        serial = batch.check_files(items, jobs=1)
        parallel = batch.check_files(items, jobs=2, parallel_min=1)
        assert parallel == serial, case.name


def test_the_version_in_the_stamp_is_the_installed_one() -> None:
    # The stamp reads filmfs.version (importlib.metadata costs start-up): it must be the
    # version pip installed, or an upgrade would be answered by the old version's checks.
    assert manifest_cache.filmfs_version() == importlib.metadata.version("filmfs")
