"""The one place the film's numbers are computed: cost, lengths and counts.

Lengths come from the cut plan (film/cut.py), so the cut's length shown by `tree`, `status`,
`diff` and the review page is the rendered cut's: clips trimmed to in/out, less each
transition's overlap. ``total_duration`` in film.yaml is the film's target, shown beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from filmfs.film.cut import CutPlan, plan_cut
from filmfs.film.model import Film, Shot, Take


@dataclass(frozen=True)
class CutLength:
    """The cut as the manifests select it now, against the film's targets."""

    frames: int
    seconds: float  # the cut's real length: frames / fps
    target: float | None  # film.yaml total_duration (None: not set)
    shots_target: float  # the shots' duration_target summed (omitted shots left out)
    clips: Mapping[str, float]  # shot -> seconds its clip lasts (before overlaps)

    @property
    def delta(self) -> float | None:
        """Seconds over (+) or under (-) the target; None without a target."""
        return None if self.target is None else round(self.seconds - self.target, 3)


def cut_length(film: Film, shots: Iterable[Shot]) -> CutLength:
    shots = [s for s in shots if s.status != "omitted"]
    plan = plan_cut(shots, film.format)
    return _length(plan, film, shots)


def _length(plan: CutPlan, film: Film, shots: list[Shot]) -> CutLength:
    return CutLength(
        frames=plan.frames,
        seconds=round(float(plan.duration), 3),
        target=film.total_duration,
        shots_target=round(sum(s.duration_target for s in shots), 3),
        clips={c.shot: round(float(c.frames / plan.fps), 3) for c in plan.clips},
    )


def total_cost(costs: Iterable[Decimal | None]) -> Decimal:
    """Sum of the known costs, exact (a take without a recorded cost adds nothing)."""
    return sum((c for c in costs if c is not None), Decimal(0))


def priced(costs: Iterable[Decimal | None]) -> int:
    return sum(1 for c in costs if c is not None)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the known values, to three places; None when there are none."""
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 3) if known else None


def takes_cost(takes: Iterable[Take]) -> Decimal:
    return total_cost(t.generation_cost for t in takes)
