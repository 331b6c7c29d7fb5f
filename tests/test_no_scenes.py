"""Scenes are optional: a film of three shots and no scene runs the whole pipeline, and every
query shows its shots hanging from the film (``contains_shot`` from the film, in shot order)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import git
import opentimelineio as otio
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from tests.conftest import CASES

ORDER = ["01A", "01B", "2A"]


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    assert "None" not in result.output, result.output
    return result.output


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("noscenes") / "film"
    shutil.copytree(CASES / "valid" / "no-scenes", target)
    repo = git.Repo.init(target)
    repo.git.add("--all")
    repo.git.execute(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"])
    _run("validate", str(target), "--strict")
    _run("generate", "--all", "-C", str(target))
    _run("assemble", "-C", str(target))
    return target


def test_it_generates_and_assembles(film: Path) -> None:
    data = json.loads(_run("validate", str(film), "--strict", "--format", "json"))
    assert data["ok"] and data["warnings"] == 0
    assert (film / "cut.mp4").is_file()
    head = git.Repo(film).head.commit
    assert head.message.startswith("assemble: final cut")


def test_queries_hang_the_shots_from_the_film(film: Path) -> None:
    shots = json.loads(_run("query", "shots", "--json", "-C", str(film)))
    assert [s["metadata"]["shot_number"] for s in shots] == ORDER
    assert [s["sequence"] for s in shots] == [1, 2, 3]
    tree = json.loads(_run("tree", "--json", "-C", str(film)))
    assert tree["scenes"] == []
    assert [s["shot_number"] for s in tree["shots"]] == ORDER
    text = _run("tree", "-C", str(film))
    assert text.splitlines()[1].startswith("  01A")
    status = json.loads(_run("status", "--json", "-C", str(film)))
    assert status["scenes"] == []
    assert [r["shot_number"] for r in status["shots"]] == ORDER
    assert "no scene" in _run("show", "01A", "-C", str(film))
    graph = json.loads(_run("graph", "--format", "json", "-C", str(film)))
    contains = [e for e in graph["edges"] if e["type"] == "contains_shot"]
    assert len(contains) == 3
    assert {e["parent"] for e in contains} == {graph["film_id"]}


def test_exports(film: Path, tmp_path: Path) -> None:
    db = tmp_path / "film.db"
    _run("export-sql", f"sqlite:///{db}", "-C", str(film))
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.type, r.sequence, s.name FROM asset_relationships r "
            "JOIN assets_v2 a ON a.id = r.parent_asset_id "
            "JOIN assets_v2 s ON s.id = r.child_asset_id "
            "WHERE r.relationship_type = 'contains_shot' ORDER BY r.sequence"
        ).fetchall()
    assert [(t, n) for t, n, _ in rows] == [("film", 1), ("film", 2), ("film", 3)]
    assert [name.split(" - ")[0] for _, _, name in rows] == [f"Shot {s}" for s in ORDER]
    timeline = tmp_path / "cut.otio"
    _run("export", str(timeline), "-C", str(film))
    read = otio.adapters.read_from_file(str(timeline))
    clips = list(read.video_tracks()[0].find_clips())
    assert [c.metadata["filmfs"]["shot"] for c in clips] == ORDER
    page = tmp_path / "review" / "index.html"
    _run("review", "--out", str(page), "-C", str(film))
    assert "Scene None" not in page.read_text()


def test_diff_of_a_film_without_scenes(film: Path) -> None:
    out = _run("diff", "HEAD~2", "HEAD", "-C", str(film))
    assert "added take 1" in out


def test_api_adds_a_shot_without_a_scene(film: Path, tmp_path: Path) -> None:
    import filmfs

    copy = tmp_path / "copy"
    shutil.copytree(film, copy, ignore=shutil.ignore_patterns(".git", ".filmfs", "*.mp4"))
    repo = filmfs.open(copy)
    repo.create_asset(
        "shot",
        "Shot 01AA - between",
        metadata={"shot_number": "01AA", "prompt": "in between", "duration_target": 1},
    )
    assert "scene" not in (copy / "shots" / "01AA" / "shot.yaml").read_text()
    assert list(repo.project.shots) == ["01A", "01AA", "01B", "2A"]
