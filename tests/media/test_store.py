from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from filmfs.errors import StoreError
from filmfs.store.objects import MediaStore, hash_file, hash_own_file, is_sha256
from filmfs.store.stamps import Verifying


def test_put_file_layout_readonly_and_idempotent(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    src = tmp_path / "a.bin"
    src.write_bytes(b"take one" * 100_000)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()

    obj = store.put_file(src)
    assert obj.sha256 == sha and obj.size == 800_000
    assert obj.path == tmp_path / ".filmfs" / "objects" / sha[:2] / sha[2:]
    assert obj.path.read_bytes() == src.read_bytes()
    assert not os.access(obj.path, os.W_OK) or os.geteuid() == 0
    assert obj.path.stat().st_mode & 0o222 == 0
    mtime = obj.path.stat().st_mtime_ns

    again = store.put_file(src)
    assert again == obj and obj.path.stat().st_mtime_ns == mtime  # not rewritten
    assert src.exists()
    assert list(store.tmp.iterdir()) == []
    assert [o.sha256 for o in store.iter_objects()] == [sha]


def test_put_file_move_consumes_source(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    with store.temp_path(".mp4") as tmp:
        tmp.write_bytes(b"rendered")
        obj = store.put_file(tmp, move=True)
        assert not tmp.exists()
    assert store.has(obj.sha256) and store.verify(obj.sha256)
    assert list(store.tmp.iterdir()) == []


def test_temp_path_cleaned_up_on_error(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    with pytest.raises(RuntimeError), store.temp_path(".mp4") as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("killed")
    assert list(store.tmp.iterdir()) == []
    assert list(store.iter_objects()) == []


def test_verify_detects_corruption(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    src = tmp_path / "a.bin"
    src.write_bytes(b"abc")
    obj = store.put_file(src)
    assert store.verify(obj.sha256)
    obj.path.chmod(0o644)
    obj.path.write_bytes(b"abd")
    assert not store.verify(obj.sha256)
    assert not store.verify("0" * 64)


def test_require_missing_says_how_to_get_it(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    with pytest.raises(StoreError) as info:
        store.require("ab" * 32)
    assert "missing" in str(info.value) and "filmfs pull" in str(info.value)


@pytest.mark.parametrize("bad", ["", "AB" * 32, "ab" * 31, "g" * 64, "../" + "a" * 61])
def test_sha_validation(tmp_path: Path, bad: str) -> None:
    assert not is_sha256(bad)
    with pytest.raises(StoreError):
        MediaStore(tmp_path).path_of(bad)


def test_index_points_only_at_present_objects(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    src = tmp_path / "a.bin"
    src.write_bytes(b"abc")
    obj = store.put_file(src)
    store.index_set("conformed", "k1", obj.sha256)
    assert store.index_get("conformed", "k1") == obj.sha256
    assert store.index_get("conformed", "k2") is None
    store.index_set("conformed", "k3", "cd" * 32)
    assert store.index_get("conformed", "k3") is None


def test_kill_during_put_never_leaves_a_half_object(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    root = tmp_path / ".filmfs"
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(1 << 20) * 48)  # 48 MiB: slow enough to be killed mid-copy
    code = (
        "import sys; from pathlib import Path; from filmfs.store.objects import MediaStore;"
        "MediaStore(Path(sys.argv[1])).put_file(Path(sys.argv[2]))"
    )
    for delay in (0.02, 0.05, 0.1, 0.2):
        proc = subprocess.Popen([sys.executable, "-c", code, str(root), str(src)], cwd=Path.cwd())
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = MediaStore(root)
        for obj in store.iter_objects():  # whatever was published is whole
            assert store.verify(obj.sha256)
    store.clean_tmp(older_than=0)
    assert not store.tmp.exists() or list(store.tmp.iterdir()) == []


def test_hash_own_file_agrees_with_hash_file(tmp_path: Path) -> None:
    empty, data = tmp_path / "empty", tmp_path / "data"
    empty.write_bytes(b"")
    data.write_bytes(bytes(range(256)) * 40_000)
    for path in (empty, data):
        assert hash_own_file(path) == hash_file(path)
    assert hash_own_file(data)[0] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_verifying_names_the_first_object_whose_bytes_are_wrong(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    objects = []
    for n in range(3):
        src = tmp_path / f"{n}.bin"
        src.write_bytes(bytes([n]) * 300_000)
        objects.append(store.put_file(src))
    bad = objects[1]
    os.chmod(bad.path, 0o644)
    bad.path.write_bytes(b"edited" * 50_000)
    checks = Verifying(store, [(o.sha256, f"take {n}") for n, o in enumerate(objects)])
    with pytest.raises(StoreError, match=f"take 1: object {bad.sha256[:12]} does not match"):
        checks.require_all()
    assert checks.failed() == [bad.sha256]
    assert Verifying(store, [(objects[0].sha256, "take 0")]).require_all() is None
