"""One attempt of one shot: submit (or resume) its task, then store the video and write the take.

Shared by ``generate`` for new attempts and for tasks a killed run left in ``.filmfs/jobs/``.
The task id is recorded (atomically) before the first poll and the record dropped only once
the take file is written, or once the task is over (failed, or cancelled by the user). Every
string from the provider reaches the take through :mod:`filmfs.providers.redact`; the shot's
``generation.params`` are kept under their own key and never replace filmfs's provenance.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from filmfs.commands.planning import ShotPlan, default_seed
from filmfs.errors import FilmfsError, GenerationCancelled, TaskEnded
from filmfs.film.inputs import shot_inputs
from filmfs.film.model import Film
from filmfs.film.takes import reserve_attempt, take_data, write_take
from filmfs.media.ingest import store_video
from filmfs.project import Project
from filmfs.providers import capabilities, images
from filmfs.providers import jobs as records
from filmfs.providers.base import GenerationRequest, Job, Provider
from filmfs.providers.redact import scrub, scrub_value
from filmfs.providers.runner import Progress, RunResult, run
from filmfs.store.objects import MediaStore

CostBasis = Literal["provider", "estimate"]


@dataclass(frozen=True)
class TakeOutcome:
    """What happened to one shot in a run."""

    shot_id: str
    provider: str
    model: str
    attempt: int | None = None
    path: Path | None = None
    selected: bool = False
    cost: Decimal | None = None
    cost_basis: CostBasis | None = None
    elapsed: float = 0.0
    error: str | None = None
    resumed: bool = False
    """The task was submitted by an earlier run (killed or interrupted) and resumed here."""

    @property
    def ok(self) -> bool:
        return self.error is None


def _take_params(record: records.JobRecord, job: Job) -> dict[str, Any]:
    """The take's generation_params: filmfs's own provenance, user params under ``params``."""
    req = record.request
    params: dict[str, Any] = {
        "provider": record.provider,
        "model": record.model,
        "seed": req.get("seed"),
        "prompt": req.get("prompt"),
        "negative_prompt": req.get("negative_prompt"),
        "task_id": scrub(job.task_id),
    }
    sent = job.data.get("sent")
    if isinstance(sent, dict) and sent:
        params["sent"] = scrub_value(sent)
    if record.take.get("fit"):
        params["fit"] = list(record.take["fit"])
    if req.get("params"):
        params["params"] = scrub_value(dict(req["params"]))
    return params


def _finish(
    project: Project, store: MediaStore, record: records.JobRecord, ran: RunResult, tmp: Path
) -> tuple[int, Path, bool]:
    """Store the video and write the take (the commit point), then drop the job record."""
    video = store_video(store, tmp, move=True)
    with reserve_attempt(project.root, record.shot_id) as attempt:
        data = take_data(
            attempt=attempt,
            selected=False,
            generation_params=_take_params(record, ran.job),
            video=video,
            generation_cost=ran.cost,
            inputs=record.take.get("inputs"),
        )
        if ran.cost_basis is not None:
            data["generation_cost_basis"] = ran.cost_basis
        path, selected = write_take(project.root, record.shot_id, attempt, data, select="first")
    records.remove(project.root, record)
    return attempt, path, selected


def _run_record(
    project: Project,
    store: MediaStore,
    provider: Provider,
    record: records.JobRecord,
    *,
    job: Job | None,
    timeout: float,
    poll_interval: float,
    cancel: threading.Event,
    on_progress: Callable[[str, Progress], None] | None,
) -> TakeOutcome:
    base = TakeOutcome(
        shot_id=record.shot_id, provider=provider.name, model=record.model, resumed=job is not None
    )
    started = time.monotonic()
    recorded: list[records.JobRecord] = []
    if job is not None:
        recorded.append(record)

    remote = capabilities.for_provider(provider.name).remote

    def submitted(new: Job) -> None:
        done = replace(record, task_id=new.task_id, data=dict(new.data))
        if remote:  # a task that runs elsewhere, and may be paid for: record it at once
            records.save(project.root, done)
        recorded.append(done)

    try:
        with store.temp_path(".mp4") as tmp:
            ran = run(
                provider,
                record.generation_request(),
                tmp,
                job=job,
                on_submitted=submitted,
                timeout=timeout,
                poll_interval=poll_interval,
                cancel=cancel,
                on_progress=(lambda p: on_progress(record.shot_id, p)) if on_progress else None,
            )
            attempt, path, selected = _finish(project, store, recorded[-1], ran, tmp)
    except (TaskEnded, GenerationCancelled) as exc:
        # Over (failed, or cancelled by the user): nothing left to resume. A task the service
        # cannot cancel (MiniMax) runs on and is billed: keep it, so a rerun collects it.
        cancelled_for_good = capabilities.for_provider(provider.name).cancel_how != "none"
        if isinstance(exc, TaskEnded) or cancelled_for_good:
            for done in recorded:
                records.remove(project.root, done)
        return replace(base, error=str(exc), elapsed=time.monotonic() - started)
    except FilmfsError as exc:
        kept = " (task recorded; run generate again to resume it)" if recorded and remote else ""
        return replace(base, error=str(exc) + kept, elapsed=time.monotonic() - started)
    return replace(
        base,
        attempt=attempt,
        path=path,
        selected=selected,
        cost=ran.cost,
        cost_basis=ran.cost_basis,
        elapsed=time.monotonic() - started,
    )


def resume(
    project: Project,
    store: MediaStore,
    record: records.JobRecord,
    provider: Provider,
    *,
    timeout: float,
    poll_interval: float,
    cancel: threading.Event,
    on_progress: Callable[[str, Progress], None] | None,
) -> TakeOutcome:
    return _run_record(
        project,
        store,
        provider,
        record,
        job=record.job,
        timeout=timeout,
        poll_interval=poll_interval,
        cancel=cancel,
        on_progress=on_progress,
    )


def new_attempt(
    project: Project,
    film: Film,
    sp: ShotPlan,
    provider: Provider,
    store: MediaStore,
    *,
    timeout: float,
    poll_interval: float,
    cancel: threading.Event,
    on_progress: Callable[[str, Progress], None] | None,
) -> TakeOutcome:
    shot = sp.shot
    # The number this take will most likely get (it is reserved when the take is written).
    attempt = max((take.attempt_number for take in shot.takes), default=0) + 1
    seed = sp.plan.seed
    if not sp.seed_chosen and sp.plan.caps.seed:
        seed = default_seed(shot.shot_number, attempt)
    fitted = sp.plan
    try:
        sent = images.prepare(project, shot, fitted.caps)
    except FilmfsError as exc:  # an image that cannot be had: this shot fails, others go on
        return TakeOutcome(shot.shot_number, provider.name, sp.model, error=str(exc))
    request = GenerationRequest(
        shot_id=shot.shot_number,
        attempt_number=attempt,
        prompt=fitted.prompt,
        duration=float(fitted.seconds) if fitted.seconds is not None else shot.duration_target,
        width=film.format.width,
        height=film.format.height,
        fps=film.format.fps,
        model=sp.model,
        seed=seed,
        negative_prompt=fitted.negative_prompt,
        params=dict(shot.generation.get("params", {})),
        audio=fitted.audio,
        first_frame=next(iter(images.by_role(sent, "first_frame")), None),
        last_frame=next(iter(images.by_role(sent, "last_frame")), None),
        reference_images=tuple(images.by_role(sent, "reference")),
    )
    made_from = shot_inputs(
        project, shot, provider=provider.name, model=sp.model, params=request.params
    )
    record = records.JobRecord(
        shot_id=shot.shot_number,
        provider=provider.name,
        model=sp.model,
        task_id="",
        data={},
        request=_request_data(request),
        take={
            "fit": list(fitted.adjustments),
            "estimate": str(fitted.estimate) if fitted.estimate is not None else None,
            "inputs": {
                **made_from.as_data(seed),
                **({"images": [image.as_data() for image in sent]} if sent else {}),
            },
        },
    )
    return _run_record(
        project,
        store,
        provider,
        record,
        job=None,
        timeout=timeout,
        poll_interval=poll_interval,
        cancel=cancel,
        on_progress=on_progress,
    )


def _request_data(request: GenerationRequest) -> dict[str, Any]:
    data = asdict(request)
    data["params"] = dict(request.params)
    data["reference_images"] = list(request.reference_images)
    return data
