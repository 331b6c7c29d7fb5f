from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from filmfs.commands.gc import gc
from filmfs.project import Project
from filmfs.store.refs import workspace_references
from tests.remotes.film import commit_all, git, make_film, put, run, sha, store, write_take

TAKE_ONE = sha(b"take one " * 1000)
TAKE_TWO = sha(b"take two " * 2000)


def objects(root: Path) -> set[str]:
    return {obj.sha256 for obj in store(root).iter_objects()}


def test_gc_dry_run_then_real(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    orphan = put(root, b"an orphan clip" * 10)
    media = store(root)
    media.index_set("conformed", "k1", orphan)  # a cache entry that will dangle
    media.index_set("conformed", "k2", TAKE_ONE)
    probe = media.cache / "probe-v3" / f"{orphan}.json"
    probe.parent.mkdir(parents=True)
    probe.write_text("{}")
    stale = media.tmp / "killed.obj"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))

    dry = run("media", "gc", "--dry-run", "-C", str(root))
    assert dry.exit_code == 0, dry.output
    assert f"would remove {orphan}" in dry.output
    assert "would remove 1 object(s), 140 B; kept 2 (workspace)" in dry.output
    assert objects(root) == {orphan, TAKE_ONE, TAKE_TWO}
    assert stale.exists()

    real = json.loads(run("media", "gc", "--json", "-C", str(root)).output)
    assert real["removed"] == [orphan] and real["bytes"] == 140 and real["kept"] == 2
    assert real["temp_files"] == 1 and real["index_entries"] == 2
    assert objects(root) == {TAKE_ONE, TAKE_TWO}
    assert not stale.exists() and not probe.exists()
    assert media.index_get("conformed", "k1") is None
    assert media.index_get("conformed", "k2") == TAKE_ONE
    if orphan[:2] not in (TAKE_ONE[:2], TAKE_TWO[:2]):
        assert not media.path_of(orphan).parent.exists()  # the emptied fan-out folder went too
    assert run("validate", str(root), "--strict").exit_code == 0


def test_all_commits_keeps_what_an_older_commit_references(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    old = write_take(root, "01A", 3, b"first try")
    commit_all(root, "take 3")
    new = write_take(root, "01A", 3, b"second try")
    commit_all(root, "take 3 redone")
    draft = write_take(root, "01A", 4, b"not committed yet")
    project = Project.load(root)

    kept = gc(project, scope="all-commits", dry_run=True)
    assert kept.removed == [] and kept.kept == 5
    workspace = gc(project, scope="workspace", dry_run=True)
    assert workspace.removed == [old]

    result = run("media", "gc", "--scope", "all-commits", "-C", str(root))
    assert result.exit_code == 0, result.output
    assert objects(root) == {TAKE_ONE, TAKE_TWO, old, new, draft}
    gc(project, scope="workspace")
    assert objects(root) == {TAKE_ONE, TAKE_TWO, new, draft}


def test_gc_keeps_derived_from_sources(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    source = put(root, b"the raw clip")
    take = root / "shots" / "01A" / "takes" / "001.yaml"
    take.write_text(
        take.read_text().replace(
            "  format: mp4\n", f"  format: mp4\n  derived_from:\n  - {source}\n"
        )
    )
    refs = [r for r in workspace_references(Project.load(root)) if r.sha256 == source]
    assert [(r.file, r.field, r.provenance) for r in refs] == [
        ("shots/01A/takes/001.yaml", "video.derived_from", True)
    ]
    assert gc(Project.load(root)).removed == []


def test_fsck_quarantines_a_corrupt_object(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    clean = run("media", "fsck", "-C", str(root))
    assert clean.exit_code == 0, clean.output
    assert "2 object(s) checked, 26.4 KiB: ok" in clean.output

    path = store(root).path_of(TAKE_TWO)
    os.chmod(path, 0o644)
    path.write_bytes(b"bit rot")
    result = run("media", "fsck", "-C", str(root))
    assert result.exit_code == 1
    assert f"corrupt {TAKE_TWO} (hashes to {sha(b'bit rot')[:12]})" in result.output
    quarantined = root / ".filmfs" / "quarantine" / TAKE_TWO
    assert quarantined.read_bytes() == b"bit rot"
    assert not path.exists()
    assert objects(root) == {TAKE_ONE}
    assert (root / ".filmfs" / "quarantine" / ".gitignore").read_text() == "*\n"
    assert "quarantine" not in run("media", "status", "-C", str(root)).output
    status = json.loads(run("media", "status", "--json", "-C", str(root)).output)
    assert status["counts"]["missing everywhere"] == 1
    assert run("media", "fsck", "-C", str(root)).exit_code == 0
    assert "quarantine" not in git(root, "status", "--porcelain", "--untracked-files=all")


def test_gc_refuses_when_a_manifest_does_not_parse(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    orphan = put(root, b"orphan")
    take = root / "shots" / "01A" / "takes" / "002.yaml"
    take.write_text(take.read_text() + "  oops: [unclosed\n")
    result = run("media", "gc", "-C", str(root))
    assert result.exit_code == 1
    assert "shots/01A/takes/002.yaml" in result.output and "nothing was deleted" in result.output
    assert objects(root) == {orphan, TAKE_ONE, TAKE_TWO}


def test_gc_keeps_media_of_a_manifest_in_an_odd_place(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    kept = put(root, b"kept by a stray manifest")
    (root / "notes").mkdir()
    (root / "notes" / "extra.yaml").write_text(f"clip:\n  sha256: {kept}\n")
    assert gc(Project.load(root)).removed == []


def test_all_commits_needs_a_repository(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    shutil.rmtree(root / ".git")
    result = run("media", "gc", "--scope", "all-commits", "-C", str(root))
    assert result.exit_code == 1
    assert "not in a Git repository" in result.output
