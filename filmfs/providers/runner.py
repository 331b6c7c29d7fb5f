"""Driving one provider through one generation: submit, poll, fetch, with back-off.

``run`` is a plain function with no global state, so many runs can share a thread pool; each
run owns its random generator (for jitter), its clock and its cancel event. Retryable
:class:`~filmfs.errors.ProviderError` s (rate limits, 5xx, dropped connections) are retried
with exponential back-off and full jitter, honouring the provider's Retry-After; anything
else propagates at once.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from filmfs.errors import GenerationCancelled, ProviderError
from filmfs.providers.base import GenerationRequest, Job, JobStatus, Provider
from filmfs.providers.video import check_video

T = TypeVar("T")

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_POLL_INTERVAL = 0.5
POLL_FRACTION = 0.2
"""Between polls, wait this share of the time the task has run so far (at least
``poll_interval``, at most ``max_poll_interval``): a task is then noticed at most 20% after
it finished, whether it takes 1 s or 5 min, for about 30 polls over a 3-minute task."""


@dataclass(frozen=True)
class Progress:
    """One step of a run, for a progress display: ``stage`` is submit/poll/fetch/retry/done."""

    stage: str
    message: str
    elapsed: float
    job: Job | None = None


@dataclass(frozen=True)
class RunResult:
    """A finished generation: the video is at ``path``."""

    job: Job
    status: JobStatus
    path: Path
    bytes: int
    container: str
    """``mp4`` or ``webm``."""
    cost: float | None
    """Estimated USD from the provider's price table; None when unknown."""
    elapsed: float
    submit_attempts: int
    polls: int


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per step and the back-off curve (seconds)."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None) -> float:
        """Wait before retry ``attempt`` (1-based): Retry-After if given, else full jitter."""
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return rng.uniform(ceiling / 2, ceiling)


ProgressCallback = Callable[[Progress], None]


class _Run:
    def __init__(
        self,
        provider: Provider,
        *,
        sleep: Callable[[float], None] | None,
        cancel: threading.Event | None,
        on_progress: ProgressCallback | None,
        policy: RetryPolicy,
        clock: Callable[[], float],
    ) -> None:
        self.provider = provider
        self.cancel_event = cancel
        self.on_progress = on_progress
        self.policy = policy
        self.clock = clock
        self.start = clock()
        self.rng = random.Random()
        self._sleep = sleep
        self.job: Job | None = None
        self.finished = False
        """The task reached a terminal state, so there is nothing to cancel."""

    def report(self, stage: str, message: str) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(stage, message, self.clock() - self.start, self.job))

    def check_cancel(self) -> None:
        if self.cancel_event is not None and self.cancel_event.is_set():
            raise GenerationCancelled(
                "generation cancelled", provider=self.provider.name, hint="run it again"
            )

    def pause(self, seconds: float) -> None:
        self.check_cancel()
        if self._sleep is not None:
            self._sleep(seconds)
        elif self.cancel_event is not None:
            self.cancel_event.wait(seconds)  # wakes at once when cancelled
        else:
            time.sleep(seconds)
        self.check_cancel()

    def retrying(self, stage: str, step: Callable[[], T]) -> tuple[T, int]:
        """Run ``step``; retry retryable ProviderErrors. Returns (value, attempts used)."""
        attempt = 1
        while True:
            self.check_cancel()
            try:
                return step(), attempt
            except ProviderError as exc:
                if not exc.retryable or isinstance(exc, GenerationCancelled):
                    raise
                if attempt >= self.policy.max_attempts:
                    raise ProviderError(
                        f"{stage} failed after {attempt} attempts; last error: {exc.detail}",
                        provider=exc.provider,
                        url=exc.url,
                        status=exc.status,
                        hint=exc.hint or "the provider is overloaded or down; try later",
                    ) from exc
                wait = self.policy.delay(attempt, self.rng, exc.retry_after)
                self.report("retry", f"{stage}: {exc.detail}; retrying in {wait:.1f} s")
                self.pause(wait)
                attempt += 1

    def cancel_job(self) -> None:
        if self.job is None or self.finished:
            return
        # Best effort: we are already failing or interrupted, the first error matters.
        with contextlib.suppress(Exception):
            self.provider.cancel(self.job)


def run(
    provider: Provider,
    request: GenerationRequest,
    dest: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = 15.0,
    timeout: float = 1800.0,
    sleep: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
    policy: RetryPolicy | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> RunResult:
    """Generate one take with ``provider`` and write the video to ``dest``.

    ``dest`` is a temp path the caller owns (and renames into place). ``timeout`` bounds the
    whole run in seconds; the first status poll is sent right after submit, then polls
    follow every :data:`POLL_FRACTION` of the elapsed time, never sooner than
    ``poll_interval`` nor later than ``max_poll_interval`` apart. ``sleep`` replaces the
    waiting (tests pass a fake, together with a
    matching ``clock`` if the time-out matters); by default the run waits on ``cancel``, so
    setting the event stops the run at once. On cancel, time-out, failure
    or Ctrl-C an unfinished task is cancelled best-effort, ``dest`` is removed, and
    GenerationCancelled, ProviderError (or ProviderNotConfigured) or KeyboardInterrupt is
    raised. Thread-safe: runs share nothing but the (stateless) provider.
    """
    r = _Run(
        provider,
        sleep=sleep,
        cancel=cancel,
        on_progress=on_progress,
        policy=policy or RetryPolicy(),
        clock=clock,
    )
    try:
        r.report("submit", f"submitting to {provider.name}")
        job, attempts = r.retrying("submit", lambda: provider.submit(request))
        r.job = job
        r.report("poll", f"task {job.task_id} submitted")
        status, polls = _wait(r, job, poll_interval, max_poll_interval, timeout)
        r.report("fetch", "downloading video")
        r.retrying("download", lambda: provider.fetch(job, status, dest, max_bytes=max_bytes))
        # Every provider should check, but a plugin may not: never let a non-video through.
        container = check_video(dest, provider=provider.name, url=status.result_url)
    except BaseException:
        # Whatever stopped us (provider error, Ctrl-C, a plugin's bug): a task we gave up on
        # should not keep running (and billing), and a half-written or rejected download
        # should not be mistaken for a video.
        r.cancel_job()
        dest.unlink(missing_ok=True)
        raise
    result = RunResult(
        job=job,
        status=status,
        path=dest,
        bytes=dest.stat().st_size,
        container=container,
        cost=provider.cost(request, job),
        elapsed=r.clock() - r.start,
        submit_attempts=attempts,
        polls=polls,
    )
    r.report("done", f"{result.bytes} bytes in {result.elapsed:.1f} s")
    return result


def _wait(
    r: _Run, job: Job, interval: float, max_interval: float, timeout: float
) -> tuple[JobStatus, int]:
    polls = 0
    failures = 0
    while True:
        if r.clock() - r.start > timeout:
            raise ProviderError(
                f"task {job.task_id} did not finish within {timeout:g} s",
                provider=job.provider,
                hint="raise the time-out or try again later",
            )
        r.check_cancel()
        try:
            status = r.provider.poll(job)
            failures = 0
        except ProviderError as exc:
            failures += 1
            if not exc.retryable:
                raise
            if failures >= r.policy.max_attempts:
                raise ProviderError(
                    f"poll failed {failures} times in a row; last error: {exc.detail}",
                    provider=exc.provider,
                    url=exc.url,
                    status=exc.status,
                    hint=exc.hint,
                ) from exc
            r.report("retry", f"poll: {exc.detail}")
            r.pause(r.policy.delay(failures, r.rng, exc.retry_after))
            continue
        polls += 1
        r.finished = status.done
        if status.state == "succeeded":
            return status, polls
        if status.state == "failed":
            raise ProviderError(
                f"task {job.task_id} failed: {status.detail or 'no reason given'}",
                provider=job.provider,
            )
        if status.state == "canceled":
            raise ProviderError(
                f"task {job.task_id} was cancelled by the provider {status.detail}".rstrip(),
                provider=job.provider,
            )
        r.report("poll", f"{status.state} {status.detail}".rstrip())
        if status.retry_after is not None:
            r.pause(status.retry_after)
        else:
            # A fixed 2 s interval growing x1.5 noticed a 1 s task after 2 s (bench/generate.py
            # measured 2.2x the ideal wall time); waiting a share of the elapsed time keeps
            # the overshoot proportional for short and long tasks alike.
            elapsed = r.clock() - r.start
            r.pause(min(max_interval, max(interval, POLL_FRACTION * elapsed)))
