"""Runs :mod:`filmfs.fork` and the kept report's forked stat pass in the ways they can end, in
a process of its own (a fork is only safe where no other thread runs, which a test session
cannot promise), and prints what each gave as one JSON object:
``python -m tests.fork_run FOLDER``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from filmfs import fork
from filmfs.manifests import results
from tests.own_process import ForkCounter

forks = ForkCounter()


def _beside(work: Any, seconds: int = 60) -> dict[str, Any]:
    """What :func:`fork.beside` gave for ``work``: its bytes (or None), the forks, the time."""
    forks.reset()
    start = time.monotonic()
    with fork.beside(work, seconds=seconds) as wait:
        data = wait() if wait else "no fork"
        again = wait() if wait else "no fork"
    got = data.decode() if isinstance(data, bytes) else data
    return {
        "got": got,
        "again": again == data,
        "forks": forks.reset(),
        "seconds": time.monotonic() - start,
    }


def _keys(paths: list[str]) -> dict[str, Any]:
    forks.reset()
    same = results.keys_now(paths, follow=False) == one_process(paths)
    return {"same": same, "forks": forks.reset()}


def one_process(paths: list[str]) -> bytes:
    return results._keys(paths, False)


def main() -> None:
    folder = Path(sys.argv[1])
    out: dict[str, Any] = {}
    out["answer"] = _beside(lambda: b"from the child " + str(os.getpid()).encode())
    out["answer"]["parent"] = os.getpid()
    out["raises"] = _beside(lambda: 1 // 0)  # type: ignore[arg-type,return-value]
    out["outlives_alarm"] = _beside(lambda: time.sleep(600) or b"late", seconds=1)
    start = time.monotonic()
    with fork.beside(lambda: time.sleep(600) or b"unwanted"):
        pass  # left without waiting: the child is ended, not waited for
    out["left_early_seconds"] = time.monotonic() - start

    paths = []
    for i in range(results._FORK_ABOVE + 500):
        path = folder / f"{i:05d}.yaml"
        path.write_text("x" * (i % 7))
        paths.append(str(path))
    paths[10:10] = [str(folder / "absent.yaml"), str(folder / "00001.yaml" / "under-a-file")]
    out["keys"] = _keys(paths)
    out["keys_few"] = _keys(paths[:100])

    real_answer = fork._answer
    fork._answer = lambda work, out, seconds: os._exit(3)  # type: ignore[assignment]
    out["keys_child_died"] = _keys(paths)
    fork._answer = real_answer

    release = threading.Event()
    waiter = threading.Thread(target=release.wait)
    waiter.start()
    out["with_a_thread"] = _beside(lambda: b"never")
    out["keys_with_a_thread"] = _keys(paths)
    release.set()
    waiter.join()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
