"""The locks between filmfs processes (filmfs/film/locks.py): flock on a file in .filmfs/locks/."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from filmfs.errors import LockedError
from filmfs.film import locks
from tests.genfilm import PYTHON, subprocess_env

# A second process that takes the shot's lock, says so, and holds it until its stdin closes.
_HOLDER = """
import sys
from pathlib import Path
from filmfs.film.locks import shot_lock
with shot_lock(Path(sys.argv[1]), "01A"):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [PYTHON, "-c", _HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield proc
    proc.kill()
    proc.communicate()


def test_a_lock_held_by_another_process_is_waited_for_then_named(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks, "LOCK_TIMEOUT", 0.2)
    busy = "shot 01A is locked by another filmfs process"
    with pytest.raises(LockedError, match=busy) as err, locks.shot_lock(tmp_path, "01A"):
        pytest.fail("took a lock another process holds")
    assert err.value.hint is not None and "rm " in err.value.hint
    holder.communicate(input="")  # the holder lets go
    with locks.shot_lock(tmp_path, "01A"):
        pass
    assert (locks.locks_dir(tmp_path) / "01A.lock").is_file()  # left for the next one


def test_a_lock_released_here_can_be_taken_again_and_others_are_apart(tmp_path: Path) -> None:
    with locks.shot_lock(tmp_path, "01A"), locks.shot_lock(tmp_path, "01B"):
        pass
    with locks.shot_lock(tmp_path, "01A"):
        assert len(locks._HOLDING) == 1
    assert not locks._HOLDING


# A process that takes the lock, forks a child that outlives the hold (it waits on a pipe),
# lets go, and then asks a third process (_HOLDER) to take the lock. Run as its own process:
# a fork is only safe where no other thread runs, which a test session cannot promise.
_FORKER = """
import os, subprocess, sys
from pathlib import Path
from filmfs.film.locks import shot_lock
root = Path(sys.argv[1])
read, write = os.pipe()
with shot_lock(root, "01A"):
    pid = os.fork()
    if pid == 0:
        os.close(write)
        os.read(read, 1)
        os._exit(0)
os.close(read)
try:
    third = subprocess.run(
        [sys.executable, "-c", sys.argv[2], str(root)],
        input="", capture_output=True, text=True, timeout=60,
    )
    print(third.stdout, end="")
finally:
    os.close(write)
    os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_does_not_keep_the_lock(tmp_path: Path) -> None:
    done = subprocess.run(
        [PYTHON, "-c", _FORKER, str(tmp_path), _HOLDER],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "held\n", done.stderr


@pytest.mark.parametrize("planted", ["symlink", "fifo", "folder"])
def test_anything_but_a_regular_lock_file_is_refused(tmp_path: Path, planted: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    lock = locks.locks_dir(tmp_path) / "01A.lock"
    if planted == "symlink":
        lock.symlink_to(victim)
    elif planted == "fifo":
        os.mkfifo(lock)  # opening it to lock would block
    else:
        lock.mkdir()
    refused = r"01A\.lock is (a symlink|not a regular file); refused"
    with pytest.raises(LockedError, match=refused), locks.shot_lock(tmp_path, "01A"):
        pytest.fail("took a lock through a planted file")
    assert victim.read_text() == "precious"


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_symlink_swapped_in_after_the_check_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    lock = locks.locks_dir(tmp_path) / "01A.lock"
    real_flock = locks._flock

    def swapped(path: Path, **kwargs: str) -> int | None:
        path.symlink_to(victim)  # between the lstat check and the open
        return real_flock(path, **kwargs)

    monkeypatch.setattr(locks, "_flock", swapped)
    followed = r"cannot take the lock .*01A\.lock"
    with pytest.raises(LockedError, match=followed), locks.shot_lock(tmp_path, "01A"):
        pytest.fail("followed the symlink")
    assert lock.is_symlink() and victim.read_text() == "precious"


def test_where_flock_is_missing_filelock_takes_the_same_lock(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback (Windows, or a filesystem without flock) through filelock, here run
    where filelock itself uses flock: it honours the lock the other process holds."""
    importlib.import_module("filelock")  # as on this platform: it reads sys.platform on import
    monkeypatch.setattr(locks, "LOCK_TIMEOUT", 0.2)
    monkeypatch.setattr(locks.sys, "platform", "win32")  # then only _flock asks
    busy = "shot 01A is locked by another filmfs process"
    with pytest.raises(LockedError, match=busy), locks.shot_lock(tmp_path, "01A"):
        pytest.fail("took a lock another process holds")
    holder.communicate(input="")
    with locks.shot_lock(tmp_path, "01A"):
        assert not locks._HOLDING  # filelock's, not ours
