"""For tests that fork: their cases run in a process of their own (a fork is only safe where no
other thread runs, which a test session cannot promise), a module that prints one JSON object
of what each case gave; :func:`run_cases` runs one and reads it, :class:`ForkCounter` counts
the forks it made."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import REPO
from tests.genfilm import PYTHON, subprocess_env


def run_cases(module: str, *args: Path | str) -> dict[str, Any]:
    """``python -m module args…`` from the repository's root; its JSON output."""
    done = subprocess.run(
        [PYTHON, "-m", module, *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=subprocess_env(),
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


class ForkCounter:
    """Puts a counting ``os.fork`` in place: ``count`` is how many forks since ``reset()``."""

    def __init__(self) -> None:
        self.count = 0
        self._fork = os.fork
        os.fork = self._counted

    def _counted(self) -> int:
        self.count += 1
        return self._fork()

    def reset(self) -> int:
        """The count so far, and starts again from 0."""
        count, self.count = self.count, 0
        return count
