from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from filmfs.commands.pull import pull
from filmfs.commands.push import push
from filmfs.project import Project
from tests.conftest import REPO
from tests.remotes.film import (
    commit_all,
    git,
    make_film,
    run,
    sha,
    store,
    write_asset,
    write_take,
)


def remote_object(remote: Path, digest: str) -> Path:
    return remote / "objects" / digest[:2] / digest[2:]


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """A film with a default directory remote committed in its config, and the remote."""
    root = make_film(tmp_path)
    remote = tmp_path / "remote"
    assert run("remote", "add", "origin", str(remote), "-d", "-C", str(root)).exit_code == 0
    commit_all(root, "remote")
    return root, remote


def clone(root: Path, tmp_path: Path, name: str = "clone") -> Path:
    git(tmp_path, "clone", "-q", str(root), name)
    return tmp_path / name


def status(root: Path) -> dict:  # type: ignore[type-arg]
    result = run("media", "status", "--json", "-C", str(root))
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_round_trip_between_two_clones(shared: tuple[Path, Path], tmp_path: Path) -> None:
    root, remote = shared
    takes = [o.sha256 for o in store(root).iter_objects()]
    before = status(root)
    assert before["counts"] == {
        "ok": 0,
        "not pushed": 2,
        "missing locally": 0,
        "missing everywhere": 0,
    }
    pushed = run("push", "--json", "-j", "3", "-C", str(root))
    assert pushed.exit_code == 0, pushed.output
    report = json.loads(pushed.output)
    assert sorted(report["transferred"]) == sorted(takes)
    assert report["bytes"] == 9 * 1000 + 9 * 2000
    for digest in takes:
        assert (
            remote_object(remote, digest).read_bytes() == store(root).path_of(digest).read_bytes()
        )
    assert not list((remote / "tmp").iterdir())  # every upload was renamed into place
    assert status(root)["counts"]["ok"] == 2

    other = clone(root, tmp_path)
    assert not store(other).has(takes[0])
    missing = run("media", "status", "-C", str(other))
    assert missing.exit_code == 1
    assert "2 object(s) referenced (remote origin): 2 missing locally" in missing.output
    pulled = run("pull", "-C", str(other))
    assert pulled.exit_code == 0, pulled.output
    assert "2 object(s) fetched (origin), 26.4 KiB" in pulled.output
    for digest in takes:
        assert store(other).verify(digest)
    assert run("media", "status", "-C", str(other)).exit_code == 0
    assert status(other)["counts"]["ok"] == 2
    assert run("validate", str(other), "--strict").exit_code == 0

    # The clone makes a take and pushes it; the first film fetches it.
    new = write_take(other, "01A", 3, b"take three")
    commit_all(other, "take 3")
    assert status(other)["counts"]["not pushed"] == 1
    again = push(Project.load(other), jobs=2)
    assert again.transferred == [new] and again.up_to_date == 2
    git(root, "pull", "-q", str(other), "HEAD")
    assert pull(Project.load(root)).transferred == [new]
    assert store(root).verify(new)


def test_second_push_and_pull_transfer_nothing(shared: tuple[Path, Path]) -> None:
    root, _ = shared
    first = push(Project.load(root))
    assert len(first.transferred) == 2
    second = push(Project.load(root))
    assert second.transferred == [] and second.bytes == 0 and second.up_to_date == 2
    result = run("push", "-C", str(root))
    assert "0 object(s) pushed (origin), 0 B" in result.output
    assert "2 already up to date" in result.output
    assert pull(Project.load(root)).transferred == []


def test_corrupt_remote_object_is_refused(shared: tuple[Path, Path], tmp_path: Path) -> None:
    root, remote = shared
    push(Project.load(root))
    bad = sha(b"take one " * 1000)
    target = remote_object(remote, bad)
    os.chmod(target, 0o644)
    target.write_bytes(b"take one " * 999 + b"tampered!")
    other = clone(root, tmp_path)
    result = run("pull", "-C", str(other))
    assert result.exit_code == 1
    assert f"object {bad[:12]} is corrupt" in result.output
    assert "1 object(s) failed to transfer" in result.output
    assert not store(other).has(bad)
    assert store(other).has(sha(b"take two " * 2000))  # the sound one still arrived
    leftovers = list((other / ".filmfs" / "tmp").iterdir())
    assert leftovers == []


def test_push_refuses_a_corrupt_local_object(shared: tuple[Path, Path]) -> None:
    root, remote = shared
    digest = sha(b"take two " * 2000)
    path = store(root).path_of(digest)
    os.chmod(path, 0o644)
    path.write_bytes(b"rotten")
    result = push(Project.load(root))
    assert list(result.failed) == [digest]
    assert "filmfs media fsck" in result.failed[digest]
    assert not remote_object(remote, digest).exists()


def test_push_all_commits_and_all_objects(shared: tuple[Path, Path]) -> None:
    root, remote = shared
    old = write_take(root, "01A", 3, b"first try")
    commit_all(root, "take 3")
    write_take(root, "01A", 3, b"second try")
    commit_all(root, "take 3 again")
    stray = write_take(root, "01A", 9, b"never committed", keep=True)
    (root / "shots" / "01A" / "takes" / "009.yaml").unlink()
    assert old not in push(Project.load(root)).transferred
    gone = write_take(root, "01A", 4, b"made, committed, then lost")
    commit_all(root, "take 4")
    (root / "shots" / "01A" / "takes" / "004.yaml").unlink()
    store(root).path_of(gone).unlink()
    commit_all(root, "drop take 4")
    everything = push(Project.load(root), all_commits=True)
    assert everything.transferred == [old]
    assert everything.ok  # take 4's lost object is no failure of this push
    assert push(Project.load(root), all_objects=True).transferred == [stray]
    assert remote_object(remote, stray).exists()


def test_missing_everywhere_is_reported(shared: tuple[Path, Path]) -> None:
    root, _ = shared
    ghost = write_take(root, "01A", 3, b"lost bytes", keep=False)
    assert status(root)["counts"]["missing everywhere"] == 1
    result = run("push", "-C", str(root))
    assert result.exit_code == 1
    assert f"{ghost[:12]}: not available anywhere" in result.output


def test_asset_pulled_from_its_file_url(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    (root / "media").mkdir()
    (root / "media" / "song.mp3").write_bytes(b"la la la")
    digest = write_asset(root, "song", b"la la la", url="file:media/song.mp3", keep=False)
    wrong = write_asset(root, "hum", b"hmmm", url="file:media/song.mp3", keep=False)
    before = status(root)
    assert before["counts"]["missing locally"] == 2
    assert before["remote"] is None
    result = pull(Project.load(root))
    assert result.transferred == [digest]
    assert store(root).verify(digest)
    assert list(result.failed) == [wrong]
    assert "is corrupt" in result.failed[wrong]
    assert not store(root).has(wrong)


def test_asset_pulled_from_its_http_url(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_film(tmp_path)
    httpserver.expect_request("/song.mp3").respond_with_data(b"do re mi")
    digest = write_asset(root, "song", b"do re mi", url=httpserver.url_for("/song.mp3"), keep=False)
    refused = run("fetch", "-C", str(root))  # the test server is on loopback: refused
    assert refused.exit_code == 1 and "is a loopback address" in refused.output
    assert httpserver.log == []
    result = run("fetch", "--allow-private-host", "localhost", "-C", str(root))
    assert result.exit_code == 0, result.output
    assert "1 object(s) fetched, 8 B" in result.output
    assert store(root).path_of(digest).read_bytes() == b"do re mi"


def test_many_objects_concurrently(shared: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = shared
    made = [write_take(root, "01A", n, f"take {n}".encode() * 500) for n in range(3, 33)]
    commit_all(root, "many takes")
    assert len(push(Project.load(root), jobs=8).transferred) == 32
    other = clone(root, tmp_path)
    result = pull(Project.load(other), jobs=8)
    assert len(result.transferred) == 32 and result.ok
    assert all(store(other).verify(d) for d in made)


def test_push_and_pull_in_a_real_process(shared: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = shared
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "filmfs", "push", "-C", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 object(s) pushed (origin)" in done.stdout
    other = clone(root, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "filmfs", "pull"],
        cwd=other,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 object(s) fetched (origin)" in done.stdout


def test_file_url_remote(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    remote = tmp_path / "by url"
    url = remote.as_uri()
    assert url.startswith("file:///")
    assert run("remote", "add", "u", url, "-d", "-C", str(root)).exit_code == 0
    commit_all(root, "remote")
    assert len(push(Project.load(root)).transferred) == 2
    assert remote_object(remote, sha(b"take one " * 1000)).is_file()
    other = clone(root, tmp_path)
    assert len(pull(Project.load(other), remote="u").transferred) == 2


@pytest.mark.parametrize("renames", [True, False], ids=["rename", "object-store"])
def test_other_fsspec_filesystem(tmp_path: Path, monkeypatch, renames: bool) -> None:  # type: ignore[no-untyped-def]
    # fsspec's in-memory filesystem stands in for a non-local backend; with renames off,
    # uploads take the object-store path (direct writes, no temp key).
    import fsspec

    from filmfs.store import remotes as remote_module

    root = make_film(tmp_path)
    url = f"memory://filmfs-test-{tmp_path.name}-{renames}"
    opt_in = "allow_protocols: [memory]\n"  # memory:// is refused unless this machine opts in
    (root / ".filmfs" / "config.local.yaml").write_text(opt_in)
    assert run("remote", "add", "mem", url, "-d", "-C", str(root)).exit_code == 0
    commit_all(root, "remote")
    real_init = remote_module.Remote.__init__

    def init(self, spec, root):  # type: ignore[no-untyped-def]
        real_init(self, spec, root)
        self.renames = renames

    monkeypatch.setattr(remote_module.Remote, "__init__", init)
    assert len(push(Project.load(root)).transferred) == 2
    fs = fsspec.filesystem("memory")
    base = url.removeprefix("memory://")
    names = sorted(p.rsplit("/", 2)[-2] + p.rsplit("/", 1)[-1] for p in fs.find(base))
    assert names == sorted(o.sha256 for o in store(root).iter_objects())
    other = clone(root, tmp_path)
    (other / ".filmfs" / "config.local.yaml").write_text(opt_in)
    assert status(other)["counts"]["missing locally"] == 2
    assert len(pull(Project.load(other)).transferred) == 2
    assert status(other)["counts"]["ok"] == 2
    fs.rm(base, recursive=True)


def test_unwritable_remote_fails_each_object_with_a_reason(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    # `remote add` refuses the file itself; a folder under it passes, and fails only on push.
    remote = str(blocker / "remote")
    assert run("remote", "add", "bad", remote, "-d", "-C", str(root)).exit_code == 0
    result = run("push", "-C", str(root))
    assert result.exit_code == 1
    assert "2 object(s) failed to transfer" in result.output
    assert "remote 'bad': uploading" in result.output
    assert "internal error" not in result.output
