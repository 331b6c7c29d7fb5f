"""`filmfs generate`: shot -> provider -> take file + video in the store, many shots at once.

Each shot's attempt runs on a worker thread: reserve the attempt number, run the provider into a
temp file inside the store, publish the video as a store object, probe it, then write the take
file by rename. The take file is the commit point: a run killed before it leaves at most an
unreferenced object (garbage, harmless), never a half-written take, and ``--missing`` picks up
the shot again on the next run. Concurrency is ``jobs`` overall and at most
``provider.max_concurrency`` (when a provider declares it) per provider.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from filmfs import layout, vcs
from filmfs.errors import FilmfsError, ProviderNotConfigured
from filmfs.film.deps import shot_dependencies
from filmfs.film.inputs import shot_inputs, staleness
from filmfs.film.locks import commit_made_from
from filmfs.film.model import Film, Shot
from filmfs.film.takes import check_room, reserve_attempt, take_data, write_take
from filmfs.manifests.writer import write_error
from filmfs.media.ingest import store_video
from filmfs.project import Project
from filmfs.providers import registry
from filmfs.providers.base import GenerationRequest, Provider
from filmfs.providers.runner import DEFAULT_POLL_INTERVAL, Progress, run
from filmfs.store.objects import MediaStore

DEFAULT_PROVIDER = "testcard"


@dataclass(frozen=True)
class TakeOutcome:
    """What happened to one shot in a run."""

    shot_id: str
    provider: str
    model: str
    attempt: int | None = None
    path: Path | None = None
    selected: bool = False
    cost: float | None = None
    elapsed: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class GenerateResult:
    outcomes: list[TakeOutcome] = field(default_factory=list)
    elapsed: float = 0.0
    commit: str | None = None

    @property
    def total_cost(self) -> float:
        return sum(o.cost or 0.0 for o in self.outcomes if o.ok)

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


def compose_prompt(project: Project, film: Film, shot: Shot) -> str:
    """The text sent to the model: the shot's prompt, who is in it, and the film's look."""
    parts = [shot.prompt.strip().rstrip(".")]
    for char_id in shot.characters:
        char = project.characters[char_id]
        if char.appearance:
            parts.append(f"{char.name}: {char.appearance.strip()}")
    style = str(film.defaults.get("style", "")).strip()
    if style:
        parts.append(style)
    return ". ".join(parts)


def default_seed(shot_id: str, attempt: int) -> int:
    """A reproducible seed when none is given: the same shot and attempt give the same seed."""
    digest = hashlib.sha256(f"{shot_id}:{attempt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _provider_choice(
    project: Project, shot: Shot, film: Film, option: str | None
) -> tuple[str, str]:
    """The provider for ``shot`` and where that choice was made, for error messages."""
    if option:
        return option, "--provider"
    for manifest, data, at in (
        (shot.path, shot.generation, ("generation", "provider")),
        (film.path, film.defaults, ("defaults", "provider")),
    ):
        if data.get("provider"):
            shown = manifest.relative_to(project.root).as_posix()
            document = project.documents.get(manifest)
            line, col = document.where(at) if document else (1, 1)
            return str(data["provider"]), f"{shown}:{line}:{col}"
    return DEFAULT_PROVIDER, "filmfs's default provider"


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
    jobs: int = 4,
    commit: bool = True,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[str, Progress], None] | None = None,
    on_done: Callable[[TakeOutcome], None] | None = None,
    cancel: threading.Event | None = None,
) -> GenerateResult:
    """Generate one new take for each chosen shot.

    ``provider``, ``model`` and ``seed`` override what the manifests choose; ``timeout`` and
    ``poll_interval`` (seconds) bound each generation.
    """
    film = project.require_valid()
    shots = pick_shots(
        project, shot_ids=shot_ids, all_shots=all_shots, missing=missing, stale=stale
    )
    store = project.store
    cancel = cancel or threading.Event()
    providers: dict[str, Provider] = {}
    limits: dict[str, threading.Semaphore] = {}
    plans = []
    for shot in shots:
        name, source = _provider_choice(project, shot, film, provider)
        if name not in providers:
            try:
                providers[name] = registry.get(name)
            except FilmfsError as exc:
                raise FilmfsError(f"{source}: {exc.message}", hint=exc.hint) from None
            ok, reason = providers[name].configured()
            if not ok:
                raise ProviderNotConfigured(
                    f"{source}: provider {name!r} is not configured: {reason}",
                    hint="set it up (see `filmfs providers`), or pass --provider testcard",
                )
            limit = getattr(providers[name], "max_concurrency", None) or jobs
            limits[name] = threading.Semaphore(max(1, min(limit, jobs)))
        check_room(project.root, shot.shot_number)
        plans.append((shot, providers[name]))

    def one(shot: Shot, chosen: Provider) -> TakeOutcome:
        with limits[chosen.name]:
            return _generate_one(
                project,
                film,
                shot,
                chosen,
                store,
                model=model,
                seed=seed,
                timeout=timeout,
                poll_interval=poll_interval,
                cancel=cancel,
                on_progress=on_progress,
            )

    # Takes an earlier run finished but did not commit (it failed or was killed after them)
    # are committed by this one.
    leftover = left_uncommitted(project.root) if commit else []
    if on_start:
        on_start(len(plans))
    result = GenerateResult()
    started = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="filmfs-generate")
    futures: list[Future[TakeOutcome]] = []
    try:
        futures = [pool.submit(one, s, p) for s, p in plans]
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


def _generate_one(
    project: Project,
    film: Film,
    shot: Shot,
    provider: Provider,
    store: MediaStore,
    *,
    model: str | None,
    seed: int | None,
    timeout: float,
    poll_interval: float,
    cancel: threading.Event,
    on_progress: Callable[[str, Progress], None] | None,
) -> TakeOutcome:
    model = model or shot.generation.get("model") or provider.default_model
    started = time.monotonic()
    base = TakeOutcome(shot_id=shot.shot_number, provider=provider.name, model=model)
    try:
        with reserve_attempt(project.root, shot.shot_number) as attempt:
            seed = seed if seed is not None else default_seed(shot.shot_number, attempt)
            negative = shot.negative_prompt or film.defaults.get("negative_prompt")
            request = GenerationRequest(
                shot_id=shot.shot_number,
                attempt_number=attempt,
                prompt=compose_prompt(project, film, shot),
                duration=shot.duration_target,
                width=film.format.width,
                height=film.format.height,
                fps=film.format.fps,
                model=model,
                seed=seed,
                negative_prompt=negative,
                params=dict(shot.generation.get("params", {})),
            )
            with store.temp_path(".mp4") as tmp:
                ran = run(
                    provider,
                    request,
                    tmp,
                    timeout=timeout,
                    poll_interval=poll_interval,
                    cancel=cancel,
                    on_progress=(lambda p: on_progress(shot.shot_number, p))
                    if on_progress
                    else None,
                )
                video = store_video(store, tmp, move=True)
            params = {
                "provider": provider.name,
                "model": model,
                "seed": seed,
                "prompt": request.prompt,
                "negative_prompt": negative,
                "task_id": ran.job.task_id,
                **request.params,
            }
            made_from = shot_inputs(
                project, shot, provider=provider.name, model=model, params=request.params
            )
            data = take_data(
                attempt=attempt,
                selected=False,
                generation_params=params,
                video=video,
                generation_cost=ran.cost,
                inputs=made_from.as_data(seed),
            )
            path, selected = write_take(
                project.root, shot.shot_number, attempt, data, select="first"
            )
    except FilmfsError as exc:
        return replace(base, error=str(exc), elapsed=time.monotonic() - started)
    except OSError as exc:  # a full disk while the provider wrote the video, say
        error = write_error(project.root / layout.STATE_DIR, exc)
        return replace(base, error=str(error), elapsed=time.monotonic() - started)
    return replace(
        base,
        attempt=attempt,
        path=path,
        selected=selected,
        cost=ran.cost,
        elapsed=time.monotonic() - started,
    )
