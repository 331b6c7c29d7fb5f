from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_FILM = REPO / "example-film"
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the example film (tests may write to it)."""
    import shutil

    target = tmp_path / "film"
    shutil.copytree(EXAMPLE_FILM, target, ignore=shutil.ignore_patterns(".filmfs", "*.mp4"))
    return target
