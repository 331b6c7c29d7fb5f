"""Takes record what they were made from; `generate --stale` remakes exactly the stale shots."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from filmfs.cli import cli


def run(film: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "-C", str(film)])
    assert result.exit_code == 0, result.output
    return result.output


def test_generate_stale_remakes_exactly_the_stale_shots(film_repo: Path) -> None:
    run(film_repo, "generate", "01A", "01B", "01C")
    take = yaml.safe_load((film_repo / "shots/01A/takes/001.yaml").read_text())
    assert set(take["inputs"]["parts"]) >= {"prompt", "negative prompt", "model", "style"}
    assert "nothing to generate: no shot's selected take is stale" in run(
        film_repo, "generate", "--stale"
    )

    shot = film_repo / "shots/01A/shot.yaml"
    shot.write_text(shot.read_text().replace("slow push in", "slow pull out"))
    status = json.loads(run(film_repo, "status", "--json"))
    assert status["stale"] == ["01A"]
    assert {r["shot_number"]: r["stale"] for r in status["shots"]}["01A"] == ["prompt"]
    assert "take 1 4.0s (stale: prompt)" in run(film_repo, "tree")
    # The pull request's view: the change leaves 01A stale, and says why.
    diff = run(film_repo, "diff")
    assert "1 shot(s) now stale" in diff and "01A take 1: prompt changed" in diff
    comment = run(film_repo, "diff", "--format", "markdown")
    assert "shot(s) now stale" in comment and "01A take 1: prompt changed" in comment
    assert json.loads(run(film_repo, "diff", "--format", "json"))["totals"]["newly_stale"] == [
        {"shot": "01A", "attempt": 1, "changed": ["prompt"]}
    ]

    page = film_repo / "review.html"
    run(film_repo, "review", "--out", str(page))
    assert "stale: prompt changed" in page.read_text()

    out = run(film_repo, "generate", "--stale")
    assert "01A: take 2" in out and "01B" not in out and "01C" not in out
    run(film_repo, "select", "01A", "2")
    assert json.loads(run(film_repo, "status", "--json"))["stale"] == []
