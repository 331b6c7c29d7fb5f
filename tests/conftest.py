from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_FILM = REPO / "example-film"
CASES = Path(__file__).resolve().parent / "cases"


def copy_example(target: Path, *, schemas: bool = True) -> Path:
    """A copy of example-film/ as Git tracks it, never what the README's "Try it" wrote into it.

    "Try it" generates takes, fills the store and records a final_edit in example-film/
    (uncommitted); the tests must pass after it in the same checkout. So the copy holds only
    the tracked files, with their staged content (``git checkout-index``); outside a Git
    checkout (an unpacked sdist) the folder is copied without what filmfs writes into it.
    """
    import shutil
    import subprocess

    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--", EXAMPLE_FILM.name],
        capture_output=True,
        check=False,
    )
    files = [name for name in listed.stdout.decode().split("\0") if name]
    if listed.returncode != 0 or not files:
        shutil.copytree(
            EXAMPLE_FILM,
            target,
            ignore=shutil.ignore_patterns(".filmfs", "*.mp4", "takes", "review"),
        )
        _schemas_beside(target, schemas)
        return target
    staging = target.parent / f".{target.name}.checkout"
    subprocess.run(
        ["git", "-C", str(REPO), "checkout-index", "-z", "--stdin", f"--prefix={staging}/"],
        input="\0".join(files).encode(),
        check=True,
    )
    (staging / EXAMPLE_FILM.name).rename(target)
    staging.rmdir()
    _schemas_beside(target, schemas)
    return target


def swap_scenes(film: Path) -> None:
    """Swap the contents of scenes/01.yaml and scenes/02.yaml by renames (no write to either)."""
    first, second = film / "scenes/01.yaml", film / "scenes/02.yaml"
    spare = film / "scenes/spare"
    first.rename(spare)
    second.rename(first)
    spare.rename(second)


def _schemas_beside(target: Path, wanted: bool) -> None:
    """The example film's modelines point at ../schemas, as it sits in this repository; put the
    schemas there too, so the copy's lines resolve (``wanted=False``: a film copied away)."""
    import shutil

    beside = target.parent / "schemas"
    if wanted and not beside.exists():
        shutil.copytree(REPO / "schemas", beside)


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the example film (tests may write to it)."""
    return copy_example(tmp_path / "film")


def write_take(
    film: Path,
    shot: str,
    attempt: int,
    *,
    selected: bool = False,
    cost: float | None = 0.5,
    score: float | None = None,
    notes: str = "",
    duration: float = 4.0,
    video: bool = True,
) -> str:
    """Write shots/<shot>/takes/<NNN>.yaml with a literal video block; returns the video sha256."""
    import hashlib

    import yaml

    sha = hashlib.sha256(f"{shot}/{attempt}".encode()).hexdigest()
    data: dict[str, object] = {
        "attempt_number": attempt,
        "selected": selected,
        "generation_params": {"provider": "testcard", "model": "bars", "seed": attempt},
    }
    if cost is not None:
        data["generation_cost"] = cost
    if score is not None:
        data["quality_score"] = score
    if notes:
        data["director_notes"] = notes
    if video:
        data["video"] = {
            "sha256": sha,
            "size": 1000 + attempt,
            "duration": duration,
            "width": 1280,
            "height": 720,
            "fps": 24,
            "codec": "h264",
            "format": "mp4",
        }
    path = film / "shots" / shot / "takes" / f"{attempt:03d}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return sha


@pytest.fixture
def film_with_takes(example_copy: Path) -> Path:
    """The example film with takes: 01A has three (2 selected), 01C one (selected), 02A one."""
    write_take(example_copy, "01A", 1, cost=0.5, score=6, notes="too dark")
    write_take(
        example_copy, "01A", 2, selected=True, cost=0.75, score=8.5, notes="Perfect!", duration=4.2
    )
    write_take(example_copy, "01A", 3, cost=0.25, score=None, video=False)
    write_take(example_copy, "01C", 1, selected=True, cost=1.0, score=7, duration=5.0)
    write_take(example_copy, "02A", 1, cost=0.5, score=5)
    return example_copy


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a throwaway PostgreSQL server (see tests/postgres.py)."""
    from tests.postgres import server

    yield from server()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server; dropped afterwards."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = "filmfs_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield urlunsplit(urlsplit(pg_server)._replace(path=f"/{name}"))
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
