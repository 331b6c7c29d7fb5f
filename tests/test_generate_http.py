"""`filmfs generate` end to end against the local fake provider servers (real HTTP)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import git
import pytest
from click.testing import CliRunner, Result

from filmfs import layout
from filmfs.cli import cli
from filmfs.commands.generate import GenerateResult, generate
from filmfs.project import Project
from tests.genfilm import SHOTS, small_film, takes_of
from tests.providers.fakes import API_KEY, FakeMiniMax, FakeReplicate, Reply, sample_video

MINIMAX_ENV = {"MINIMAX_API_KEY": API_KEY}


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_video(tmp_path_factory.mktemp("video") / "sample.mp4")


@pytest.fixture
def minimax(video: Path) -> Iterator[FakeMiniMax]:
    with FakeMiniMax(video) as fake:
        assert isinstance(fake, FakeMiniMax)
        yield fake


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return small_film(tmp_path / "film", provider="minimax")


def run(fake: FakeMiniMax | FakeReplicate, *args: str, **env: str) -> Result:
    name = "MINIMAX" if isinstance(fake, FakeMiniMax) else "REPLICATE"
    env = {f"FILMFS_{name}_BASE_URL": fake.base_url, **env}
    return CliRunner().invoke(cli, list(args), env=env)


def manifests_text(film: Path) -> str:
    return "\n".join(
        p.read_text() for p in sorted(film.rglob("*.yaml")) if ".filmfs" not in p.parts
    )


def test_minimax_take_records_provider_model_task_and_cost(
    film: Path, minimax: FakeMiniMax, video: Path
) -> None:
    result = run(
        minimax, "generate", "01A", "--provider", "minimax", "-C", str(film), **MINIMAX_ENV
    )
    assert result.exit_code == 0, result.output
    assert "01A: take 1 (selected) via minimax/MiniMax-Hailuo-2.3, $0.28 (estimate)" in (
        result.output
    )
    [submit] = minimax.calls("/v1/video_generation", "POST")
    assert submit.body["model"] == "MiniMax-Hailuo-2.3"
    assert submit.body["prompt"].startswith("high-angle wide shot")
    # Only what the model takes: no seed, no negative prompt; 4 s snapped to 6 s at 768P.
    assert "seed" not in submit.body and "negative_prompt" not in submit.body
    assert (submit.body["duration"], submit.body["resolution"]) == (6, "768P")
    take = takes_of(film, "01A")[1]
    params = take["generation_params"]
    assert isinstance(params, dict)
    assert params["provider"] == "minimax" and params["model"] == "MiniMax-Hailuo-2.3"
    assert params["task_id"] == "task000001" and params["task_id"] in minimax.tasks
    assert "seed" not in params, "a seed was recorded although none was sent"
    assert "negative_prompt" not in params
    assert params["sent"] == {
        "model": "MiniMax-Hailuo-2.3",
        "prompt_optimizer": True,
        "duration": 6,
        "resolution": "768P",
    }
    assert params["fit"] == [
        "negative prompt not sent (minimax/MiniMax-Hailuo-2.3 takes none)",
        "duration 4 s -> 6 s (nearest; minimax/MiniMax-Hailuo-2.3 makes 6/10 s)",
    ]
    assert take["generation_cost"] == 0.28 and take["generation_cost_basis"] == "estimate"
    assert not list((film / ".filmfs" / "jobs").glob("*.json")), "the job record was kept"
    assert take["video"]["size"] == video.stat().st_size  # type: ignore[index]
    assert take["video"]["width"] == 160  # type: ignore[index]
    assert layout.object_path(film, take["video"]["sha256"]).read_bytes() == video.read_bytes()  # type: ignore[index]
    assert CliRunner().invoke(cli, ["validate", str(film), "--strict"]).exit_code == 0
    # The key went to the server in the header, and nowhere else.
    assert submit.headers["authorization"] == f"Bearer {API_KEY}"
    assert API_KEY not in result.output
    assert API_KEY not in manifests_text(film)
    assert API_KEY not in git.Repo(film).git.log("-p", "--all")


def test_failed_task_fails_its_shot_only(film: Path, minimax: FakeMiniMax) -> None:
    # -j 1 makes the order fixed: the first poll is 01A's, and the fake answers it "Fail".
    minimax.script(
        "poll",
        Reply(
            200,
            {
                "task_id": "task000001",
                "status": "Fail",
                "base_resp": {"status_code": 0, "status_msg": "success"},
            },
        ),
    )
    result = run(minimax, "generate", "--all", "-j", "1", "-C", str(film), **MINIMAX_ENV)
    assert result.exit_code == 1
    assert "01A: FAILED: minimax: task task000001 failed: MiniMax reported status Fail" in (
        result.output
    )
    assert "6 take(s) generated" in result.output
    assert "1 of 7 generation(s) failed" in result.output
    assert "Traceback" not in result.output
    assert not layout.takes_dir(film, "01A").exists() or takes_of(film, "01A") == {}
    for shot_id in SHOTS[1:]:
        assert list(takes_of(film, shot_id)) == [1]
    assert not list((film / ".filmfs" / "locks").glob("*.reserved"))
    head = git.Repo(film).head.commit
    assert head.message.startswith("generate 6 take(s) with minimax")
    assert "01A" not in head.message
    assert CliRunner().invoke(cli, ["validate", str(film), "--strict"]).exit_code == 0
    # The failed shot is what --missing picks up next.
    again = run(minimax, "generate", "--missing", "-C", str(film), **MINIMAX_ENV)
    assert again.exit_code == 0, again.output
    assert "1 take(s) generated" in again.output
    assert list(takes_of(film, "01A")) == [1]


def test_shots_can_use_different_providers(film: Path, minimax: FakeMiniMax, video: Path) -> None:
    shot = film / "shots" / "01B" / "shot.yaml"
    shot.write_text(shot.read_text() + "generation:\n  provider: replicate\n")
    with FakeReplicate(video) as replicate:
        result = CliRunner().invoke(
            cli,
            ["generate", "01A", "01B", "-C", str(film)],
            env={
                **MINIMAX_ENV,
                "FILMFS_MINIMAX_BASE_URL": minimax.base_url,
                "FILMFS_REPLICATE_BASE_URL": replicate.base_url,
                "REPLICATE_API_TOKEN": API_KEY,
            },
        )
        assert result.exit_code == 0, result.output
        assert len(replicate.calls("/v1/models/", "POST")) == 1
    assert takes_of(film, "01A")[1]["generation_params"]["provider"] == "minimax"  # type: ignore[index]
    assert takes_of(film, "01B")[1]["generation_params"]["provider"] == "replicate"  # type: ignore[index]
    assert git.Repo(film).head.commit.message.startswith(
        "generate 2 take(s) with minimax, replicate"
    )


def test_parallel_runs_in_threads_get_distinct_attempts(
    video: Path, film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CliRunner swaps process-wide state (stdout, environ), so threads call the command itself.
    results: list[GenerateResult] = []
    with FakeMiniMax(video, latency=0.3) as fake:
        monkeypatch.setenv("FILMFS_MINIMAX_BASE_URL", fake.base_url)
        monkeypatch.setenv("MINIMAX_API_KEY", API_KEY)

        def one() -> None:
            results.append(
                generate(Project.load(film), shot_ids=["01A", "01A"], jobs=2, commit=False)
            )

        threads = [threading.Thread(target=one) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [len(r.outcomes) for r in results] == [2, 2, 2]
    assert not [o.error for r in results for o in r.outcomes if o.error]
    assert sorted(o.attempt for r in results for o in r.outcomes) == [1, 2, 3, 4, 5, 6]
    takes = takes_of(film, "01A")
    assert sorted(takes) == [1, 2, 3, 4, 5, 6]
    assert sum(1 for t in takes.values() if t["selected"]) == 1
    assert len({t["generation_params"]["task_id"] for t in takes.values()}) == 6  # type: ignore[index]
