"""Runs :func:`filmfs.media.probe.probe_ahead` in the ways it can end, in a process of its own
(a fork is only safe where no other thread runs, which a test session cannot promise), and
prints what each gave as one JSON object: ``python -m tests.media.probe_ahead_run VIDEO JUNK``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from filmfs.media import probe as probing
from tests.own_process import ForkCounter

_real_probe = probing.probe
forks = ForkCounter()


def _run(path: Path) -> dict[str, Any]:
    """What probe_ahead gave for ``path``, how many forks it took and how long."""
    forks.reset()
    start = time.monotonic()
    with probing.probe_ahead(path) as ahead:
        if ahead is None:
            return {"ahead": None, "forks": forks.reset()}
        try:
            answer: dict[str, Any] = {"info": ahead.result().to_data()}
        except probing.ProbeError as exc:
            answer = {"error": str(exc)}
    return {**answer, "forks": forks.reset(), "seconds": time.monotonic() - start}


def main() -> None:
    video, junk = Path(sys.argv[1]), Path(sys.argv[2])
    out: dict[str, Any] = {}
    out["video"] = _run(video)
    out["av_imported_here"] = "av" in sys.modules
    out["junk"] = _run(junk)
    out["missing"] = _run(video.with_name("missing.mp4"))
    os.mkfifo(fifo := video.with_name("fifo.mp4"))
    out["fifo"] = _run(fifo)

    # A child that dies without a word: the parent probes the clip itself.
    real_answer = probing._answer
    probing._answer = lambda path: os._exit(9)  # type: ignore[assignment]
    out["child_died"] = _run(video)
    probing._answer = real_answer

    # A child stuck on its file is ended by its alarm; the parent probes the clip itself.
    parent = os.getpid()

    def stuck_in_child(path: Path) -> probing.VideoInfo:
        if os.getpid() != parent:
            time.sleep(600)
        return _real_probe(path)

    probing.probe = stuck_in_child  # type: ignore[assignment]
    probing._CHILD_SECONDS = 1
    out["child_stuck"] = _run(video)
    probing.probe = _real_probe

    # Another thread running: no fork, the clip is probed here.
    release = threading.Event()
    waiter = threading.Thread(target=release.wait)
    waiter.start()
    out["with_a_thread"] = _run(video)
    release.set()
    waiter.join()

    out["here"] = {"info": _real_probe(video).to_data()}
    try:
        _real_probe(junk)
    except probing.ProbeError as exc:
        out["here"]["error"] = str(exc)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
