"""tree, show, query, status, graph and export-sql through the CLI, as text and JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from tests.conftest import CASES, REPO


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


def run_json(*args: str) -> Any:
    return json.loads(run(*args, "--json"))


def test_tree(film_with_takes: Path) -> None:
    film = str(film_with_takes)
    text = run("tree", "-C", film)
    # The film's target is film.yaml's total_duration (30 s; the shots' targets sum to 31 s).
    assert "Paper Boats  (target 30.0s, cut 9.2s, selected takes 9.2s)" in text
    assert "01A      4.0s  3 take(s), take 2 4.2s" in text
    assert "02A      5.0s  1 take(s), none selected" in text
    data = run_json("tree", "-C", film)
    assert [s["scene_number"] for s in data["scenes"]] == [1, 2]
    first = data["scenes"][0]["shots"][0]
    assert first == {
        "shot_number": "01A",
        "description": first["description"],
        "duration_target": 4.0,
        "takes": 3,
        "selected_take": 2,
        "selected_duration": 4.2,
        "cut_duration": 4.208,  # whole frames: 4.2 s at 24 fps is 101 frames
        "stale": None,  # the take recorded no inputs, so it cannot be judged
    }
    assert (data["total_duration"], data["duration_cut"], data["duration_target"]) == (
        30,
        9.208,
        31,
    )


def test_show(film_with_takes: Path) -> None:
    text = run("show", "01A", "-C", str(film_with_takes))
    assert "takes (3, total cost 1.50, mean score 7.2; * = selected)" in text
    assert "* take 2" in text and "Perfect!" in text
    assert "audio: rain-ambience" in text
    data = run_json("show", "01C", "-C", str(film_with_takes))
    assert data["characters"] == ["mira", "tomas"]
    assert data["takes"][0]["selected"] is True
    assert data["total_cost"] == 1.0


def test_query_takes_and_selected_video(film_with_takes: Path) -> None:
    film = str(film_with_takes)
    rows = run_json("query", "takes", "01A", "-C", film)
    assert [(r["attempt_number"], r["selected"], r["generation_cost"]) for r in rows] == [
        (1, False, 0.5),
        (2, True, 0.75),
        (3, False, 0.25),
    ]
    assert "* take 2" in run("query", "takes", "01A", "-C", film)
    video = run_json("query", "selected-video", "01A", "-C", film)
    assert video["metadata"]["width"] == 1280 and video["duration"] == 4.2
    assert "1280x720 24 fps h264/mp4" in run("query", "selected-video", "01A", "-C", film)
    assert run_json("query", "selected-video", "02A", "-C", film) is None
    assert "no selected take" in run("query", "selected-video", "02A", "-C", film)


def test_query_characters_cost_shots(film_with_takes: Path) -> None:
    film = str(film_with_takes)
    assert [c["key"] for c in run_json("query", "characters", "02A", "-C", film)] == [
        "mira",
        "tomas",
    ]
    assert "no characters" in run("query", "characters", "01A", "-C", film)
    cost = run_json("query", "cost", "-C", film)
    assert cost["total"] == 3.0 and cost["priced_takes"] == 5 and cost["direct"] is None
    assert cost["by_shot"]["01A"] == 1.5
    assert run("query", "cost", "-C", film).startswith("total 3.00 over 5 priced take(s)")
    shots = run_json("query", "shots", "-C", film)
    assert [(s["key"], s["sequence"]) for s in shots][:2] == [("01A", 1), ("01B", 2)]
    assert "   1  01A" in run("query", "shots", "-C", film)


def test_status(film_with_takes: Path) -> None:
    film = str(film_with_takes)
    data = run_json("status", "-C", film)
    assert data["film"]["attempts"] == 5
    assert data["film"]["cost"] == 3.0
    assert data["film"]["mean_quality"] == pytest.approx((6 + 8.5 + 7 + 5) / 4, abs=1e-3)
    assert data["film"]["shots_without_take"] == ["01B", "02B", "02C", "02D"]
    assert data["film"]["shots_without_selected_take"] == ["02A"]
    assert data["scenes"][0]["cost"] == 2.5
    first = data["shots"][0]
    assert first["duration_delta"] == pytest.approx(0.2)
    text = run("status", "-C", film)
    assert "takes but none selected: 02A" in text
    assert "no take yet: 01B, 02B, 02C, 02D" in text


def test_graph_formats(film_with_takes: Path) -> None:
    film = str(film_with_takes)
    data = json.loads(run("graph", "--format", "json", "-C", film))
    assert {e["type"] for e in data["edges"]} >= {"contains_shot", "generation_attempt"}
    assert run("graph", "--format", "dot", "-C", film).startswith("digraph film {")
    mermaid = run("graph", "-C", film)
    assert mermaid.startswith("flowchart LR") and "-->|generation_attempt 2|" in mermaid


def test_unknown_shot_and_invalid_film(film_with_takes: Path) -> None:
    out = run("show", "09Z", "-C", str(film_with_takes), code=1)
    assert "no shot '09Z'" in out and "01A" in out
    out = run("tree", "-C", str(CASES / "invalid" / "missing-scene"), code=1)
    assert "error(s)" in out and ".yaml:" in out


def test_real_subprocess(film_with_takes: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "filmfs", "query", "cost", "--json"],
        cwd=film_with_takes,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 3.0
