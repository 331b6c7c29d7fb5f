"""The kept validate report: answered only while nothing it was made from has changed.

Each test validates once (the report is kept), changes one thing a report depends on, and
checks that the next validate is not answered from the kept report and shows the change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from filmfs.commands import checks
from filmfs.commands.validate import KEPT, kept_key, validate
from filmfs.manifests import cache as manifest_cache
from filmfs.manifests import results, schema
from filmfs.manifests.problems import Report
from filmfs.store.objects import MediaStore
from tests.conftest import swap_scenes, write_take

TAKE = Path("shots/01C/takes/001.yaml")


@pytest.fixture
def film(film_with_takes: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example film with takes, validated once; files count as settled once written."""
    monkeypatch.setattr(manifest_cache, "RACY_NS", 0)
    monkeypatch.setattr(results, "RACY_NS", 0)
    validate(film_with_takes)  # makes .filmfs/cache/, which changes the film's folder
    _tick()
    validate(film_with_takes)
    assert _kept(film_with_takes)
    _tick()
    return film_with_takes


def _tick() -> None:
    # File times come from the kernel's coarse clock (a few ms): let it move on.
    time.sleep(0.03)


def _kept(film: Path, *, check_media: bool = True) -> bool:
    key = kept_key(film, check_media=check_media)
    name = KEPT if check_media else f"{KEPT}-no-media"
    return results.recall(film, name, key) is not None


def _fresh(film: Path) -> Report:
    return checks.check_film(film, check_media=True, fix_modelines=False, watch=results.Watch())


def _messages(report: Report) -> list[str]:
    return [str(p) for p in report.problems]


def _stale_then(film: Path) -> list[str]:
    """After a change: not answered from the kept report; the report then equals a fresh one."""
    assert not _kept(film)
    report = validate(film)
    assert report == _fresh(film)
    return _messages(report)


def test_an_unchanged_film_is_answered_with_the_same_report(film: Path) -> None:
    kept = validate(film)
    assert _kept(film)
    assert kept == _fresh(film)
    assert kept.problems and kept.files > 10  # a report with warnings and an error in it


def test_an_edit_is_seen(film: Path) -> None:
    path = film / TAKE
    path.write_text(path.read_text().replace("attempt_number: 1", "attempt_number: 1\nbogus: 1"))
    assert any("unknown field 'bogus'" in m for m in _stale_then(film))


def test_a_touch_is_seen_and_the_report_kept_again(film: Path) -> None:
    os.utime(film / TAKE)
    _stale_then(film)
    assert _kept(film)


def test_a_same_size_rewrite_with_the_old_mtime_is_seen(film: Path) -> None:
    path = film / TAKE
    before = path.stat()
    text = path.read_text()
    edited = text.replace("selected: true", "selected: 1234")
    assert len(edited) == len(text) and edited != text
    with path.open("r+") as handle:  # in place: same inode, same size
        handle.write(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert any("selected must be true or false" in m for m in _stale_then(film))


def test_a_rename_is_seen(film: Path) -> None:
    (film / TAKE).rename(film / TAKE.with_name("007.yaml"))
    assert any("does not match the file name 007.yaml" in m for m in _stale_then(film))


def test_a_swap_of_two_files_is_seen(film: Path) -> None:
    swap_scenes(film)
    assert any("scenes/01.yaml" in m and "scene_number 2" in m for m in _stale_then(film))


def test_a_deleted_file_is_seen(film: Path) -> None:
    before = validate(film).files
    (film / TAKE).unlink()
    _stale_then(film)
    assert validate(film).files == before - 1


def test_a_new_file_is_seen(film: Path) -> None:
    (film / "shots/01C/takes/extra.yaml").write_text("attempt_number: 2\n")
    assert any("take files are named NNN.yaml" in m for m in _stale_then(film))


def test_a_new_shot_folder_and_a_new_takes_folder_are_seen(film: Path) -> None:
    (film / "shots/09Z").mkdir()
    assert any("09Z:1:1: shot folder has no shot.yaml" in m for m in _stale_then(film))
    shutil.rmtree(film / "shots/02A/takes")
    _tick()
    validate(film)
    _tick()
    write_take(film, "02A", 1, score=5)
    write_take(film, "02A", 4, score=5)
    assert any("02A" in m and "004.yaml" in m for m in _stale_then(film))


def test_a_shot_yaml_that_appears_is_seen(film: Path) -> None:
    shot = film / "shots/01C/shot.yaml"
    text = shot.read_text()
    shot.unlink()
    assert any("01C:1:1: shot folder has no shot.yaml" in m for m in _stale_then(film))
    _tick()
    shot.write_text(text)
    assert not any("shot folder has no shot.yaml" in m for m in _stale_then(film))


def test_a_filmfs_upgrade_is_not_answered(film: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "code_fingerprint", lambda: "filmfs 99.0, other code")
    _stale_then(film)


def test_a_schema_change_is_not_answered(film: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "fingerprint", lambda: "another set of schemas")
    _stale_then(film)


def test_an_object_added_to_or_removed_from_the_store_is_seen(film: Path) -> None:
    missing = [m for m in _messages(validate(film)) if "not in the local media store" in m]
    assert missing
    shas = [line.split("sha256:")[1].split()[0] for line in (film / TAKE).read_text().splitlines()
            if "sha256:" in line]  # fmt: skip
    store = MediaStore(film / ".filmfs")
    obj = store.path_of(shas[0])
    obj.parent.mkdir(parents=True, exist_ok=True)
    obj.write_bytes(b"video")
    after = [m for m in _stale_then(film) if "not in the local media store" in m]
    assert len(after) == len(missing) - 1
    _tick()
    obj.unlink()
    after = [m for m in _stale_then(film) if "not in the local media store" in m]
    assert len(after) == len(missing)


def test_a_config_change_is_seen(film: Path) -> None:
    (film / ".filmfs").mkdir(exist_ok=True)
    validate(film)
    _tick()
    (film / ".filmfs/config.yaml").write_text("remotes: [1, 2]\n")
    assert any("config.yaml" in m for m in _stale_then(film))


def test_a_file_git_starts_tracking_is_seen(film: Path) -> None:
    subprocess.run(["git", "init", "-q", str(film)], check=True)
    store = film / ".filmfs" / "objects" / "ab"
    store.mkdir(parents=True)
    (store / "cd").write_bytes(b"x")
    validate(film)
    _tick()
    validate(film)
    assert _kept(film)
    subprocess.run(["git", "-C", str(film), "add", "-f", ".filmfs/objects/ab/cd"], check=True)
    assert any("tracked by Git" in m for m in _stale_then(film))


def test_a_schema_file_a_modeline_names_going_away_is_seen(film: Path) -> None:
    assert not any("yaml-language-server" in m for m in _messages(validate(film)))
    shutil.rmtree(film.parent / "schemas")
    assert any("yaml-language-server" in m for m in _stale_then(film))


def test_another_working_directory_is_not_answered(
    film: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(film)
    report = validate(Path("."))
    assert report.problems[0].path.startswith("shots/") or report.problems[0].path == "film.yaml"
    monkeypatch.chdir(tmp_path)
    assert validate(Path("film")).problems[0].path.startswith("film/")


def test_media_checked_or_not_are_kept_apart(film: Path) -> None:
    without = validate(film, check_media=False)
    assert not any("media store" in m for m in _messages(without))
    assert any("media store" in m for m in _messages(validate(film)))
    assert _kept(film, check_media=False) and _kept(film)


def test_a_film_with_a_symlink_is_never_answered(film: Path) -> None:
    shot = film / "shots/01C/shot.yaml"
    real = film / "shots/01C/real-shot.txt"
    shot.rename(real)
    shot.symlink_to(real.name)
    validate(film)
    _tick()
    validate(film)
    assert not _kept(film)  # the link's target could change without the link changing


def test_a_file_written_just_now_keeps_nothing(film: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "RACY_NS", 60 * 10**9)
    os.utime(film / TAKE)
    validate(film)
    assert not _kept(film)


def test_a_corrupt_or_tracked_kept_report_is_not_trusted(film: Path) -> None:
    path = results.result_path(film, KEPT)
    path.write_bytes(b"\x97\xa1not a report")
    assert not _kept(film)
    assert validate(film) == _fresh(film)
    assert _kept(film)
    subprocess.run(["git", "init", "-q", str(film)], check=True)
    subprocess.run(["git", "-C", str(film), "add", "-f", str(path)], check=True)
    assert not _kept(film)


def test_a_planted_report_is_not_answered_for_another_film(film: Path, tmp_path: Path) -> None:
    # A report claims the paths it was made from: copied into another film, they differ.
    other = tmp_path / "other"
    shutil.copytree(film, other, symlinks=True)
    assert not _kept(other)


def test_a_symlinked_store_is_never_answered(film: Path) -> None:
    real = film / "store-real"
    (film / ".filmfs").rename(real)
    (film / ".filmfs").symlink_to(real.name)
    validate(film)
    _tick()
    validate(film)
    assert not _kept(film)  # where .filmfs leads can change without the link changing
