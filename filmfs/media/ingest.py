"""A video file into the store, described as the manifests record it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from filmfs.film.model import VideoRef
from filmfs.media.probe import probe
from filmfs.store.objects import MediaStore, hash_file


def store_video(
    store: MediaStore, path: Path, *, move: bool = False, hashed: tuple[str, int] | None = None
) -> VideoRef:
    """Probe ``path`` (a clear error if it is no video), store it, and describe it.

    ``move`` publishes a temp file by rename; otherwise the file is copied in. ``hashed`` is
    ``hash_file(path)`` when the caller already has it.
    """
    # Hash while probing: hashlib and PyAV both leave the GIL, and the bytes are in the page
    # cache once either has read them (a 60 MB cut hashes in ~0.1 s, about what probing takes).
    if hashed is None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = pool.submit(hash_file, path)
            info = probe(path)
            hashed = digest.result()
    else:
        info = probe(path)
    stored = store.put_file(path, move=move, hashed=hashed)
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
