"""The one cut plan: which take of which shot plays, from where to where, joined how.

Everything that shows or makes the cut reads this plan (assemble, export, tree, status, diff,
the review page), so every length shown is the rendered cut's. Times are whole frames at the
film's exact rate: a clip lasts round((out - in) * fps) frames, a crossfade overlaps two clips
by round(duration * fps) frames, and the cut lasts the clips' frames less the overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from filmfs.film.model import Format, Shot, Transition, TransitionKind

OVERLAPPING = ("crossfade", "fade")  # kinds that overlap two clips; a "cut" does not


@dataclass(frozen=True)
class CutTransition:
    """How a clip is entered from the previous one: clips overlap by ``frames``."""

    kind: TransitionKind
    frames: int
    fps: Fraction

    @property
    def duration(self) -> Fraction:
        return self.frames / self.fps

    def rendered(self) -> Transition:
        """As media renders it: seconds that are a whole number of frames."""
        return Transition(self.kind, float(self.duration))


@dataclass(frozen=True)
class CutClip:
    """One shot in the cut: its selected take (or a slate for a gap), trimmed to [in, out)."""

    shot: str
    scene: int | None  # None: a film without scenes
    take: int | None  # attempt number; None: no selected take (a slate with --allow-gaps)
    sha256: str | None
    take_duration: Fraction  # seconds of the take (or the slate)
    start: Fraction  # `in`: seconds into the take where the clip starts
    end: Fraction  # `out`: seconds into the take where it ends
    frames: int  # frames the clip contributes before any overlap
    transition_in: CutTransition | None
    at: int  # frame of the cut where the clip starts (overlaps counted)

    @property
    def gap(self) -> bool:
        return self.take is None

    @property
    def trimmed(self) -> bool:
        return self.start > 0 or self.end < self.take_duration


@dataclass(frozen=True)
class CutPlan:
    """The cut as planned: its clips in order at the film's rate, and the shots left out."""

    fps: Fraction
    clips: tuple[CutClip, ...]
    gaps: tuple[str, ...]  # shots with no selected take (slates only with allow_gaps)

    @property
    def frames(self) -> int:
        overlap = sum(c.transition_in.frames for c in self.clips if c.transition_in)
        return sum(c.frames for c in self.clips) - overlap

    @property
    def duration(self) -> Fraction:
        return self.frames / self.fps

    @property
    def shots(self) -> list[str]:
        return [c.shot for c in self.clips]


def frames_of(seconds: float | Fraction, fps: Fraction) -> int:
    """Whole frames ``seconds`` last at ``fps`` (rounded to the nearest)."""
    return round(Fraction(seconds) * fps)


def seconds(value: float | Fraction) -> Fraction:
    """A manifest's seconds as an exact value (the decimal that was written, not the float)."""
    if isinstance(value, Fraction):
        return value
    return Fraction(repr(float(value)))


def plan_cut(shots: Iterable[Shot], fmt: Format, *, allow_gaps: bool = False) -> CutPlan:
    """The cut of ``shots`` (in film order) at ``fmt``; omitted shots are left out.

    A shot without a selected take is a gap: left out, or with ``allow_gaps`` a slate of its
    ``duration_target``. The plan trusts the manifests' probed durations and does not look at
    media; assemble checks the rendered cut against it.
    """
    fps = fmt.fps
    clips: list[CutClip] = []
    gaps: list[str] = []
    at = 0
    for shot in shots:
        if shot.status == "omitted":
            continue
        take = shot.selected_take
        if take is None or take.video is None:
            gaps.append(shot.shot_number)
            if not allow_gaps:
                continue
            number, sha, length = None, None, seconds(shot.duration_target)
        else:
            number, sha, length = (
                take.attempt_number,
                take.video.sha256,
                seconds(take.video.duration),
            )
        start = seconds(shot.cut_in) if shot.cut_in is not None and number else Fraction(0)
        end = seconds(shot.cut_out) if shot.cut_out is not None and number else length
        end = min(end, length)
        frames = max(frames_of(end - start, fps), 0)
        transition = _transition(shot, fps, first=not clips)
        if transition is not None:
            at -= transition.frames
        clips.append(
            CutClip(
                shot=shot.shot_number,
                scene=shot.scene,
                take=number,
                sha256=sha,
                take_duration=length,
                start=start,
                end=end,
                frames=frames,
                transition_in=transition,
                at=max(at, 0),
            )
        )
        at += frames
    return CutPlan(fps=fps, clips=tuple(clips), gaps=tuple(gaps))


def _transition(shot: Shot, fps: Fraction, *, first: bool) -> CutTransition | None:
    """The transition into ``shot``; the film's first clip has nothing to transition from."""
    wanted = shot.transition_in
    if first or wanted is None or wanted.kind not in OVERLAPPING:
        return None
    frames = frames_of(wanted.duration, fps)
    return CutTransition(wanted.kind, frames, fps) if frames > 0 else None
