"""A piece of a command's work done beside it, in a forked child process, on another core.

A thread cannot do what holds the GIL (importing PyAV) or what is mostly Python around short
system calls (40,000 stats run slower in two threads than in one), but a child forked from the
process runs on the other core with everything the parent had loaded, and pays nothing to
start. The child gives its answer as bytes through a pipe and leaves at once (``os._exit``:
none of the parent's exit handlers, buffers or locks; held file locks are closed at fork, see
:mod:`filmfs.film.locks`). A child that has not answered within its alarm is ended by it.

Only where a fork is safe: on Linux, with no other thread running (a fork copies only the
thread that calls it, so a lock another thread held would stay held in the child forever).
Elsewhere :func:`beside` yields None and the caller does the work itself, as it also must
when the child gives no answer.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator


def is_safe() -> bool:
    """Whether this process may fork a child that runs Python."""
    if not sys.platform.startswith("linux"):
        return False  # macOS system libraries may not survive a fork without exec
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


@contextlib.contextmanager
def beside(
    work: Callable[[], bytes], *, seconds: int = 60
) -> Iterator[Callable[[], bytes | None] | None]:
    """Start ``work`` in a forked child; the function yielded waits for the bytes it returned
    (None if it raised, died or outlived its ``seconds``). None where a fork is not safe.
    Leaving the block without having waited kills the child; either way it is reaped."""
    if not is_safe():
        yield None
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _answer(work, write_end, seconds)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    said: list[bytes | None] = []  # the answer, once read

    def wait() -> bytes | None:
        if not said:
            data = pipe.read()
            status = os.waitpid(pid, 0)[1]
            said.append(data if os.waitstatus_to_exitcode(status) == 0 else None)
        return said[0]

    try:
        yield wait
    finally:
        pipe.close()
        if not said:  # nobody wants its answer now (the command failed): end it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _answer(work: Callable[[], bytes], out: int, seconds: int) -> None:
    status = 1
    try:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # which ends the process
        signal.alarm(seconds)
        data = memoryview(work())
        while data:
            data = data[os.write(out, data) :]
        status = 0
    finally:
        os._exit(status)
