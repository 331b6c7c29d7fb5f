"""A video file into the store, described as the manifests record it."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from filmfs.errors import StoreError
from filmfs.film.model import VideoRef
from filmfs.media.probe import VideoInfo, probe
from filmfs.media.probe_cache import remember
from filmfs.store.objects import MediaStore, hash_file
from filmfs.store.stamps import record_verified


def store_video(
    store: MediaStore,
    path: Path,
    *,
    move: bool = False,
    hashed: tuple[str, int] | None = None,
    info: VideoInfo | None = None,
) -> VideoRef:
    """Probe ``path`` (a clear error if it is no video), store it, and describe it.

    ``move`` publishes a temp file by rename; otherwise the file is copied in. ``hashed`` is
    ``hash_file(path)`` and ``info`` is ``probe(path)`` when the caller already has them. The
    stored object is stamped as verified and its probe remembered, so its first use in a cut
    reads neither its bytes nor its headers again.
    """
    # Hash while probing: hashlib and PyAV both leave the GIL, and the bytes are in the page
    # cache once either has read them (a 60 MB cut hashes in ~0.1 s, about what probing takes).
    if hashed is None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = pool.submit(hash_file, path)
            info = info or probe(path)
            hashed = digest.result()
    elif info is None:
        info = probe(path)
    stored = store.put_file(path, move=move, hashed=hashed)
    if stored.published:
        record_verified(store, stored.sha256)  # hashed on the way in: trusted until it changes
    with contextlib.suppress(OSError, StoreError):  # a read-only cache: probed again later
        remember(store, stored.sha256, info)
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
