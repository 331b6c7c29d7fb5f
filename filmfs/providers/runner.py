"""Driving one provider through one generation: submit, poll, fetch, with back-off.

``run`` is a plain function with no global state, so many runs can share a thread pool; each
run owns its random generator (for jitter), its clock and its cancel event. Retryable
:class:`~filmfs.errors.ProviderError` s (rate limits, 5xx, dropped connections) are retried
with exponential back-off and full jitter, honouring the provider's Retry-After; anything
else propagates at once.

Money is at stake, so three rules hold (issue 14): a create request is sent again only after
an answer that means nothing was created (the provider's ``create_retry`` statuses, or an
error marked ``nothing_created``), never after a time-out or a dropped connection; the task
id is handed to ``on_submitted`` (which records it) before the first poll, and ``job=``
resumes such a task without submitting; a task is cancelled only when the user interrupts
(Ctrl-C or the cancel event), never because filmfs gave up polling or downloading, so a rerun
can pick it up. Every string a provider hands back reaches progress lines and errors only
through :func:`filmfs.providers.redact.scrub`.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeVar

from filmfs.errors import GenerationCancelled, ProviderError, TaskEnded
from filmfs.providers import capabilities
from filmfs.providers.base import GenerationRequest, Job, JobStatus, Provider
from filmfs.providers.capabilities import ProviderCaps
from filmfs.providers.redact import scrub
from filmfs.providers.video import check_video

T = TypeVar("T")

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_POLL_INTERVAL = 0.5
POLL_PATIENCE = 600.0
"""Seconds of failed polls in a row (network trouble, 5xx) before a run gives up on a task:
minutes, not a few retries; the task itself is left running, for a rerun to resume."""
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
    cost: Decimal | None
    """USD: what the provider reported, else the estimate from its price formula; None when
    neither is known."""
    cost_basis: Literal["provider", "estimate"] | None
    elapsed: float
    submit_attempts: int
    polls: int


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per step and the back-off curve (seconds)."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    poll_patience: float = POLL_PATIENCE

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
            shown = self.job and Job(self.job.provider, scrub(self.job.task_id), self.job.model, {})
            self.on_progress(Progress(stage, scrub(message), self.clock() - self.start, shown))

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

    def retrying(
        self, stage: str, step: Callable[[], T], *, may_retry: Callable[[ProviderError], bool]
    ) -> tuple[T, int]:
        """Run ``step``; retry retryable ProviderErrors. Returns (value, attempts used)."""
        attempt = 1
        while True:
            self.check_cancel()
            try:
                return step(), attempt
            except ProviderError as exc:
                if not exc.retryable or isinstance(exc, GenerationCancelled):
                    raise
                if not may_retry(exc):
                    raise ProviderError(
                        f"{stage} failed and was not sent again: {exc.detail}",
                        provider=exc.provider,
                        url=exc.url,
                        status=exc.status,
                        hint="the service may have created (and may bill) the task anyway; "
                        "check its dashboard before generating again",
                    ) from exc
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

    def cancel_job(self) -> bool:
        """Cancel the task (only ever on the user's interrupt); whether the request went out."""
        if self.job is None or self.finished:
            return False
        # Best effort: we are already interrupted, the first error matters.
        with contextlib.suppress(Exception):
            self.provider.cancel(self.job)
            return True
        return False


def _scrubbed(exc: ProviderError) -> ProviderError:
    """``exc`` with every string through the redaction point (same class and flags)."""
    clean = type(exc).__new__(type(exc))
    ProviderError.__init__(
        clean,
        scrub(exc.detail),
        provider=exc.provider,
        url=scrub(exc.url) if exc.url else exc.url,
        status=exc.status,
        retryable=exc.retryable,
        retry_after=exc.retry_after,
        hint=scrub(exc.hint) if exc.hint else exc.hint,
        nothing_created=exc.nothing_created,
    )
    return clean


def _as_decimal(value: Decimal | float | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))  # a plugin's float, by its shortest text


def run(
    provider: Provider,
    request: GenerationRequest,
    dest: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float | None = None,
    timeout: float = 1800.0,
    sleep: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
    on_submitted: Callable[[Job], None] | None = None,
    job: Job | None = None,
    policy: RetryPolicy | None = None,
    clock: Callable[[], float] = time.monotonic,
    caps: ProviderCaps | None = None,
) -> RunResult:
    """Generate one take with ``provider`` and write the video to ``dest``.

    ``dest`` is a temp path the caller owns (and renames into place). ``timeout`` bounds the
    whole run in seconds; the first status poll is sent right after submit, then polls
    follow every :data:`POLL_FRACTION` of the elapsed time, never sooner than ``poll_interval``
    or the provider's documented cadence (``caps.poll_min``, 5 s for Runway) nor later than
    ``max_poll_interval`` (default ``caps.poll_max``) apart. ``sleep`` replaces the waiting
    (tests pass a fake, together with a matching ``clock`` if the time-out matters); by
    default the run waits on ``cancel``, so setting the event stops the run at once.

    ``on_submitted(job)`` is called once the task exists and before it is polled (record it
    there); ``job`` resumes a recorded task instead of submitting. On the user's cancel or
    Ctrl-C the task is cancelled best-effort and GenerationCancelled or KeyboardInterrupt is
    raised; on a time-out, a failed download or polls failing for ``policy.poll_patience``
    seconds, the task is left alone (it may still finish, and is paid for) and a
    ProviderError says so. ``dest`` is removed whenever no video is returned. Thread-safe:
    runs share nothing but the (stateless) provider.
    """
    caps = caps or capabilities.for_provider(provider.name)
    r = _Run(
        provider,
        sleep=sleep,
        cancel=cancel,
        on_progress=on_progress,
        policy=policy or RetryPolicy(),
        clock=clock,
    )
    interval = max(poll_interval, caps.poll_min)
    longest = max(interval, caps.poll_max if max_poll_interval is None else max_poll_interval)

    def create_may_retry(exc: ProviderError) -> bool:
        return exc.nothing_created or exc.status in caps.create_retry

    attempts = 0
    try:
        try:
            if job is None:
                r.report("submit", f"submitting to {provider.name}")
                running, attempts = r.retrying(
                    "submit", lambda: provider.submit(request), may_retry=create_may_retry
                )
                r.job = running
                if on_submitted is not None:
                    on_submitted(running)
                r.report("poll", f"task {running.task_id} submitted")
            else:
                running = r.job = job
                r.report("poll", f"resuming task {running.task_id}")
            status, polls = _wait(r, running, interval, longest, timeout)
            r.report("fetch", "downloading video")
            r.retrying(
                "download",
                lambda: provider.fetch(running, status, dest, max_bytes=max_bytes),
                may_retry=lambda exc: True,
            )
            # Every provider should check, but a plugin may not: never let a non-video through.
            container = check_video(dest, provider=provider.name, url=status.result_url)
        except (GenerationCancelled, KeyboardInterrupt) as stop:
            # The user stopped us: a task they gave up on should not keep running (and billing).
            dest.unlink(missing_ok=True)
            if r.job is None or r.finished:
                raise
            how = {"none": "cannot be cancelled", "cancel": "cancelled", "delete": "deleted"}
            said = f"task {r.job.task_id} {how[caps.cancel_how]}: {caps.refund}"
            if caps.cancel_how != "none":
                r.cancel_job()
            r.report("cancel", said)
            if isinstance(stop, GenerationCancelled):
                raise GenerationCancelled(
                    f"generation cancelled; {said}", provider=provider.name, hint=stop.hint
                ) from None
            raise
        except BaseException:
            # Anything else (a failure, a time-out, a plugin's bug): leave the task alone (it
            # may finish and is paid for; a rerun resumes it), but never keep a half-written
            # or rejected download.
            dest.unlink(missing_ok=True)
            raise
    except ProviderError as exc:
        raise _scrubbed(exc) from exc.__cause__
    estimate = _as_decimal(provider.cost(request, running))
    result = RunResult(
        job=running,
        status=status,
        path=dest,
        bytes=dest.stat().st_size,
        container=container,
        cost=status.cost if status.cost is not None else estimate,
        cost_basis="provider"
        if status.cost is not None
        else ("estimate" if estimate is not None else None),
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
    failing_since: float | None = None
    kept = "the task is left running at the provider; run `filmfs generate` again to resume it"
    while True:
        if r.clock() - r.start > timeout:
            raise ProviderError(
                f"task {job.task_id} did not finish within {timeout:g} s",
                provider=job.provider,
                hint=f"{kept}, or raise --timeout",
            )
        r.check_cancel()
        try:
            status = r.provider.poll(job)
            failures, failing_since = 0, None
        except ProviderError as exc:
            if not exc.retryable:
                raise
            failures += 1
            now = r.clock()
            failing_since = now if failing_since is None else failing_since
            if now - failing_since >= r.policy.poll_patience:
                raise ProviderError(
                    f"polls failed for {now - failing_since:.0f} s ({failures} in a row); "
                    f"last error: {exc.detail}",
                    provider=exc.provider,
                    url=exc.url,
                    status=exc.status,
                    hint=kept,
                ) from exc
            # Back off up to a minute between failed polls, for ``poll_patience`` seconds.
            wait = r.policy.delay(min(failures, 8), r.rng, exc.retry_after)
            r.report("retry", f"poll: {exc.detail}; again in {wait:.1f} s")
            r.pause(wait)
            continue
        polls += 1
        r.finished = status.done
        if status.state == "succeeded":
            return status, polls
        if status.state == "failed":
            raise TaskEnded(
                f"task {job.task_id} failed: {status.detail or 'no reason given'}",
                provider=job.provider,
            )
        if status.state == "canceled":
            raise TaskEnded(
                f"task {job.task_id} was cancelled by the provider {status.detail}".rstrip(),
                provider=job.provider,
            )
        r.report("poll", f"{status.state} {status.detail}".rstrip())
        if status.retry_after is not None:
            r.pause(max(interval, status.retry_after))
        else:
            # A fixed 2 s interval growing x1.5 noticed a 1 s task after 2 s (bench/generate.py
            # measured 2.2x the ideal wall time); waiting a share of the elapsed time keeps
            # the overshoot proportional for short and long tasks alike.
            elapsed = r.clock() - r.start
            r.pause(min(max_interval, max(interval, POLL_FRACTION * elapsed)))
