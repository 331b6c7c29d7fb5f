"""Frames of stored videos as stored images, made once: the still a chained shot starts from.

The index ``cache/frames/<video sha256>-<end>`` remembers which PNG object holds the first or
last frame of a video, so chaining ten shots extracts each frame once. The cache only saves
work: a missing or stale entry is made again from the video.
"""

from __future__ import annotations

from filmfs.media.still import extract_frame
from filmfs.store.objects import MediaStore, StoredObject, check_sha256

INDEX = "frames"


def video_frame(store: MediaStore, video_sha256: str, end: str, *, duration: float) -> StoredObject:
    """The stored PNG of the ``end`` ("first" or "last") frame of the stored video."""
    check_sha256(video_sha256)
    if end not in ("first", "last"):
        raise ValueError(f"end must be first or last, not {end!r}")
    key = f"{video_sha256}-{end}"
    known = store.index_get(INDEX, key)
    if known is not None:
        path = store.path_of(known)
        return StoredObject(known, path.stat().st_size, path)
    video = store.require(video_sha256, what="the video a chained shot starts from")
    with store.temp_path(".png") as tmp:
        extract_frame(video, end, tmp, duration=duration)
        stored = store.put_file(tmp, move=True)
    store.index_set(INDEX, key, stored.sha256)
    return stored
