"""The package layers hold: imports only point down and no two packages import each other.

The contracts are in pyproject.toml ([tool.importlinter]); the README draws them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_imports_follow_the_layers_without_cycles() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is in the test extra: pip install -e '.[test]'"
    run = subprocess.run(
        [lint, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[-4000:]
    assert "2 kept, 0 broken" in run.stdout
