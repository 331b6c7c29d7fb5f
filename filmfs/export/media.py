"""Media an editor can open: the store's objects under readable names with real extensions.

An export refers to its media as ``media/<name>`` relative to the timeline file, and the files
are put there by hard link (free, the store's own read-only bytes) or, across filesystems, by
copy; every file placed is checked against its sha256, so a corrupt store object is never
handed to an editor. Names carry the shot, the take and a short sha (``01A_take2_3b163dcb.mp4``,
``harbour-theme_b7510b0c.m4a``): an NLE that lost the folder relinks by name, and
``filmfs import-edit`` maps a clip back to its take from the name alone.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from filmfs.errors import StoreError
from filmfs.store.objects import hash_file, link_or_copy

MEDIA_DIR = "media"
SHORT_SHA = 8
TAKE_NAME = re.compile(
    r"^(?P<shot>[0-9]{1,4}[A-Z]{1,4})_take(?P<take>[0-9]{1,3})_(?P<sha>[0-9a-f]{8,64})\."
)

# ffprobe's container names (the take's video.format) -> the extension players expect.
_VIDEO_EXT = {
    "mp4": ".mp4",
    "mov": ".mov",
    "matroska": ".mkv",
    "webm": ".webm",
    "avi": ".avi",
    "mpegts": ".ts",
    "gif": ".gif",
}


def video_extension(container: str | None) -> str:
    names = (container or "mp4").split(",")
    return next((_VIDEO_EXT[n] for n in names if n in _VIDEO_EXT), ".mp4")


def audio_extension(path: Path | None, url: str | None = None) -> str:
    """The extension of an audio file, from its first bytes (the store keeps no name)."""
    head = b""
    if path is not None:
        with contextlib.suppress(OSError), open(path, "rb") as handle:
            head = handle.read(12)
    if head[4:8] == b"ftyp":
        return ".m4a"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ".wav"
    if head[:4] == b"fLaC":
        return ".flac"
    if head[:4] == b"OggS":
        return ".ogg"
    if head[:3] == b"ID3" or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return ".mp3"
    suffix = Path((url or "").split("?")[0]).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{2,4}", suffix) else ".m4a"


def take_file_name(shot_id: str, attempt: int, sha256: str, container: str | None) -> str:
    return f"{shot_id}_take{attempt}_{sha256[:SHORT_SHA]}{video_extension(container)}"


def asset_file_name(asset_id: str, sha256: str, extension: str) -> str:
    return f"{asset_id}_{sha256[:SHORT_SHA]}{extension}"


def place(source: Path, sha256: str, dest: Path) -> Path:
    """Put the store object ``source`` at ``dest`` (hard link, else copy), hash-verified.

    A file already at ``dest`` with the right bytes is kept; one with other bytes is replaced.
    """
    if dest.is_file() and not dest.is_symlink():
        with contextlib.suppress(OSError):
            if os.path.samefile(source, dest) or hash_file(dest)[0] == sha256:
                return dest

    def matches(placed: Path) -> None:
        if hash_file(placed)[0] != sha256:
            raise StoreError(
                f"media store object {sha256[:12]} does not match its hash; not exported",
                hint="`filmfs media fsck` quarantines corrupt objects; then `filmfs pull`",
            )

    link_or_copy(source, dest, check=matches)
    return dest
