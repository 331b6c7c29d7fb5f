"""Finding and running ffmpeg.

No system ffmpeg is assumed: one on PATH is used when present, otherwise the binary that the
imageio-ffmpeg wheel ships. Every failure becomes a :class:`filmfs.errors.ToolError` carrying
argv, exit code and the tail of stderr.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Sequence

from filmfs.errors import ToolError


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary: $FILMFS_FFMPEG, then PATH, then imageio-ffmpeg's."""
    override = os.environ.get("FILMFS_FFMPEG")
    if override:
        return override
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise ToolError(
            "ffmpeg not found", hint="install ffmpeg or `pip install imageio-ffmpeg`"
        ) from exc
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def run_ffmpeg(args: Sequence[str], *, what: str, timeout: float | None = None) -> list[str]:
    """Run ``ffmpeg -hide_banner -nostdin -y <args>``; raise ToolError if it fails.

    Returns the full argv run, for callers that report the commands they ran.
    """
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"{what}: ffmpeg timed out after {timeout} s", argv=argv) from exc
    except OSError as exc:
        raise ToolError(f"{what}: cannot run ffmpeg ({exc})", argv=argv) from exc
    if proc.returncode != 0:
        raise ToolError(
            f"{what}: ffmpeg failed", argv=argv, returncode=proc.returncode, stderr=proc.stderr
        )
    return argv
