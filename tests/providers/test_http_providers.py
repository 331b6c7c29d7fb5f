"""The three HTTP providers, end to end through the runner against local fake servers."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from filmfs.errors import GenerationCancelled, ProviderError, ProviderNotConfigured
from filmfs.providers import capabilities
from filmfs.providers.base import GenerationRequest
from filmfs.providers.capabilities import ProviderCaps
from filmfs.providers.runner import Progress, RetryPolicy, run
from tests.providers.cases import CASES, Case
from tests.providers.fakes import API_KEY, FakeServer, Reply

REQUEST = GenerationRequest(
    shot_id="01A",
    attempt_number=3,
    prompt="A red kite over dunes",
    duration=6,
    width=1280,
    height=720,
    fps=24,
)
POLICY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=5)


def fast(case: Case) -> ProviderCaps:
    """The provider's capabilities with a short poll cadence, for tests that wait in real time
    (the real cadences, 5 s for Runway and 10 s for MiniMax, are tested with a fake clock)."""
    return replace(capabilities.for_provider(case.name), poll_min=0.01, poll_max=0.05)


@pytest.fixture(params=CASES, ids=lambda c: c.name)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def fake(case: Case, fake_factory: Callable[..., FakeServer]) -> FakeServer:
    return fake_factory(case.fake)


def go(case: Case, fake: FakeServer, dest: Path, **kw: object) -> object:
    waits: list[float] = []
    kw.setdefault("sleep", waits.append)
    kw.setdefault("policy", POLICY)
    kw.setdefault("caps", fast(case))
    result = run(case.make(fake), REQUEST, dest, poll_interval=0.01, **kw)  # type: ignore[arg-type]
    return result, waits


def failure(case: Case, fake: FakeServer, dest: Path, **kw: object) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        go(case, fake, dest, **kw)
    assert API_KEY not in str(info.value), "the API key leaked into an error"
    return info.value


def test_success_downloads_the_video(
    case: Case, fake: FakeServer, tmp_path: Path, sample_mp4: Path
) -> None:
    dest = tmp_path / "take.mp4"
    result, _ = go(case, fake, dest)
    assert (
        hashlib.sha256(dest.read_bytes()).digest()
        == hashlib.sha256(sample_mp4.read_bytes()).digest()
    )
    assert result.container == "mp4" and result.bytes == sample_mp4.stat().st_size  # type: ignore[attr-defined]
    assert result.job.provider == case.name  # type: ignore[attr-defined]
    assert (result.cost is not None) == case.has_cost  # type: ignore[attr-defined]
    [create] = fake.calls(case.submit_path, "POST")
    assert create.headers["authorization"] == case.auth.format(key=API_KEY)
    assert create.headers["content-type"] == "application/json"
    assert case.prompt_of(create.body) == REQUEST.prompt
    if case.name == "minimax":
        assert create.body["model"] == "MiniMax-Hailuo-2.3"
    assert API_KEY not in repr(result), "the key would reach the manifest"
    downloads = fake.calls("/files/")
    assert len(downloads) == 1
    assert "authorization" not in downloads[0].headers, "key sent to the download host"


def test_task_failure_is_reported(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    fake.fail = True
    err = failure(case, fake, tmp_path / "take.mp4")
    assert "failed" in err.message and not err.retryable
    assert case.failure_text in err.message
    assert not fake.calls("/files/")
    assert not case.cancels(fake)  # a finished task needs no cancel
    assert not (tmp_path / "take.mp4").exists()


def test_rate_limit_storm_then_success(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    fake.script("submit", *[case.rate_limit] * 3)
    result, waits = go(case, fake, tmp_path / "take.mp4")
    assert result.submit_attempts == 4  # type: ignore[attr-defined]
    assert len(fake.calls(case.submit_path, "POST")) == 4
    if "Retry-After" in case.rate_limit.headers:
        assert waits[:3] == [2.0, 2.0, 2.0]
    else:  # MiniMax sends no Retry-After: exponential back-off
        assert 0 < waits[0] < waits[2] <= 0.04


def test_server_errors_then_success(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    """Polls are re-sent after 5xx; a create only after a status meaning nothing was made."""
    boom = Reply(503, b"<html>Service Unavailable</html>")
    if 503 in case.create_retry:
        fake.script("submit", boom)
    fake.script("poll", Reply(500, b"<html>Internal Server Error</html>"), boom)
    result, _ = go(case, fake, tmp_path / "take.mp4")
    assert result.submit_attempts == (2 if 503 in case.create_retry else 1)  # type: ignore[attr-defined]
    assert (tmp_path / "take.mp4").stat().st_size > 0


@pytest.mark.parametrize("status", [500, 502])
def test_create_is_not_sent_again_after_a_server_error(
    case: Case, fake: FakeServer, tmp_path: Path, status: int
) -> None:
    """A 5xx on create may hide a task that was made (and billed): never re-send it, unless
    the provider documents the status as load shedding (Runway 502-504)."""
    fake.script("submit", *[Reply(status, {"detail": "bad gateway", "error": "bad gateway"})] * 10)
    err = failure(case, fake, tmp_path / "take.mp4")
    posts = len(fake.calls(case.submit_path, "POST"))
    if status in case.create_retry:
        assert "after 4 attempts" in err.message and posts == 4
    else:
        assert "not sent again" in err.message and posts == 1
        assert "dashboard" in (err.hint or "")


def test_create_is_not_sent_again_after_a_timeout(
    case: Case, fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    """A create that times out may have made the task: one POST, whatever the provider."""
    fake = fake_factory(case.fake, delay={"submit": 1.0})
    with pytest.raises(ProviderError) as info:
        run(
            case.make(fake, timeout=0.3),
            REQUEST,
            tmp_path / "t.mp4",
            policy=POLICY,
            sleep=lambda s: None,
        )
    assert "timed out" in info.value.message and "not sent again" in info.value.message
    assert len(fake.calls(case.submit_path, "POST")) == 1


def test_download_that_stops_halfway(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    fake.download_mode = "truncate"
    err = failure(case, fake, tmp_path / "take.mp4")
    size = len(fake.video)
    # httpx may drop the last partial chunk when it detects the short body
    assert re.search(rf"video download stopped after \d+ of {size} bytes", err.message)
    assert not (tmp_path / "take.mp4").exists(), "a partial download was left behind"
    assert len(fake.calls("/files/")) == POLICY.max_attempts  # retryable: it was retried
    assert "signed-download-token" not in str(err)


def test_truncated_download_is_retryable(
    case: Case, fake: FakeServer, tmp_path: Path, sample_mp4: Path
) -> None:
    fake.download_mode = "truncate"
    with pytest.raises(ProviderError) as info:
        go(case, fake, tmp_path / "take.mp4", policy=RetryPolicy(max_attempts=1))
    assert info.value.__cause__ is not None
    assert info.value.__cause__.retryable  # type: ignore[attr-defined]


@pytest.mark.parametrize(("mode", "what"), [("html", "HTML"), ("json", "JSON")])
def test_body_that_is_not_a_video(
    case: Case, fake: FakeServer, tmp_path: Path, mode: str, what: str
) -> None:
    fake.download_mode = mode
    err = failure(case, fake, tmp_path / "take.mp4")
    assert "not a video" in err.message and what in err.message
    assert len(fake.calls("/files/")) == 1  # not retried


def test_oversized_download(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    err = failure(case, fake, tmp_path / "take.mp4", max_bytes=1000)
    assert "larger than the limit of 1000 bytes" in err.message
    assert not err.retryable


def test_missing_key(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    provider = case.make(fake, env={})
    ok, reason = provider.configured()
    assert not ok and case.key_env in reason
    with pytest.raises(ProviderNotConfigured) as info:
        run(provider, REQUEST, tmp_path / "take.mp4", sleep=lambda s: None)
    assert case.key_env in str(info.value)
    assert not fake.requests


def test_key_from_env_and_base_url_env(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    env = {case.key_env: API_KEY, case.provider.base_env: fake.api_base}
    provider = case.provider(env=env)
    assert provider.configured() == (True, "")
    run(provider, REQUEST, tmp_path / "take.mp4", sleep=lambda s: None)
    assert fake.calls(case.submit_path, "POST")


def test_wrong_key_never_shown(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    wrong = "sk-WRONG-do-not-print-42"
    provider = case.provider(base_url=fake.api_base, api_key=wrong)
    with pytest.raises(ProviderError) as info:
        run(provider, REQUEST, tmp_path / "take.mp4", sleep=lambda s: None)
    assert wrong not in str(info.value) and API_KEY not in str(info.value)
    assert not info.value.retryable


def test_cancel_event(case: Case, fake_factory: Callable[..., FakeServer], tmp_path: Path) -> None:
    fake = fake_factory(case.fake, latency=30.0)
    cancel = threading.Event()

    def progress(p: Progress) -> None:
        if p.stage == "poll" and p.message.startswith("queued"):
            cancel.set()

    with pytest.raises(GenerationCancelled):
        run(
            case.make(fake),
            REQUEST,
            tmp_path / "take.mp4",
            poll_interval=0.01,
            cancel=cancel,
            on_progress=progress,
            caps=fast(case),
        )
    if case.cancel_call is None:
        assert {r.method for r in fake.requests} <= {"POST", "GET"}
        assert len(fake.calls(case.submit_path)) == 1
    else:
        [call] = case.cancels(fake)
        assert call.headers["authorization"] == case.auth.format(key=API_KEY)


def test_timeout_gives_up_but_never_cancels(
    case: Case, fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(case.fake, latency=30.0)
    with pytest.raises(ProviderError) as info:
        run(
            case.make(fake),
            REQUEST,
            tmp_path / "take.mp4",
            poll_interval=0.02,
            timeout=0.3,
            caps=fast(case),
        )
    assert "did not finish within 0.3 s" in info.value.message
    assert "resume" in (info.value.hint or "")
    assert not case.cancels(fake), "a task filmfs gave up on was cancelled (and paid for)"


def test_concurrent_runs(
    case: Case, fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(case.fake, latency=0.3)
    provider = case.make(fake)

    def one(i: int) -> str:
        result = run(
            provider, REQUEST, tmp_path / f"take{i}.mp4", poll_interval=0.05, caps=fast(case)
        )
        return result.job.task_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(one, range(8)))
    assert len(set(ids)) == 8
    assert len(fake.calls("/files/")) == 8


def test_poll_errors_back_off_for_minutes_then_give_up_without_cancel(
    case: Case, fake: FakeServer, tmp_path: Path
) -> None:
    fake.script("poll", *[Reply(503, {"detail": "unavailable"})] * 200)
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    policy = RetryPolicy(max_attempts=4, base_delay=1, max_delay=60, poll_patience=600)
    err = failure(
        case,
        fake,
        tmp_path / "take.mp4",
        sleep=sleep,
        clock=lambda: now[0],
        policy=policy,
        timeout=3600,
    )
    assert "polls failed for" in err.message and "resume" in (err.hint or "")
    assert now[0] >= 600, "gave up after seconds, not minutes"
    assert max(waits) <= 60 and len(waits) < 60
    assert not case.cancels(fake), "a healthy, paid task was cancelled"


def test_poll_errors_then_recovery(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    fake.script("poll", *[Reply(503, {"detail": "unavailable"})] * 8)  # 5 used to give up
    result, _ = go(case, fake, tmp_path / "take.mp4")
    assert result.polls >= 1  # type: ignore[attr-defined]


def test_key_echoed_by_the_server_is_redacted(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    echo = {
        "detail": f"invalid request for key {API_KEY}",
        "error": f"key {API_KEY}",
        "base_resp": {"status_code": 2013, "status_msg": f"bad params, key {API_KEY}"},
    }
    fake.script("submit", Reply(400 if case.name != "minimax" else 200, echo))
    err = failure(case, fake, tmp_path / "take.mp4")  # asserts the key is absent
    assert "***" in str(err)


def test_key_echoed_in_a_non_json_body_is_redacted(
    case: Case, fake: FakeServer, tmp_path: Path
) -> None:
    fake.script("submit", Reply(400, f"<html>bad request for Bearer {API_KEY}</html>".encode()))
    err = failure(case, fake, tmp_path / "take.mp4")
    assert "***" in str(err)


def test_key_in_an_unknown_status_is_redacted(case: Case, fake: FakeServer, tmp_path: Path) -> None:
    weird = {
        "status": f"WEIRD {API_KEY}",
        "state": f"WEIRD {API_KEY}",
        "base_resp": {"status_code": 0},
    }
    fake.script("poll", Reply(200, weird))
    err = failure(case, fake, tmp_path / "take.mp4")
    assert "unknown" in err.message


def test_key_in_the_task_id_and_download_url_never_reaches_progress(
    case: Case, fake: FakeServer, tmp_path: Path
) -> None:
    if case.name == "minimax":
        pytest.skip("MiniMax's fake derives file ids from numeric task ids")
    fake.id_prefix = f"{API_KEY}-"
    seen: list[str] = []
    result, _ = go(case, fake, tmp_path / "take.mp4", on_progress=lambda p: seen.append(repr(p)))
    assert API_KEY in result.job.task_id  # type: ignore[attr-defined]  # the raw id polls
    assert seen and not any(API_KEY in line for line in seen)
