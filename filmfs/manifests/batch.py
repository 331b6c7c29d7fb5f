"""Checking many manifest files at once: each file on its own, in a pool of processes.

A file's own check is everything that needs no other file: read it (bounded, UTF-8), parse it
(:func:`filmfs.manifests.loader.parse_data`, no positions) and check it against its kind's
schema (the compiled validator first; jsonschema's worded messages only when it fails). Its
result, a :data:`Checked`, is plain data: what the persistent cache stores and what a worker
process sends back. Problems carry no file name, which depends on the working directory.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from filmfs.errors import ManifestError
from filmfs.manifests import schema
from filmfs.manifests.loader import Document, modeline_ref, parse_data, read_text

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

# (parsed, data, problems, modeline): parsed is False when the file could not be read or parsed
# at all; each problem is [line, col, message, severity]; modeline is where the file's first
# line points editors for its schema (see loader.modeline_ref), or None.
Checked = tuple[bool, Any, list[list[Any]], str | None]

T = TypeVar("T", tuple[str, str], tuple[str, str, str])

PARALLEL_MIN = 512
"""Fewer files than this are checked in this process: a pool costs more than it saves."""


def check_text(text: str, kind: str, *, display: str = "") -> Checked:
    """One manifest's own problems, from its text."""
    ref = modeline_ref(text)
    try:
        data = parse_data(text, display)
    except ManifestError as exc:
        return (False, None, [[exc.line, exc.col, exc.detail, "error"]], ref)
    if not isinstance(data, dict):
        where = Document(display, data, text=text).where(())
        message = f"expected a mapping of {kind} fields at the top level"
        return (True, data, [[where[0], where[1], message, "error"]], ref)
    if schema.is_valid(data, kind):
        return (True, data, [], ref)
    found = schema.check(Document(display, data, text=text), kind)
    return (True, data, [[p.line, p.col, p.message, p.severity] for p in found], ref)


def check_file(path: str, kind: str) -> Checked:
    """One manifest file's own problems."""
    try:
        text = read_text(Path(path), path)
    except ManifestError as exc:
        return (False, None, [[exc.line, exc.col, exc.detail, "error"]], None)
    return check_text(text, kind, display=path)


def _check_chunk(items: Sequence[tuple[str, str]]) -> list[Checked]:
    return [check_file(path, kind) for path, kind in items]


def _context() -> BaseContext:
    import multiprocessing  # with its pickle, socket and logging: only for a pool

    # fork starts a worker in milliseconds and it inherits the compiled validators; forking a
    # process that runs threads is unsafe, so such a process pays for a fresh interpreter.
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def workers() -> int:
    """Processes to parse with: one per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _check_text_chunk(items: Sequence[tuple[str, str, str]]) -> list[Checked]:
    return [check_text(text, kind, display=display) for text, kind, display in items]


def check_files(
    items: Sequence[tuple[str, str]], *, jobs: int | None = None, parallel_min: int = PARALLEL_MIN
) -> list[Checked]:
    """Each (path, kind)'s :data:`Checked`, in order; in parallel when there are many."""
    return _run(_check_chunk, items, jobs, parallel_min)


def check_texts(
    items: Sequence[tuple[str, str, str]],
    *,
    jobs: int | None = None,
    parallel_min: int = PARALLEL_MIN,
) -> list[Checked]:
    """Each (text, kind, display)'s :data:`Checked`, in order; in parallel when there are many
    (a Git revision's files, which are not on disk)."""
    return _run(_check_text_chunk, items, jobs, parallel_min)


def _run(
    check: Callable[[Sequence[T]], list[Checked]],
    items: Sequence[T],
    jobs: int | None,
    parallel_min: int,
) -> list[Checked]:
    jobs = workers() if jobs is None else jobs
    if jobs <= 1 or len(items) < parallel_min:
        return check(items)
    for kind in {item[1] for item in items}:
        schema.warm(str(kind))  # compiled once here, inherited by forked workers
    size = max(32, min(1024, len(items) // (jobs * 8) or 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    results: list[Checked] = []
    from concurrent.futures import ProcessPoolExecutor  # only when there is a pool to run

    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        for part in pool.map(check, chunks):
            results.extend(part)
    return results
