"""The provider protocol: how filmfs asks a text-to-video service for one take.

A provider turns a :class:`GenerationRequest` into a video file in four steps, each a method:
``submit`` starts a task, ``poll`` reports its state, ``fetch`` downloads the finished video
to a path, and ``cost`` estimates what the task cost (in USD, as a Decimal,
from filmfs's capability data); a provider that reports a task's cost puts it in
:attr:`JobStatus.cost`. ``filmfs.providers.runner`` drives the steps with back-off, time-outs
and cancellation; providers themselves stay simple and stateless.

Third-party providers register a class (or a zero-argument factory) under the entry-point
group ``filmfs.providers``; see ``filmfs.providers.registry``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

State = Literal["queued", "running", "succeeded", "failed", "canceled"]
TERMINAL_STATES: frozenset[str] = frozenset({"succeeded", "failed", "canceled"})


@dataclass(frozen=True)
class GenerationRequest:
    """Everything a provider needs for one take of one shot."""

    shot_id: str
    attempt_number: int
    prompt: str
    duration: float
    width: int
    height: int
    fps: Fraction | int
    """Exact frames per second (the film's rate, e.g. 24000/1001)."""
    model: str | None = None
    seed: int | None = None
    negative_prompt: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    """Extra provider-specific inputs (for example ``prompt_optimizer``), passed through."""
    first_frame: str | None = None
    """An image (HTTPS URL or data URI) the video starts from: image-to-video."""
    last_frame: str | None = None
    """An image the video ends on, for models that take one."""
    reference_images: tuple[str, ...] = ()
    """Images of a subject or style, for models that take references."""
    audio: bool | None = None
    """Ask for sound (models that make it); None leaves the provider's default."""


@dataclass(frozen=True)
class Job:
    """A submitted task: the provider's own task id and whatever it needs to poll it."""

    provider: str
    task_id: str
    model: str
    data: Mapping[str, Any] = field(default_factory=dict)
    """Provider state to poll with (URLs), and ``sent``: the inputs sent besides the prompt."""


@dataclass(frozen=True)
class JobStatus:
    """One poll's answer."""

    state: State
    detail: str = ""
    """Failure text, queue position or progress, for the user."""
    result_url: str | None = None
    """Where the finished video can be downloaded, once ``state == "succeeded"``."""
    retry_after: float | None = None
    """Seconds the provider asked us to wait before the next poll, if it said."""
    cost: Decimal | None = None
    """USD the provider itself reports for the task (Runway), once it is final."""

    @property
    def done(self) -> bool:
        return self.state in TERMINAL_STATES


@runtime_checkable
class Provider(Protocol):
    """A text-to-video service (or the built-in offline ``testcard``)."""

    name: str
    default_model: str
    description: str

    def configured(self) -> tuple[bool, str]:
        """Whether the provider can run here, and why not (for ``filmfs providers``)."""
        ...

    def submit(self, request: GenerationRequest) -> Job:
        """Start a task; raise :class:`filmfs.errors.ProviderError` on refusal."""
        ...

    def poll(self, job: Job) -> JobStatus:
        """Report the task's state; transient HTTP failures raise a retryable ProviderError."""
        ...

    def fetch(self, job: Job, status: JobStatus, dest: Path, *, max_bytes: int) -> None:
        """Write the finished video to ``dest`` (a temp path the caller owns).

        Must stop at ``max_bytes`` and raise a ProviderError if the body is not a video.
        """
        ...

    def cancel(self, job: Job) -> None:
        """Best-effort cancel of a running task (Ctrl-C)."""
        ...

    def cost(self, request: GenerationRequest, job: Job) -> Decimal | float | None:
        """Estimated cost in USD of this task (Decimal; a plugin's float is converted), or
        None when unknown."""
        ...
