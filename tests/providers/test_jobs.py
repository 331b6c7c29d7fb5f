"""Job records: written atomically and owner-only, resumed only when no live run owns them."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from filmfs.providers import jobs
from filmfs.providers.base import GenerationRequest

REQUEST = GenerationRequest(
    shot_id="01A", attempt_number=1, prompt="p", duration=6, width=64, height=64, fps=24
)


def record(task_id: str) -> jobs.JobRecord:
    return jobs.JobRecord(
        shot_id="01A",
        provider="runway",
        model="veo3.1_fast",
        task_id=task_id,
        data={"sent": {"duration": 6}},
        request={**REQUEST.__dict__, "params": {}, "reference_images": []},
    )


def dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


def test_saved_owner_only_and_resumed_when_its_run_is_dead(tmp_path: Path) -> None:
    path = jobs.save(tmp_path, record("t-1"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(jobs.pending(tmp_path)) == []  # this process owns it: not resumed by a thread
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "pid": dead_pid()}))
    [found] = jobs.pending(tmp_path)
    assert found.task_id == "t-1" and found.job.data["sent"] == {"duration": 6}
    assert found.generation_request() == REQUEST
    jobs.remove(tmp_path, found)
    assert list(jobs.pending(tmp_path)) == []


def test_unreadable_or_foreign_records_are_skipped(tmp_path: Path) -> None:
    folder = jobs.jobs_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "junk.json").write_text("{not json")
    (folder / "odd.json").write_text(json.dumps({"shot_id": "01A"}))
    (folder / "link.json").symlink_to(folder / "junk.json")
    assert list(jobs.pending(tmp_path)) == []
    path = jobs.save(tmp_path, replace(record("t-2")))
    path.write_text(json.dumps({**json.loads(path.read_text()), "host": "elsewhere"}))
    assert [r.task_id for r in jobs.pending(tmp_path)] == ["t-2"]
