"""A small real film repository with media in its store, for the remote tests."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from click.testing import CliRunner, Result

from filmfs import layout
from filmfs.cli import cli
from filmfs.commands.init import init
from filmfs.manifests.writer import write_new
from filmfs.store.objects import MediaStore


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(root: Path) -> MediaStore:
    return MediaStore(layout.state_dir(root))


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def put(root: Path, data: bytes) -> str:
    """Store ``data`` in the film's media store; returns its sha256."""
    source = root.parent / f"in-{sha(data)[:8]}.bin"
    source.write_bytes(data)
    return store(root).put_file(source, move=True).sha256


def write_take(root: Path, shot: str, attempt: int, data: bytes, *, keep: bool = True) -> str:
    """A take whose video is ``data`` (in the store when ``keep``); returns its sha256."""
    digest = put(root, data) if keep else sha(data)
    take = {
        "attempt_number": attempt,
        "selected": attempt == 1,
        "generation_params": {"provider": "testcard", "seed": attempt},
        "video": {
            "sha256": digest,
            "size": len(data),
            "duration": 1,
            "width": 64,
            "height": 64,
            "fps": 24,
            "codec": "h264",
            "format": "mp4",
        },
    }
    write_new(layout.take_file(root, shot, attempt), take, root=root, kind="take")
    return digest


def write_asset(
    root: Path, asset_id: str, data: bytes, *, url: str | None = None, keep: bool = True
) -> str:
    digest = put(root, data) if keep else sha(data)
    asset = {"id": asset_id, "type": "audio", "name": asset_id, "sha256": digest, "size": len(data)}
    if url:
        asset["url"] = url
    write_new(layout.asset_file(root, asset_id), asset, root=root, kind="asset")
    return digest


def make_film(tmp: Path, name: str = "film") -> Path:
    """`filmfs init`, one scene and shot 01A with two takes, committed."""
    root = tmp / name
    init(root, title="Tiny", fps=24.0)  # int fps trips init on Python 3.11
    write_new(
        layout.scene_file(root, 1),
        {"scene_number": 1, "setting": "a kitchen"},
        root=root,
        kind="scene",
    )
    shot = {"shot_number": "01A", "scene": 1, "duration_target": 2, "prompt": "a kettle"}
    write_new(layout.shot_file(root, "01A"), shot, root=root, kind="shot")
    write_take(root, "01A", 1, b"take one " * 1000)
    write_take(root, "01A", 2, b"take two " * 2000)
    commit_all(root, "film")
    return root
