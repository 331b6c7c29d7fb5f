"""Shots against their models, and the film's money: shared by ``generate`` and ``validate``.

For each shot: which provider and model it goes to (and where that was chosen), the prompt
that would be sent, and the :class:`~filmfs.providers.preflight.Plan` (only the inputs the
model takes, fitted as the film allows, priced). Issues become Problems at the shot's file and
line. Budget and gates are read from ``film.yaml`` (``budget``, ``gates``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from filmfs.film.inputs import images
from filmfs.film.model import Film, Shot, money
from filmfs.manifests.problems import Problem
from filmfs.project import Project
from filmfs.providers import capabilities
from filmfs.providers.preflight import Fit, Issue, Plan, plan

DEFAULT_PROVIDER = "testcard"


@dataclass(frozen=True)
class ShotPlan:
    """One shot's way to its model, before anything is sent."""

    shot: Shot
    provider: str
    source: str
    """Where the provider was chosen: ``--provider``, ``shots/01A/shot.yaml:9:13``, ..."""
    model: str
    fit: Fit
    plan: Plan
    seed_chosen: bool
    warning: str | None


def where(project: Project, path: Path, at: tuple[str | int, ...]) -> str:
    """``path:line:col`` of the value at ``at`` in a manifest (line 1 when absent)."""
    shown = path.relative_to(project.root).as_posix()
    document = project.documents.get(path)
    line, col = document.where(at) if document else (1, 1)
    return f"{shown}:{line}:{col}"


def provider_choice(
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
            return str(data["provider"]), where(project, manifest, at)
    return DEFAULT_PROVIDER, "filmfs's default provider"


def model_choice(shot: Shot, film: Film, provider: str, option: str | None) -> str | None:
    """``--model``, then the shot's, then the film's (when it names the same provider)."""
    if option:
        return option
    if shot.generation.get("model"):
        return str(shot.generation["model"])
    film_provider = film.defaults.get("provider") or DEFAULT_PROVIDER
    if film.defaults.get("model") and film_provider == provider:
        return str(film.defaults["model"])
    return None


def compose_prompt(project: Project, film: Film, shot: Shot) -> str:
    """The text sent to the model: the shot's prompt, who is in it, and the film's look."""
    parts = [shot.prompt.strip().rstrip(".")]
    for char_id in shot.characters:
        char = project.characters.get(char_id)
        if char is not None and char.appearance:
            parts.append(f"{char.name}: {char.appearance.strip()}")
    style = str(film.defaults.get("style", "")).strip()
    if style:
        parts.append(style)
    return ". ".join(parts)


def default_seed(shot_id: str, attempt: int) -> int:
    """A reproducible seed when none is given: the same shot and attempt give the same seed."""
    digest = hashlib.sha256(f"{shot_id}:{attempt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def shot_plan(
    project: Project,
    film: Film,
    shot: Shot,
    *,
    provider: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    attempt: int = 0,
    default_models: dict[str, str] | None = None,
) -> ShotPlan:
    """Plan ``shot`` for its provider and model (``provider``/``model``/``seed`` override)."""
    name, source = provider_choice(project, shot, film, provider)
    caps = capabilities.for_provider(name, default_model=(default_models or {}).get(name, ""))
    chosen = model_choice(shot, film, name, model) or caps.default_model
    user_seed = seed if seed is not None else shot.generation.get("seed")
    fit = Fit.from_data(film.defaults.get("fit"), shot.generation.get("fit"))
    roles = [image.role for image in images(project, shot)]
    fitted = plan(
        caps.model(chosen),
        prompt=compose_prompt(project, film, shot),
        negative_prompt=shot.negative_prompt or film.defaults.get("negative_prompt"),
        seed=user_seed if user_seed is not None else default_seed(shot.shot_number, attempt),
        seed_chosen=user_seed is not None,
        duration=shot.duration_target,
        width=film.format.width,
        height=film.format.height,
        fit=fit,
        first_frame="first_frame" in roles,
        last_frame="last_frame" in roles,
        reference_images=roles.count("reference"),
        audio=shot.generation.get("audio"),
    )
    return ShotPlan(
        shot=shot,
        provider=name,
        source=source,
        model=chosen,
        fit=fit,
        plan=fitted,
        seed_chosen=user_seed is not None,
        warning=caps.warning(chosen),
    )


def _issue_at(film: Film, shot: Shot, issue: Issue) -> tuple[Path, tuple[str | int, ...]]:
    if issue.field == "format":
        return film.path, ("format",)
    if issue.field == "negative_prompt" and not shot.negative_prompt:
        return film.path, ("defaults", "negative_prompt")
    if issue.field in ("duration_target", "prompt", "negative_prompt", "first_frame", "last_frame"):
        return shot.path, (issue.field,)
    if issue.field == "references":
        return shot.path, ("characters",)
    if issue.field == "seed" and "seed" in shot.generation:
        return shot.path, ("generation", "seed")
    # The model is at fault: point at where it was chosen.
    if "model" in shot.generation:
        return shot.path, ("generation", "model")
    if "model" in film.defaults:
        return film.path, ("defaults", "model")
    return shot.path, ("generation",)


def plan_problems(project: Project, film: Film, plans: list[ShotPlan]) -> list[Problem]:
    """Each plan's issues (errors) and model warnings, at the shot's file and line."""
    found = []
    for sp in plans:
        for issue in sp.plan.issues:
            path, at = _issue_at(film, sp.shot, issue)
            found.append(
                project.make_problem(path, f"shot {sp.shot.shot_number}: {issue.message}", at=at)
            )
        if sp.warning:
            found.append(
                project.make_problem(
                    sp.shot.path, sp.warning, at=("generation",), severity="warning"
                )
            )
    return found


def usd(amount: Decimal) -> str:
    """``$1.50`` (cents shown; more places only when the amount has them)."""
    return f"${amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else f"${amount}"


def spent(project: Project) -> Decimal:
    """USD recorded on every take of the film."""
    total = Decimal(0)
    for shot in project.shots.values():
        for take in shot.takes:
            total += money(take.generation_cost) or Decimal(0)
    return total


def budget_problems(project: Project, film: Film) -> list[Problem]:
    """A film over its ``budget.total``; a selected take under ``gates.min_selected_score``."""
    found = []
    total = money(film.budget.get("total"))
    if total is not None:
        used = spent(project)
        if used > total:
            found.append(
                project.make_problem(
                    film.path,
                    f"the takes cost {usd(used)} in all, over the film's budget of {usd(total)}",
                    at=("budget", "total"),
                )
            )
    gate = film.gates.get("min_selected_score")
    if isinstance(gate, int | float) and not isinstance(gate, bool):
        for shot in project.shots.values():
            take = shot.selected_take
            if take is None or shot.status == "omitted":
                continue
            score = take.quality_score
            if score is None or score < gate:
                got = "no quality_score" if score is None else f"quality_score {score:g}"
                found.append(
                    project.make_problem(
                        take.path,
                        f"selected take of shot {shot.shot_number} has {got}; the film's gate "
                        f"(gates.min_selected_score in film.yaml) is {gate:g}",
                        at=("quality_score",) if score is not None else ("selected",),
                    )
                )
    return found
