"""Building, finding and running ffmpeg commands.

Command lines and filter graphs are built with ffmpeg-python (:func:`builder`): streams are
chained with ``.filter(...)`` and the library writes the ``-filter_complex`` text, its labels,
its escaping and the ``-map`` options. Running stays here: no system ffmpeg is assumed (one on
PATH is used when present, otherwise the binary that the imageio-ffmpeg wheel ships), and every
failure becomes a :class:`filmfs.errors.ToolError` carrying argv, exit code and stderr's tail.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from filmfs.errors import ToolError

# An ffmpeg-python stream or output node; the library ships no type hints.
Stream = Any


@functools.cache
def builder() -> ModuleType:
    """The ffmpeg-python module, imported on first use: 50 ms, most of it its `future`
    dependency, which commands that never run ffmpeg should not pay at start-up."""
    import ffmpeg

    module: ModuleType = ffmpeg
    return module


def command(output: Stream) -> list[str]:
    """The arguments an ffmpeg-python output node stands for (without the binary)."""
    return [str(arg) for arg in output.get_args()]


def sources(paths: Sequence[Path], kind: str) -> list[Stream]:
    """The ``kind`` ("video" or "audio") stream of each file, one per entry, in order.

    ffmpeg-python treats equal inputs as one node, and a stream feeds one filter only, so a
    file listed twice (two shots with the same take) is read once and split.
    """
    ff = builder()
    split = "split" if kind == "video" else "asplit"
    uses = Counter(paths)
    splits = {
        path: getattr(ff.input(str(path)), kind).filter_multi_output(split, count)
        for path, count in uses.items()
        if count > 1
    }
    taken: Counter[Path] = Counter()
    streams = []
    for path in paths:
        if path in splits:
            streams.append(splits[path].stream(taken[path]))
            taken[path] += 1
        else:
            streams.append(getattr(ff.input(str(path)), kind))
    return streams


_lookup = threading.Lock()


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary: $FILMFS_FFMPEG, then PATH, then imageio-ffmpeg's.

    Looked up once per process: imageio-ffmpeg's answer costs ~45 ms (its import, and a run
    of the binary to see that it works), which :func:`warm_up` moves off the critical path.
    """
    with _lookup:  # a warm-up thread and the first real caller share one lookup
        return find_ffmpeg()


def warm_up() -> None:
    """Find ffmpeg and import ffmpeg-python in a background thread, while the caller loads
    and checks the film: a command that will run ffmpeg then starts it without waiting."""
    threading.Thread(target=lambda: (ffmpeg_exe(), builder()), daemon=True).start()


@functools.cache
def find_ffmpeg() -> str:
    """:func:`ffmpeg_exe`'s lookup (``find_ffmpeg.cache_clear()`` looks again)."""
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
