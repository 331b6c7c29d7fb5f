"""Provider-specific request and response shapes (shared behaviour: test_http_providers)."""

from __future__ import annotations

import base64
import email.utils
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from filmfs.errors import ProviderError, TaskEnded
from filmfs.providers.base import GenerationRequest
from filmfs.providers.fal import FalProvider
from filmfs.providers.luma import LumaProvider
from filmfs.providers.minimax import MiniMaxProvider
from filmfs.providers.replicate import ReplicateProvider
from filmfs.providers.runner import run
from filmfs.providers.runway import RunwayProvider
from tests.providers.fakes import FakeFal, FakeLuma, FakeReplicate, FakeRunway, FakeServer, Reply

REQUEST = GenerationRequest(
    shot_id="03C",
    attempt_number=1,
    prompt="[Pan left] a fox",
    duration=8,
    width=1920,
    height=1080,
    fps=24,
    seed=5,
    params={"prompt_optimizer": False},
)


def nosleep(seconds: float) -> None:
    pass


def test_minimax_hailuo_body_and_cost(minimax_fake: FakeServer, tmp_path: Path) -> None:
    provider = MiniMaxProvider(base_url=minimax_fake.base_url, api_key=minimax_fake.api_key)
    req = GenerationRequest(**{**REQUEST.__dict__, "model": "MiniMax-Hailuo-02"})
    result = run(provider, req, tmp_path / "v.mp4", sleep=nosleep)
    [create] = minimax_fake.calls("/v1/video_generation")
    # No seed (MiniMax has none); 8 s -> 10 s, which 1080P does not offer -> 768P.
    assert create.body == {
        "model": "MiniMax-Hailuo-02",
        "prompt": "[Pan left] a fox",
        "prompt_optimizer": False,
        "duration": 10,
        "resolution": "768P",
    }
    [retrieve] = minimax_fake.calls("/v1/files/retrieve")
    assert retrieve.query["file_id"] == ["900000001"]
    assert result.cost == Decimal("0.56") and result.cost_basis == "estimate"
    assert dict(result.job.data["sent"]) == {
        "model": "MiniMax-Hailuo-02",
        "prompt_optimizer": False,
        "duration": 10,
        "resolution": "768P",
    }


def test_minimax_sensitive_prompt_is_not_retried(minimax_fake: FakeServer, tmp_path: Path) -> None:
    minimax_fake.script(
        "submit",
        Reply(200, {"base_resp": {"status_code": 1026, "status_msg": "input new_sensitive"}}),
    )
    provider = MiniMaxProvider(base_url=minimax_fake.base_url, api_key=minimax_fake.api_key)
    with pytest.raises(ProviderError) as info:
        run(provider, REQUEST, tmp_path / "v.mp4", sleep=nosleep)
    assert "MiniMax error 1026" in str(info.value) and "reword" in str(info.value)
    assert len(minimax_fake.calls("/v1/video_generation")) == 1


def test_minimax_unknown_model_has_no_cost() -> None:
    from filmfs.providers.base import Job

    job = Job(provider="minimax", task_id="1", model="MiniMax-Hailuo-99")
    assert MiniMaxProvider(api_key="k").cost(REQUEST, job) is None


def test_replicate_list_output_and_version_model(
    fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(FakeReplicate)
    fake.output_list = True  # type: ignore[attr-defined]
    provider = ReplicateProvider(base_url=fake.base_url, api_key=fake.api_key)
    req = GenerationRequest(**{**REQUEST.__dict__, "model": "acme/vid:abc123"})
    result = run(provider, req, tmp_path / "v.mp4", sleep=nosleep)
    [create] = fake.calls("/v1/predictions", "POST")
    assert create.path == "/v1/predictions"
    # An unknown model gets the conservative defaults: no seed is sent.
    assert create.body == {
        "version": "abc123",
        "input": {"prompt": "[Pan left] a fox", "prompt_optimizer": False},
    }
    assert result.cost is None


def test_replicate_data_uri_output(
    replicate_fake: FakeServer, tmp_path: Path, sample_mp4: Path
) -> None:
    uri = "data:video/mp4;base64," + base64.b64encode(sample_mp4.read_bytes()).decode()
    replicate_fake.script("poll", Reply(200, {"id": "x", "status": "succeeded", "output": uri}))
    provider = ReplicateProvider(base_url=replicate_fake.base_url, api_key=replicate_fake.api_key)
    run(provider, REQUEST, tmp_path / "v.mp4", sleep=nosleep)
    assert (tmp_path / "v.mp4").read_bytes() == sample_mp4.read_bytes()


def test_replicate_http_date_retry_after(replicate_fake: FakeServer, tmp_path: Path) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    replicate_fake.script("submit", Reply(429, {"detail": "throttled"}, {"Retry-After": when}))
    waits: list[float] = []
    provider = ReplicateProvider(base_url=replicate_fake.base_url, api_key=replicate_fake.api_key)
    run(provider, REQUEST, tmp_path / "v.mp4", sleep=waits.append)
    assert 18 <= waits[0] <= 20


def test_fal_uses_the_urls_from_submit(
    fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(FakeFal, latency=0.2)
    provider = FalProvider(base_url=fake.base_url, api_key=fake.api_key)
    req = GenerationRequest(
        **{**REQUEST.__dict__, "model": "fal-ai/minimax/hailuo-02/standard/text-to-video"}
    )
    details: list[str] = []
    run(
        provider,
        req,
        tmp_path / "v.mp4",
        poll_interval=0.02,
        on_progress=lambda p: details.append(p.message),
    )
    [create] = fake.calls("/fal-ai/minimax/hailuo-02/standard/text-to-video", "POST")
    # Hailuo-02 on fal: duration as a string, no seed (the schema has none).
    assert create.body == {
        "prompt": "[Pan left] a fox",
        "duration": "10",
        "prompt_optimizer": False,
    }
    polls = fake.calls("/fal-ai/minimax/requests/", "GET")
    assert polls and all("hailuo-02" not in r.path for r in polls)  # subpath dropped
    assert "queued queue position 0" in details


def test_fal_5xx_at_result_fetch_is_the_request_failing(
    fal_fake: FakeServer, tmp_path: Path
) -> None:
    """fal answers a failed request's result with a non-2xx, 5xx included: a failure, not an
    outage to retry ("poll failed 5 times")."""
    fal_fake.script(
        "result", Reply(503, {"detail": "runner unavailable", "error_type": "runner_unavailable"})
    )
    provider = FalProvider(base_url=fal_fake.base_url, api_key=fal_fake.api_key)
    with pytest.raises(TaskEnded, match=r"HTTP 503: runner unavailable"):
        run(provider, REQUEST, tmp_path / "v.mp4", sleep=nosleep)
    assert len([r for r in fal_fake.requests if r.path.endswith("/status")]) == 1


def test_fal_completed_with_error_is_a_failure(fal_fake: FakeServer, tmp_path: Path) -> None:
    fal_fake.completed_error = True  # type: ignore[attr-defined]
    provider = FalProvider(base_url=fal_fake.base_url, api_key=fal_fake.api_key)
    with pytest.raises(
        TaskEnded, match=r"Internal server error while running \[runner_server_error\]"
    ):
        run(provider, REQUEST, tmp_path / "v.mp4", sleep=nosleep)
    results = [
        r for r in fal_fake.requests if "/requests/" in r.path and not r.path.endswith("/status")
    ]
    assert results == [], "the result of a failed request was fetched"
    assert not fal_fake.calls("/files/")


def test_fal_refuses_to_send_the_key_elsewhere(fal_fake: FakeServer, tmp_path: Path) -> None:
    fal_fake.script(
        "submit",
        Reply(
            200,
            {
                "request_id": "r1",
                "status_url": "https://evil.example/requests/r1/status",
                "response_url": "https://evil.example/requests/r1",
            },
        ),
    )
    provider = FalProvider(base_url=fal_fake.base_url, api_key=fal_fake.api_key)
    with pytest.raises(ProviderError, match=r"refusing to send FAL_KEY to 'evil\.example'"):
        run(provider, REQUEST, tmp_path / "v.mp4", sleep=nosleep)


def test_runway_body_headers_and_image_to_video(
    fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(FakeRunway)
    provider = RunwayProvider(base_url=fake.api_base, api_key=fake.api_key)
    run(provider, REQUEST, tmp_path / "v.mp4", sleep=nosleep)
    [create] = fake.calls("/v1/text_to_video")
    assert create.headers["x-runway-version"] == "2024-11-06"
    assert create.body == {
        "model": "veo3.1_fast",
        "promptText": "[Pan left] a fox",
        "ratio": "1920:1080",
        "duration": 8,
        "seed": 5,
        "prompt_optimizer": False,
    }
    i2v = GenerationRequest(
        **{
            **REQUEST.__dict__,
            "model": "gen4_turbo",
            "duration": 5,
            "params": {},
            "first_frame": "https://example.com/a.png",
        }
    )
    result = run(provider, i2v, tmp_path / "w.mp4", sleep=nosleep)
    [create] = fake.calls("/v1/image_to_video")
    assert create.body["promptImage"] == "https://example.com/a.png"
    assert create.body["ratio"] == "1280:720" and create.body["model"] == "gen4_turbo"
    # Runway reports the final cost: 50 credits at $0.01.
    assert result.cost == Decimal("0.50") and result.cost_basis == "provider"


def test_runway_gen4_turbo_without_an_image_is_refused_before_any_request(
    fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(FakeRunway)
    provider = RunwayProvider(base_url=fake.api_base, api_key=fake.api_key)
    req = GenerationRequest(**{**REQUEST.__dict__, "model": "gen4_turbo", "params": {}})
    with pytest.raises(ProviderError, match="image-to-video only"):
        run(provider, req, tmp_path / "v.mp4", sleep=nosleep)
    assert not fake.requests


def test_runway_gen45_text_to_video_on_a_1080p_film_sends_1280x720(
    fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(FakeRunway)
    provider = RunwayProvider(base_url=fake.api_base, api_key=fake.api_key)
    req = GenerationRequest(**{**REQUEST.__dict__, "model": "gen4.5", "params": {}})
    run(provider, req, tmp_path / "v.mp4", sleep=nosleep)
    [create] = fake.calls("/v1/text_to_video")
    assert create.body["ratio"] == "1280:720" and create.body["duration"] == 8


def test_runway_is_polled_no_more_than_every_five_seconds(
    fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(FakeRunway)
    pending = Reply(200, {"id": "x", "status": "PENDING", "estimatedCost": {"credits": 80}})
    running = Reply(200, {"id": "x", "status": "RUNNING", "progress": 0.2})
    fake.script("poll", pending, running, running, running)
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    provider = RunwayProvider(base_url=fake.api_base, api_key=fake.api_key)
    run(provider, REQUEST, tmp_path / "v.mp4", sleep=sleep, clock=lambda: now[0])
    assert len(fake.calls("/v1/tasks/", "GET")) == 5
    assert len(waits) == 4 and all(w >= 5.0 for w in waits)


def test_luma_body(fake_factory: Callable[..., FakeServer], tmp_path: Path) -> None:
    fake = fake_factory(FakeLuma)
    provider = LumaProvider(base_url=fake.api_base, api_key=fake.api_key)
    req = GenerationRequest(
        **{**REQUEST.__dict__, "width": 720, "height": 1280, "duration": 5, "params": {}}
    )
    result = run(provider, req, tmp_path / "v.mp4", sleep=nosleep)
    [create] = fake.calls("/dream-machine/v1/generations", "POST")
    assert create.path == "/dream-machine/v1/generations/video"  # the current SDK's path
    assert create.body == {
        "prompt": "[Pan left] a fox",
        "model": "ray-2",
        "aspect_ratio": "9:16",
        "resolution": "720p",
        "duration": "5s",
    }  # no seed: Luma has none
    assert result.cost == Decimal("0.40") and result.cost_basis == "estimate"
