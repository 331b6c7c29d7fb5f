"""A video file into the store, described as the manifests record it."""

from __future__ import annotations

from pathlib import Path

from filmfs.film.model import VideoRef
from filmfs.media.probe import probe
from filmfs.store.objects import MediaStore


def store_video(store: MediaStore, path: Path, *, move: bool = False) -> VideoRef:
    """Probe ``path`` (a clear error if it is no video), store it, and describe it.

    ``move`` publishes a temp file by rename; otherwise the file is copied in.
    """
    info = probe(path)
    stored = store.put_file(path, move=move)
    return VideoRef(
        sha256=stored.sha256,
        size=stored.size,
        duration=info.duration,
        width=info.width,
        height=info.height,
        fps=info.fps,
        codec=info.codec,
        format=info.format,
        has_audio=info.has_audio,
    )
