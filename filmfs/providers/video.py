"""Is this file a video? A check of the container's magic bytes, no decoding.

Providers sometimes answer a download with an HTML error page or a JSON body and HTTP 200;
writing that into a take would poison the film, so every fetched file is checked here.
"""

from __future__ import annotations

from pathlib import Path

from filmfs.errors import ProviderError

_EBML = b"\x1a\x45\xdf\xa3"  # WebM / Matroska


def sniff(head: bytes) -> str | None:
    """The container kind of a file's first bytes (``mp4``, ``webm``) or None."""
    # ISO BMFF (MP4, MOV): a box size then a box type; ftyp first, but QuickTime files may
    # begin with wide/free/mdat/moov atoms.
    if len(head) >= 8 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"):
        return "mp4"
    if head.startswith(_EBML):
        return "webm"
    return None


def describe(head: bytes) -> str:
    """A short human description of a non-video body, for error messages."""
    text = head.lstrip()[:1]
    if text in (b"{", b"["):
        return "a JSON document"
    if text == b"<":
        return "an HTML/XML page"
    if not head:
        return "an empty body"
    return f"unknown bytes {head[:8].hex()}"


def check_video(path: Path, *, provider: str, url: str | None = None) -> str:
    """Raise a ProviderError unless ``path`` starts like an MP4/MOV or WebM/Matroska file."""
    with path.open("rb") as fh:
        head = fh.read(64)
    kind = sniff(head)
    if kind is None:
        raise ProviderError(
            f"downloaded file is not a video ({describe(head)})",
            provider=provider,
            url=url,
            hint="the provider returned an error page or an expired link; try again",
        )
    return kind
