"""Runner behaviour that the HTTP tests do not reach: Ctrl-C, HTTP-date Retry-After, jitter."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from filmfs.errors import ProviderError
from filmfs.providers import capabilities
from filmfs.providers.base import GenerationRequest, Job, JobStatus
from filmfs.providers.runner import RetryPolicy, run
from tests.providers.plugin_samples import EchoProvider

REQUEST = GenerationRequest(
    shot_id="1", attempt_number=1, prompt="p", duration=1, width=64, height=64, fps=1
)


class InterruptedProvider(EchoProvider):
    """Raises KeyboardInterrupt in poll, as Ctrl-C would; records cancel calls."""

    def __init__(self) -> None:
        self.cancelled: list[str] = []

    def poll(self, job: Job) -> JobStatus:
        raise KeyboardInterrupt

    def cancel(self, job: Job) -> None:
        self.cancelled.append(job.task_id)
        raise ProviderError("cancel refused", provider=self.name)  # best effort: ignored


class NotVideoProvider(EchoProvider):
    def fetch(self, job: Job, status: JobStatus, dest: Path, *, max_bytes: int) -> None:
        dest.write_bytes(b'{"error": "nope"}')


def test_ctrl_c_cancels_the_task_and_propagates(tmp_path: Path) -> None:
    provider = InterruptedProvider()
    with pytest.raises(KeyboardInterrupt):
        run(provider, REQUEST, tmp_path / "v.mp4", sleep=lambda s: None)
    assert provider.cancelled == ["1"]


def test_runner_checks_content_even_if_the_provider_does_not(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match=r"not a video \(a JSON document\)"):
        run(NotVideoProvider(), REQUEST, tmp_path / "v.mp4", sleep=lambda s: None)


def test_backoff_grows_with_jitter_and_caps() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    rng = random.Random(1)
    waits = [policy.delay(n, rng, None) for n in range(1, 7)]
    for n, wait in enumerate(waits, start=1):
        ceiling = min(8.0, 2 ** (n - 1))
        assert ceiling / 2 <= wait <= ceiling
    assert policy.delay(1, rng, 30.0) == 8.0  # Retry-After is capped by max_delay
    assert policy.delay(1, rng, 3.0) == 3.0


class SlowProvider(EchoProvider):
    """Never finishes; records cancel calls."""

    def __init__(self) -> None:
        self.cancelled = 0

    def poll(self, job: Job) -> JobStatus:
        return JobStatus("running")

    def cancel(self, job: Job) -> None:
        self.cancelled += 1


class BuggyProvider(SlowProvider):
    """A plugin whose poll has a bug."""

    def poll(self, job: Job) -> JobStatus:
        raise ValueError("plugin bug")


def test_timeout_with_an_injected_clock(tmp_path: Path) -> None:
    provider = SlowProvider()
    ticks = iter(range(100))
    with pytest.raises(ProviderError, match="did not finish within 5 s"):
        run(
            provider,
            REQUEST,
            tmp_path / "v.mp4",
            timeout=5,
            sleep=lambda s: None,
            clock=lambda: float(next(ticks)),
        )
    assert provider.cancelled == 0  # giving up never cancels: the task may finish (and is paid)


def test_unexpected_errors_clean_up_but_do_not_cancel(tmp_path: Path) -> None:
    provider = BuggyProvider()
    dest = tmp_path / "v.mp4"
    dest.write_bytes(b"stale")
    with pytest.raises(ValueError, match="plugin bug"):
        run(provider, REQUEST, dest, sleep=lambda s: None)
    assert provider.cancelled == 0  # only the user's Ctrl-C cancels
    assert not dest.exists()


def test_ctrl_c_says_whether_the_service_refunds(tmp_path: Path) -> None:
    provider = InterruptedProvider()
    seen: list[str] = []
    caps = replace(capabilities.for_provider("echo"), refund="echo refunds everything")
    with pytest.raises(KeyboardInterrupt):
        run(
            provider,
            REQUEST,
            tmp_path / "v.mp4",
            sleep=lambda s: None,
            caps=caps,
            on_progress=lambda p: seen.append(p.message),
        )
    assert provider.cancelled == ["1"]
    assert any("echo refunds everything" in m for m in seen)


class FinishesAt(EchoProvider):
    """Running until the (simulated) clock passes ``done_at`` seconds."""

    def __init__(self, clock: list[float], done_at: float) -> None:
        self.clock, self.done_at = clock, done_at

    def poll(self, job: Job) -> JobStatus:
        return JobStatus("succeeded" if self.clock[0] >= self.done_at else "running")

    def fetch(self, job: Job, status: JobStatus, dest: Path, *, max_bytes: int) -> None:
        dest.write_bytes(b"\x00\x00\x00\x20ftypisom" + bytes(32))


@pytest.mark.parametrize("done_at", [1.0, 7.0, 180.0])
def test_polls_notice_a_finished_task_within_a_fifth_of_its_time(
    tmp_path: Path, done_at: float
) -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    provider = FinishesAt(now, done_at)
    run(provider, REQUEST, tmp_path / "v.mp4", poll_interval=0.5, sleep=sleep, clock=lambda: now[0])
    assert waits[0] == 0.5  # the first poll is right after submit, the second soon after
    assert all(0.5 <= w <= 15.0 for w in waits)
    assert done_at <= now[0] <= max(done_at * 1.2, done_at + 0.5)
    assert len(waits) <= 40  # a 3-minute task is not polled every half second
