"""`filmfs generate`: shot -> provider -> take file + video in the store, many shots at once.

Before any request: every shot is planned against its model's capabilities (pre-flight: a
length, ratio, input or prompt the model refuses stops the run, naming the shot's file and
line), priced, and checked against the film's budget; ``dry_run`` stops there. Then tasks a
killed run left behind (``.filmfs/jobs/``) are resumed before anything new is submitted.

Each shot's attempt runs on a worker thread: reserve the attempt number, run the provider into
a temp file inside the store (the task id is recorded under ``.filmfs/jobs/`` before the first
poll), publish the video as a store object, probe it, then write the take file by rename and
drop the job record. The take file is the commit point: a run killed before it leaves the job
record, which the next run resumes (nothing is paid twice), and at most an unreferenced object.
Concurrency is ``jobs`` overall and at most ``provider.max_concurrency`` (when a provider
declares it) per provider.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from filmfs import layout, vcs
from filmfs.commands.attempts import TakeOutcome, new_attempt, resume
from filmfs.commands.planning import ShotPlan, plan_problems, provider_choice, shot_plan, spent, usd
from filmfs.errors import FilmfsError, ProviderNotConfigured
from filmfs.film.deps import shot_dependencies
from filmfs.film.inputs import staleness
from filmfs.film.locks import commit_made_from
from filmfs.film.model import Shot, money
from filmfs.film.takes import check_room
from filmfs.project import Project
from filmfs.providers import capabilities, registry
from filmfs.providers import jobs as records
from filmfs.providers.base import Provider
from filmfs.providers.redact import scrub
from filmfs.providers.runner import DEFAULT_POLL_INTERVAL, Progress

__all__ = ["GenerateResult", "ShotEstimate", "TakeOutcome", "generate"]


@dataclass(frozen=True)
class ShotEstimate:
    """One shot's planned request and price, for ``--dry-run`` and the budget."""

    shot_id: str
    provider: str
    model: str
    seconds: int | None
    resolution: str | None
    ratio: str | None
    estimate: Decimal | None
    fit: tuple[str, ...]
    warning: str | None


@dataclass
class GenerateResult:
    outcomes: list[TakeOutcome] = field(default_factory=list)
    elapsed: float = 0.0
    commit: str | None = None
    estimates: list[ShotEstimate] = field(default_factory=list)
    dry_run: bool = False
    spent_before: Decimal = Decimal(0)
    """USD already recorded on the film's takes."""
    budget_total: Decimal | None = None
    budget_per_run: Decimal | None = None
    refusal: str | None = None
    """Why the run would be refused (a dry run says so instead of refusing)."""

    @property
    def total_cost(self) -> Decimal:
        return sum((o.cost or Decimal(0) for o in self.outcomes if o.ok), Decimal(0))

    @property
    def estimated_total(self) -> Decimal:
        """The run's price; shots with an unknown price count 0 (see ``unpriced``)."""
        return sum((e.estimate or Decimal(0) for e in self.estimates), Decimal(0))

    @property
    def unpriced(self) -> list[str]:
        return [e.shot_id for e in self.estimates if e.estimate is None]

    @property
    def failed(self) -> list[TakeOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        return not self.failed


def pick_shots(
    project: Project,
    *,
    shot_ids: list[str],
    all_shots: bool,
    missing: bool,
    stale: bool = False,
) -> list[Shot]:
    """The shots a run covers, in film order; omitted shots only when named.

    ``stale``: the shots whose selected take was made from other inputs than the film has now
    (:func:`filmfs.film.inputs.staleness`).
    """
    if sum((bool(shot_ids), all_shots, missing, stale)) != 1:
        raise FilmfsError("name shots, or pass exactly one of --all / --missing / --stale")
    if shot_ids:
        return [project.shot(shot_id) for shot_id in shot_ids]
    shots = [s for s in project.shots.values() if s.status != "omitted"]
    if missing:
        shots = [s for s in shots if not any(t.video for t in s.takes)]
    if stale:
        shots = [s for s in shots if (found := staleness(project, s)) is not None and found.stale]
    return shots


def _estimate(sp: ShotPlan) -> ShotEstimate:
    return ShotEstimate(
        shot_id=sp.shot.shot_number,
        provider=sp.provider,
        model=sp.model,
        seconds=sp.plan.seconds,
        resolution=sp.plan.resolution,
        ratio=sp.plan.ratio,
        estimate=sp.plan.estimate,
        fit=sp.plan.adjustments,
        warning=sp.warning,
    )


def check_budget(result: GenerateResult, *, over_budget: bool) -> None:
    """Refuse a run that would pass ``budget.per_run`` or ``budget.total``, unless told."""
    if over_budget or (result.budget_total is None and result.budget_per_run is None):
        return
    run_cost = result.estimated_total
    reasons = []
    if result.unpriced:
        reasons.append(f"no price is known for shot(s) {', '.join(result.unpriced)}")
    if result.budget_per_run is not None and run_cost > result.budget_per_run:
        reasons.append(
            f"this run would cost {usd(run_cost)}, over budget.per_run {usd(result.budget_per_run)}"
        )
    if result.budget_total is not None and result.spent_before + run_cost > result.budget_total:
        reasons.append(
            f"the film has spent {usd(result.spent_before)}; this run's {usd(run_cost)} would pass "
            f"budget.total {usd(result.budget_total)}"
        )
    if reasons:
        raise FilmfsError(
            "refusing to spend: " + "; ".join(reasons),
            hint="see `filmfs generate --dry-run`; raise the budget in film.yaml, or pass "
            "--over-budget to spend anyway",
        )


def generate(
    project: Project,
    *,
    shot_ids: list[str],
    all_shots: bool = False,
    missing: bool = False,
    stale: bool = False,
    provider: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    timeout: float = 1800.0,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    over_budget: bool = False,
    jobs: int = 4,
    commit: bool = True,
    dry_run: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[str, Progress], None] | None = None,
    on_done: Callable[[TakeOutcome], None] | None = None,
    cancel: threading.Event | None = None,
) -> GenerateResult:
    """Generate one new take for each chosen shot (after resuming any recorded tasks).

    ``provider``, ``model`` and ``seed`` override what the manifests choose; ``timeout`` and
    ``poll_interval`` (seconds) bound each generation; ``over_budget`` spends past film.yaml's
    ``budget``; ``dry_run`` stops after pre-flight and pricing.
    """
    film = project.require_valid()
    shots = pick_shots(
        project, shot_ids=shot_ids, all_shots=all_shots, missing=missing, stale=stale
    )
    result = GenerateResult(
        dry_run=dry_run,
        spent_before=spent(project),
        budget_total=money(film.budget.get("total")),
        budget_per_run=money(film.budget.get("per_run")),
    )
    store = project.store
    cancel = cancel or threading.Event()
    started = time.monotonic()
    providers: dict[str, Provider] = {}
    found = registry.discover()

    def provider_for(name: str, source: str) -> Provider:
        if name not in providers:
            try:
                providers[name] = found.get(name)
            except FilmfsError as exc:
                raise FilmfsError(f"{source}: {exc.message}", hint=exc.hint) from None
        return providers[name]

    # 1. Resume what a killed run left running, before submitting (and paying) anything new.
    resumed: set[str] = set()
    pending = [] if dry_run else list(records.pending(project.root))
    if pending and on_start:
        on_start(len(pending))
    for record in pending:
        shot = project.shots.get(record.shot_id)
        if shot is None:
            continue
        if any(
            take.generation_params.task_id == scrub(record.task_id)
            and take.generation_params.provider == record.provider
            for take in shot.takes
        ):
            # Killed after the take was written but before its record was dropped.
            records.remove(project.root, record)
            continue
        outcome = resume(
            project,
            store,
            record,
            provider_for(record.provider, "a recorded task"),
            timeout=timeout,
            poll_interval=poll_interval,
            cancel=cancel,
            on_progress=on_progress,
        )
        resumed.add(record.shot_id)
        result.outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    shots = [s for s in shots if s.shot_number not in resumed]

    # 2. Pre-flight: every shot against its model, priced, before any request.
    # Plugins have no capability data: their own default model applies.
    used = {provider_choice(project, shot, film, provider) for shot in shots}
    known = capabilities.load()
    defaults = {
        name: provider_for(name, source).default_model for name, source in used if name not in known
    }
    plans = [
        shot_plan(
            project,
            film,
            shot,
            provider=provider,
            model=model,
            seed=seed,
            default_models=defaults,
        )
        for shot in shots
    ]
    errors = [p for p in plan_problems(project, film, plans) if p.severity == "error"]
    if errors:
        raise FilmfsError(
            f"{len(errors)} shot(s) do not fit their model; nothing was sent:\n"
            + "\n".join(f"  {p}" for p in errors),
            hint="fix the shots, or let the film fit them (generation.fit in the shot, or "
            "defaults.fit in film.yaml); `filmfs providers --models` lists what each takes",
        )
    result.estimates = [_estimate(sp) for sp in plans]
    if dry_run:
        try:
            check_budget(result, over_budget=over_budget)
        except FilmfsError as exc:
            result.refusal = exc.message
        result.elapsed = time.monotonic() - started
        return result
    check_budget(result, over_budget=over_budget)

    limits: dict[str, threading.Semaphore] = {}
    for sp in plans:
        service = provider_for(sp.provider, sp.source)
        if sp.provider not in limits:
            ok, reason = service.configured()
            if not ok:
                raise ProviderNotConfigured(
                    f"{sp.source}: provider {sp.provider!r} is not configured: {reason}",
                    hint="set it up (see `filmfs providers`), or pass --provider testcard",
                )
            limit = getattr(service, "max_concurrency", None) or jobs
            limits[sp.provider] = threading.Semaphore(max(1, min(limit, jobs)))
        check_room(project.root, sp.shot.shot_number)

    def one(sp: ShotPlan) -> TakeOutcome:
        with limits[sp.provider]:
            return new_attempt(
                project,
                film,
                sp,
                providers[sp.provider],
                store,
                timeout=timeout,
                poll_interval=poll_interval,
                cancel=cancel,
                on_progress=on_progress,
            )

    # Takes an earlier run finished but did not commit (it failed or was killed after them)
    # are committed by this one.
    leftover = left_uncommitted(project.root) if commit else []
    if on_start:
        on_start(len(plans) + len(result.outcomes))
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="filmfs-generate")
    futures: list[Future[TakeOutcome]] = []
    try:
        futures = [pool.submit(one, sp) for sp in plans]
        for future in futures:
            outcome = future.result()
            result.outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    except BaseException:
        cancel.set()
        pool.shutdown(wait=True, cancel_futures=True)
        finished = [f for f in futures if f.done() and not f.cancelled()]
        for future in finished:
            if future.exception() is None and future.result() not in result.outcomes:
                result.outcomes.append(future.result())
        # The takes that finished are committed even though the run as a whole failed.
        if commit:
            _commit(project, result, leftover)
        raise
    pool.shutdown(wait=True)
    result.elapsed = time.monotonic() - started
    if commit:
        result.commit = _commit(project, result, leftover)
    return result


def left_uncommitted(root: Path) -> list[Path]:
    """Take files that are in the working tree but were never committed."""
    return [
        path
        for path in vcs.uncommitted(root, [root / layout.SHOTS_DIR], untracked_only=True)
        if path.parent.name == layout.TAKES_DIR
        and path.suffix == ".yaml"
        and layout.TAKE_STEM.match(path.stem)
        and path.is_file()
    ]


def _commit(project: Project, result: GenerateResult, leftover: list[Path]) -> str | None:
    written = [o.path for o in result.outcomes if o.path is not None]
    paths = [*written, *(p for p in leftover if p not in written)]
    if not paths:
        return None
    lines = [f"{o.shot_id} take {o.attempt}" for o in result.outcomes if o.path is not None]
    lines += [f"{p.parent.parent.name} take {int(p.stem)} (from an earlier run)" for p in leftover]
    names = ", ".join(sorted({o.provider for o in result.outcomes if o.path is not None}))
    shots = {p.parent.parent.name for p in paths}
    return commit_made_from(
        project.root,
        paths,
        shot_dependencies(project, sorted(shots)),
        f"generate {len(paths)} take(s)"
        + (f" with {names}" if names else "")
        + "\n\n"
        + "\n".join(lines),
    )
