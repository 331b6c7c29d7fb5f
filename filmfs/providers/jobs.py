"""Submitted tasks recorded on disk, so a run killed after paying can be resumed, not repaid.

``generate`` records each task (``.filmfs/jobs/<shot>-<provider>-<hash>.json``, written
atomically, readable only by the owner) the moment the provider hands back its id and before
the first poll; it removes the record once the take is written, or once the task has ended in
failure or been cancelled. A rerun first resumes the records no live process owns: it polls
the task and fetches its video instead of submitting the shot again. The record holds the raw
task id and poll URLs (needed to poll), so it never leaves the machine: ``.filmfs/jobs/`` is
outside every commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.manifests.writer import atomic_write_bytes, make_folder
from filmfs.providers.base import GenerationRequest, Job

JOBS_DIR = "jobs"


@dataclass(frozen=True)
class JobRecord:
    """One submitted task and what is needed to finish its take."""

    shot_id: str
    provider: str
    model: str
    task_id: str
    data: Mapping[str, Any]
    request: Mapping[str, Any]
    """The GenerationRequest's fields (for the cost estimate and the take's record)."""
    take: Mapping[str, Any] = field(default_factory=dict)
    """What the take will record besides the provider's answer (fit, estimate, params)."""
    pid: int = 0
    host: str = ""

    @property
    def job(self) -> Job:
        return Job(self.provider, self.task_id, self.model, dict(self.data))

    def generation_request(self) -> GenerationRequest:
        fields = dict(self.request)
        fields["reference_images"] = tuple(fields.get("reference_images", ()))
        fields["fps"] = Fraction(str(fields["fps"]))  # saved as its exact text, "24000/1001"
        return GenerationRequest(**fields)


def jobs_dir(root: Path) -> Path:
    return layout.state_dir(root) / JOBS_DIR


def record_path(root: Path, shot_id: str, provider: str, task_id: str) -> Path:
    digest = hashlib.sha256(f"{provider}\0{task_id}".encode()).hexdigest()[:16]
    return jobs_dir(root) / f"{shot_id}-{provider}-{digest}.json"


def save(root: Path, record: JobRecord) -> Path:
    """Write ``record`` atomically (owner-only); returns its path."""
    folder = jobs_dir(root)
    make_folder(folder)
    path = record_path(root, record.shot_id, record.provider, record.task_id)
    payload = asdict(record) | {"pid": os.getpid(), "host": socket.gethostname()}
    atomic_write_bytes(path, json.dumps(payload, indent=1, default=str).encode())
    with contextlib.suppress(OSError):
        path.chmod(0o600)
    return path


def remove(root: Path, record: JobRecord) -> None:
    record_path(root, record.shot_id, record.provider, record.task_id).unlink(missing_ok=True)


def _alive(pid: int, host: str) -> bool:
    """Whether the process that wrote a record may still be polling it (same host only)."""
    if host != socket.gethostname() or pid <= 0:
        return False
    if pid == os.getpid():
        return True  # another run in this process (threads) owns it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pending(root: Path) -> Iterator[JobRecord]:
    """Records no live process owns, oldest first; unreadable records are skipped."""
    folder = jobs_dir(root)
    if not folder.is_dir():
        return
    entries = sorted(folder.glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name))
    for path in entries:
        if path.is_symlink() or not path.is_file():
            continue
        try:
            raw = json.loads(path.read_text("utf-8"))
            record = JobRecord(**raw)
        except (OSError, ValueError, TypeError):
            continue
        if not _alive(record.pid, record.host):
            yield record
