"""The store's primitives for reading out: no symlinks followed, bytes hashed as they go."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from filmfs.errors import StoreError
from filmfs.store.objects import CorruptObject, MediaStore


def _store(tmp_path: Path) -> MediaStore:
    film = tmp_path / "film"
    (film / ".filmfs").mkdir(parents=True)
    return MediaStore(film / ".filmfs")


def test_copy_out_hashes_while_copying(tmp_path: Path) -> None:
    store = _store(tmp_path)
    src = tmp_path / "clip.bin"
    src.write_bytes(b"frames" * 1000)
    sha = store.put_file(src).sha256
    dest = store.copy_out(sha, tmp_path / "out.bin")
    assert dest.read_bytes() == src.read_bytes()
    assert store.verified_path(sha) == store.path_of(sha)


def test_corrupt_bytes_are_never_copied_out(tmp_path: Path) -> None:
    store = _store(tmp_path)
    sha = hashlib.sha256(b"the real bytes").hexdigest()
    store.path_of(sha).parent.mkdir(parents=True)
    store.path_of(sha).write_bytes(b"other bytes")
    dest = tmp_path / "out.bin"
    dest.write_bytes(b"kept")
    with pytest.raises(CorruptObject, match="corrupt"):
        store.copy_out(sha, dest)
    assert dest.read_bytes() == b"kept"
    assert not list(tmp_path.glob(".out.bin*"))
    with pytest.raises(CorruptObject):
        store.verified_path(sha)


@pytest.mark.parametrize("level", ["object", "folder"])
def test_symlinks_in_the_store_are_not_followed(tmp_path: Path, level: str) -> None:
    store = _store(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"secret")
    sha = hashlib.sha256(b"secret").hexdigest()  # even a matching hash is refused
    if level == "object":
        store.path_of(sha).parent.mkdir(parents=True)
        store.path_of(sha).symlink_to(secret)
    else:
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / sha[2:]).write_bytes(b"secret")
        store.objects.mkdir()
        (store.objects / sha[:2]).symlink_to(elsewhere)
    assert not store.has(sha)
    assert list(store.iter_objects()) == []
    with pytest.raises(StoreError):
        store.copy_out(sha, tmp_path / "out.bin")
    assert not (tmp_path / "out.bin").exists()


def test_a_planted_symlink_is_replaced_by_the_real_object(tmp_path: Path) -> None:
    store = _store(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    src = tmp_path / "clip.bin"
    src.write_bytes(b"clip")
    sha = hashlib.sha256(b"clip").hexdigest()
    store.path_of(sha).parent.mkdir(parents=True)
    store.path_of(sha).symlink_to(victim)
    store.put_file(src)
    assert not store.path_of(sha).is_symlink() and store.path_of(sha).read_bytes() == b"clip"
    assert victim.read_bytes() == b"precious"


@pytest.mark.parametrize("name", ["objects", "tmp", "cache", "locks", ""])
def test_store_folders_must_resolve_inside_the_film(tmp_path: Path, name: str) -> None:
    film = tmp_path / "film"
    film.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    if name:
        (film / ".filmfs").mkdir()
    (film / ".filmfs" / name if name else film / ".filmfs").symlink_to(outside)
    with pytest.raises(StoreError, match="resolves outside the film"):
        MediaStore(film / ".filmfs")


def test_present_answers_as_has_does_for_each_object(tmp_path: Path) -> None:
    """One listing per folder says what has() says of each object: a regular file is there;
    a symlink, a folder, or anything below a symlinked folder is not."""
    store = _store(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(6)]
    regular, link, folder, missing, via_link, _ = shas
    for sha in (regular, link, folder):
        store.path_of(sha).parent.mkdir(parents=True, exist_ok=True)
    store.path_of(regular).write_bytes(b"x")
    (outside / "target").write_bytes(b"x")
    store.path_of(link).symlink_to(outside / "target")
    store.path_of(folder).mkdir()
    linked_folder = store.objects / via_link[:2]
    if not linked_folder.exists():
        linked_folder.symlink_to(outside, target_is_directory=True)
        (outside / via_link[2:]).write_bytes(b"x")
    asked = [*shas, "not-a-sha"]
    assert store.present(asked) == {s for s in shas if store.has(s)} == {regular}
    assert missing not in store.present(asked)
