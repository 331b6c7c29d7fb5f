"""filmfs: a film kept as code. ``filmfs.open(path)`` is the Python API (see filmfs.api.repo)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from filmfs.version import VERSION

if TYPE_CHECKING:
    from filmfs.api.repo import FilmRepo

__version__ = VERSION


def open(path: Path | str = ".") -> FilmRepo:
    """Open the film at ``path`` for scripts and notebooks."""
    from filmfs.api.repo import FilmRepo

    return FilmRepo(path)
