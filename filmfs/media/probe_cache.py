"""Probe results remembered by content hash, under ``cache/probe-v<N>/<sha256>.json``.

A stored object never changes, so what it is never changes either. Opening a container with
PyAV costs a few milliseconds (it reads stream info); over fifty clips that is most of what
a stream-copy assembly costs beyond ffmpeg itself, so a re-assembly reads JSON instead.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from filmfs.media.probe import VideoInfo, probe
from filmfs.store.objects import MediaStore, check_sha256

PROBE_CACHE_VERSION = 5  # bump when VideoInfo or how it is read changes


def _entry(store: MediaStore, sha256: str) -> Path:
    return store.cache / f"probe-v{PROBE_CACHE_VERSION}" / f"{check_sha256(sha256)}.json"


def probe_known(store: MediaStore, path: Path, sha256: str) -> VideoInfo:
    """``probe(path)`` for a file whose sha256 is ``sha256``, cached in ``store``."""
    entry = _entry(store, sha256)
    try:
        return VideoInfo.from_data(json.loads(entry.read_text()))
    except (OSError, ValueError, TypeError, KeyError):
        pass  # absent or unreadable: probe again and rewrite it
    info = probe(path)
    remember(store, sha256, info)
    return info


def remember(store: MediaStore, sha256: str, info: VideoInfo) -> None:
    """Record ``info`` as what the object ``sha256`` is (its probe, as it was stored)."""
    entry = _entry(store, sha256)
    data = info.to_data()
    entry.parent.mkdir(parents=True, exist_ok=True)
    with store.temp_path(".json") as tmp:
        tmp.write_text(json.dumps(data))
        os.replace(tmp, entry)


def forget(store: MediaStore, sha256: str) -> None:
    """Drop what was remembered of ``sha256`` (its bytes turned out not to be that object's)."""
    with contextlib.suppress(OSError):
        _entry(store, sha256).unlink()
