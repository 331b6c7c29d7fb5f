"""Money and provenance in `filmfs generate`: dry run, budget, gates, reported cost, secrets.

Real HTTP against the local fake servers (tests/providers/); the film is the example film.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import git
import pytest
from click.testing import CliRunner, Result

from filmfs.cli import cli
from tests.genfilm import small_film, takes_of
from tests.providers.fakes import API_KEY, FakeRunway, sample_video

RUNWAY_ENV = {"RUNWAYML_API_SECRET": API_KEY}


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_video(tmp_path_factory.mktemp("video") / "sample.mp4")


@pytest.fixture
def runway(video: Path) -> Iterator[FakeRunway]:
    with FakeRunway(video) as fake:
        assert isinstance(fake, FakeRunway)
        yield fake


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return small_film(tmp_path / "film", provider="runway")


def run(fake: FakeRunway, *args: str) -> Result:
    env = {"FILMFS_RUNWAY_BASE_URL": fake.base_url, **RUNWAY_ENV}
    return CliRunner().invoke(cli, list(args), env=env)


def set_film(film: Path, text: str) -> None:
    path = film / "film.yaml"
    path.write_text(path.read_text() + text)


def test_dry_run_prices_every_shot_and_sends_nothing(film: Path, runway: FakeRunway) -> None:
    result = run(runway, "generate", "--missing", "--dry-run", "-C", str(film))
    assert result.exit_code == 0, result.output
    # veo3.1_fast on a 320x180 film: 1280:720; 4 s stays 4 s, 5 s snaps to 6 s (tie: longer).
    assert "01A  runway/veo3.1_fast  4 s, 1280:720  $0.60" in result.output
    assert "fit: duration 5 s -> 6 s (nearest; runway/veo3.1_fast makes 4/6/8 s)" in result.output
    assert "estimated total: $" in result.output and "nothing was sent" in result.output
    assert runway.requests == [], "a dry run sent a request"
    assert not any(takes_of(film, s) for s in ("01A", "01B"))


def test_budget_refuses_before_any_request_unless_told(film: Path, runway: FakeRunway) -> None:
    set_film(film, "budget:\n  per_run: 1.00\n")
    refused = run(runway, "generate", "--missing", "-C", str(film))
    assert refused.exit_code == 1
    assert "refusing to spend: this run would cost $" in refused.output
    assert "over budget.per_run $1.00" in refused.output and "--over-budget" in refused.output
    assert runway.requests == []
    dry = run(runway, "generate", "--missing", "--dry-run", "-C", str(film))
    assert dry.exit_code == 0 and "a real run would be refused" in dry.output
    allowed = run(runway, "generate", "01A", "01B", "--over-budget", "-C", str(film))
    assert allowed.exit_code == 0, allowed.output


def test_take_records_the_cost_runway_reports(film: Path, runway: FakeRunway) -> None:
    result = run(runway, "generate", "01A", "-C", str(film))
    assert result.exit_code == 0, result.output
    take = takes_of(film, "01A")[1]
    # The fake charges 10 credits/s; 4 s = 40 credits = $0.40 (the estimate said $0.60).
    assert take["generation_cost"] == 0.40 and take["generation_cost_basis"] == "provider"
    assert "$0.40," in result.output and "(estimate)" not in result.output
    params = take["generation_params"]
    assert isinstance(params, dict)
    assert params["seed"] == 2**31 - 1 & params["seed"]  # a seed was sent, and recorded
    [create] = runway.calls("/v1/text_to_video", "POST")
    assert create.body["seed"] == params["seed"] and create.body["ratio"] == "1280:720"
    assert "negativePrompt" in create.body  # veo3.1_fast takes one


def test_params_never_overwrite_provenance(film: Path, runway: FakeRunway) -> None:
    shot = film / "shots" / "01A" / "shot.yaml"
    forged = (
        "generation:\n  params:\n    provider: forged\n    model: forged\n    seed: 1\n"
        "    task_id: forged\n    prompt: forged\n"
    )
    shot.write_text(shot.read_text() + forged)
    result = run(runway, "generate", "01A", "-C", str(film))
    assert result.exit_code == 0, result.output
    params = takes_of(film, "01A")[1]["generation_params"]
    assert isinstance(params, dict)
    assert params["provider"] == "runway" and params["model"] == "veo3.1_fast"
    assert params["task_id"] != "forged" and params["prompt"] != "forged"
    assert params["params"]["task_id"] == "forged"  # kept, under its own key


def test_a_hostile_server_never_gets_the_key_into_the_film(film: Path, runway: FakeRunway) -> None:
    """The key in the task id and the download URL (and the status text): not in -v output,
    the take file, the commit, or an error."""
    runway.id_prefix = f"{API_KEY}-"
    result = run(runway, "generate", "01A", "-v", "-C", str(film))
    assert result.exit_code == 0, result.output
    assert API_KEY not in result.output
    text = (film / "shots" / "01A" / "takes" / "001.yaml").read_text()
    assert API_KEY not in text and "task_id: '***-task000001'" in text
    assert API_KEY not in git.Repo(film).git.log("-p", "--all")


def test_validate_fails_over_budget_and_under_the_gate(film: Path, runway: FakeRunway) -> None:
    assert run(runway, "generate", "01A", "-C", str(film)).exit_code == 0
    set_film(film, "budget:\n  total: 0.10\ngates:\n  min_selected_score: 7\n")
    checked = CliRunner().invoke(cli, ["validate", str(film), "--format", "json"])
    assert checked.exit_code == 1
    messages = [p["message"] for p in json.loads(checked.output)["problems"]]
    assert "the takes cost $0.40 in all, over the film's budget of $0.10" in messages
    assert any("has no quality_score; the film's gate" in m for m in messages)
