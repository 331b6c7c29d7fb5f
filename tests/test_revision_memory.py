"""Reading a revision in memory: the same film as on disk, nothing written, symlinks resolved
in memory (and refused when they leave the film), as the disk would resolve them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from filmfs import vcs
from filmfs.diff.revisions import revision_tree
from filmfs.manifests.tree import MemoryTree
from filmfs.project import Project
from tests.conftest import copy_example


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def _committed(tmp_path: Path) -> Path:
    film = tmp_path / "film"
    copy_example(film, schemas=False)  # as Git tracks it, whatever "Try it" left
    (tmp_path / "elsewhere.yaml").write_text("scene_number: 3\nheading: X\nsetting: y\n")
    (film / "scenes" / "03.yaml").symlink_to("../../elsewhere.yaml")  # leaves the film
    (film / "characters" / "twin.yaml").symlink_to("mira.yaml")  # stays inside
    _git(film, "init", "-q")
    _git(film, "add", "-A")
    _git(film, "commit", "-q", "-m", "base")
    return film


def test_a_revision_loads_as_the_disk_does(tmp_path: Path) -> None:
    film = _committed(tmp_path)
    sha = vcs.resolve_revision(film, "HEAD")
    before = set(tmp_path.rglob("*"))
    memory = Project.from_tree(revision_tree(film, sha))
    # Reading the revision wrote nothing but the film's cache of blobs (never from the commit).
    cache = film / ".filmfs" / "cache"
    assert set(tmp_path.rglob("*")) - before == {cache.parent, cache, *cache.iterdir()}
    assert (cache / "blobs-v1.msgpack").is_file()
    disk = Project.load(film)  # (loading the disk may write its manifest cache)
    assert list(memory.shots) == list(disk.shots)
    assert memory.characters.keys() == disk.characters.keys()
    assert sorted(map(str, memory.all_problems())) == sorted(map(str, disk.all_problems()))
    assert any("symlink points outside the film" in p.message for p in memory.problems)
    assert 3 not in memory.scenes


def test_revision_files_yields_paths_and_bytes(tmp_path: Path) -> None:
    film = _committed(tmp_path)
    found = dict(vcs.revision_files(film, vcs.resolve_revision(film, "HEAD")))
    assert found["film.yaml"] == (film / "film.yaml").read_bytes()
    assert "scenes/03.yaml" not in found  # a symlink, not a file
    assert not any(path.startswith(".") for path in found)


def test_memory_tree_resolves_links_and_refuses_escapes() -> None:
    root = Path("/film")
    tree = MemoryTree(
        root,
        {"a/real.yaml": b"x: 1\n"},
        {"b": "a", "loop": "loop", "up": "../etc", "abs": "/etc/passwd", "a/deep": "../b"},
    )
    assert tree.kind(root / "b" / "real.yaml") == "file"
    assert tree.kind(root / "a" / "deep" / "real.yaml") == "file"
    assert tree.kind(root / "loop") is None
    assert tree.contains(root / "b") and not tree.contains(root / "up")
    assert not tree.contains(root / "abs")
    assert tree.read(root / "b" / "real.yaml", "b/real.yaml") == "x: 1\n"
