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
from filmfs.media.conform import AUDIO_RATE, CONFORM_VERSION, encode_options
from filmfs.media.ffmpeg import builder, command, run_ffmpeg
from filmfs.media.verify import check_encoded
from filmfs.store.objects import MediaStore, StoredObject

BACKGROUND = "0x202020"


def slate_argv(textfile: Path | None, duration: float, fmt: Format, out: Path) -> list[str]:
    ff = builder()
    # Whole frames at the film's exact rate; the sound is cut to the same length.
    frames = max(round(Fraction(duration) * fmt.fps), 1)
    seconds = f"{float(frames / fmt.fps):.6f}"
    size = f"{fmt.width}x{fmt.height}"
    picture = ff.input(f"color=c={BACKGROUND}:s={size}:r={fmt.fps}:d={seconds}", f="lavfi").video
    if textfile is not None:
        # textfile= rather than text=: a shot name may hold quotes, colons or backslashes,
        # which survive no escaping scheme of text= reliably; expansion=none keeps "%" literal.
        # ffmpeg-python escapes the path for the filter graph.
        picture = picture.filter(
            "drawtext",
            textfile=str(textfile),
            expansion="none",
            fontcolor="white",
            fontsize=max(12, fmt.height // 12),
            x="(w-text_w)/2",
            y="(h-text_h)/2",
        )
    silence = ff.input(f"anullsrc=r={AUDIO_RATE}:cl=stereo", f="lavfi").audio
    output = ff.output(
        picture, silence, str(out), **{"frames:v": frames, "t": seconds}, **encode_options(fmt)
    )
    return command(output)


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
