"""Slate clips: a placeholder for a shot with no selected take (``--allow-gaps``).

The slate is made directly in the target format, with silent audio, so it stream-copies into
the cut like any matching take. Text needs ffmpeg's ``drawtext`` and a font; a build without
them gets a plain dark slate rather than a failed assembly.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from fractions import Fraction
from pathlib import Path

from filmfs.errors import ToolError
from filmfs.film.model import Format
from filmfs.media.conform import AUDIO_RATE, CONFORM_VERSION, encode_args
from filmfs.media.ffmpeg import run_ffmpeg
from filmfs.media.verify import check_encoded
from filmfs.store.objects import MediaStore, StoredObject

BACKGROUND = "0x202020"


def _graph_path(path: Path) -> str:
    # A path inside a filter graph option: escape the characters the graph parser splits on.
    text = str(path)
    for ch in ("\\", "'", ":", ",", ";", "[", "]", "="):
        text = text.replace(ch, "\\" + ch)
    return text


def slate_argv(textfile: Path | None, duration: float, fmt: Format, out: Path) -> list[str]:
    # Whole frames at the film's exact rate; the sound is cut to the same length.
    frames = max(round(Fraction(duration) * fmt.fps), 1)
    seconds = f"{float(frames / fmt.fps):.6f}"
    picture = f"color=c={BACKGROUND}:s={fmt.width}x{fmt.height}:r={fmt.fps}:d={seconds}"
    if textfile is not None:
        size = max(12, fmt.height // 12)
        # textfile= rather than text=: a shot name may hold quotes, colons or backslashes,
        # which survive no escaping scheme of text= reliably; expansion=none keeps "%" literal.
        picture += (
            f",drawtext=textfile={_graph_path(textfile)}:expansion=none"
            f":fontcolor=white:fontsize={size}:x=(w-text_w)/2:y=(h-text_h)/2"
        )
    return [
        "-f", "lavfi", "-i", picture,
        "-f", "lavfi", "-i", f"anullsrc=r={AUDIO_RATE}:cl=stereo",
        "-frames:v", str(frames), "-t", seconds, *encode_args(fmt), str(out),
    ]  # fmt: skip


def make_slate(text: str, duration: float, fmt: Format, out: Path) -> bool:
    """Render a slate to ``out``; returns False when the text had to be left off."""
    fd, name = tempfile.mkstemp(prefix="filmfs-slate-", suffix=".txt")
    textfile = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            run_ffmpeg(slate_argv(textfile, duration, fmt, out), what="rendering a slate")
            return True
        except ToolError:
            run_ffmpeg(slate_argv(None, duration, fmt, out), what="rendering a plain slate")
            return False
    finally:
        textfile.unlink(missing_ok=True)


def stored_slate(store: MediaStore, text: str, duration: float, fmt: Format) -> StoredObject:
    """A slate in the store, rendered once per (text, duration, format)."""
    blob = json.dumps(["slate", text, round(duration, 6), fmt.key(), CONFORM_VERSION])
    key = hashlib.sha256(blob.encode()).hexdigest()
    sha = store.index_get("slates", key)
    if sha is None:
        with store.temp_path(".mp4") as tmp:
            make_slate(text, duration, fmt, tmp)
            check_encoded(tmp, what="a slate", frames=max(round(Fraction(duration) * fmt.fps), 1))
            sha = store.put_file(tmp, move=True).sha256
        store.index_set("slates", key, sha)
    path = store.path_of(sha)
    return StoredObject(sha, path.stat().st_size, path)
