"""A video file into the store, described as the manifests record it."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from filmfs.errors import StoreError
from filmfs.film.model import VideoRef
from filmfs.media.probe import Probing, VideoInfo, probe
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
    probing: Probing | None = None,
) -> VideoRef:
    """Probe ``path`` (a clear error if it is no video), store it, and describe it.

    ``move`` publishes a temp file by rename; otherwise the file is copied in. ``hashed`` is
    ``hash_file(path)`` and ``info`` is ``probe(path)`` when the caller already has them;
    ``probing`` is a probe of ``path`` the caller started (:func:`probe_ahead`). The stored
    object is stamped as verified and its probe remembered, so its first use in a cut reads
    neither its bytes nor its headers again.
    """

    def probed() -> VideoInfo:
        return info or (probing.result() if probing else probe(path))

    if move or hashed is not None:
        # A file we made: hash it while probing (hashlib and PyAV both leave the GIL, and the
        # bytes are in the page cache once either has read them), then rename it in.
        if hashed is None:
            with ThreadPoolExecutor(max_workers=1) as pool:
                digest = pool.submit(hash_file, path)
                info = probed()
                hashed = digest.result()
        info = probed()
        stored = store.put_file(path, move=move, hashed=hashed)
    else:
        # Someone else's file: copy it into the store's tmp/ (hashed as written, synced)
        # while it is probed, so the copy costs about nothing beside the probe; it is
        # published only once the probe has said it is a video.
        since = probing.stat if probing else _stat(path)
        with store.temp_path(".obj") as tmp, ThreadPoolExecutor(max_workers=1) as pool:
            copying = pool.submit(store.copy_in, path, tmp, since=since)
            info = probed()
            staged = copying.result()
            staged.check_source(path)  # the probe read the bytes that are stored
            stored = store.publish(staged)
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


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        raise StoreError(f"cannot store {path}: {exc.strerror or exc}") from exc
