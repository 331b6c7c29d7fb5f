"""The cut's rules, checked by `validate` at the file and line they concern.

Read from the same plan `assemble` renders (film/cut.py), so what validate accepts is what
assemble can make: a transition needs a clip before it, and overlaps cannot swallow a clip.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from filmfs.film.cut import OVERLAPPING, CutClip, frames_of, plan_cut, seconds
from filmfs.manifests.problems import Problem

if TYPE_CHECKING:
    from filmfs.film.integrity import Project


def check_cut_rules(project: Project) -> list[Problem]:
    film = project.film
    if film is None:
        return []
    found: list[Problem] = []
    fps = film.format.fps
    shots = [s for s in project.shots.values() if s.status != "omitted"]
    if shots:
        first = shots[0]
        tr = first.transition_in
        if tr is not None and tr.kind in OVERLAPPING and tr.duration > 0:
            found.append(
                project.make_problem(
                    first.path,
                    f"a {tr.kind} into the film's first shot has no clip to come from; "
                    "remove transition_in or make it a cut",
                    at=("transition_in", "type"),
                )
            )
    for shot in shots:
        take = shot.selected_take
        length = seconds(take.video.duration) if take and take.video else None
        start = seconds(shot.cut_in) if shot.cut_in is not None else Fraction(0)
        if shot.cut_out is not None and seconds(shot.cut_out) <= start:
            found.append(
                project.make_problem(
                    shot.path,
                    f"out ({shot.cut_out}) must be after in ({shot.cut_in or 0})",
                    at=("out",),
                )
            )
        elif length is not None and start >= length:
            found.append(
                project.make_problem(
                    shot.path,
                    f"in ({shot.cut_in}) is not inside the selected take ({float(length):g} s)",
                    at=("in",),
                )
            )
        elif length is not None and shot.cut_out is not None and seconds(shot.cut_out) > length:
            found.append(
                project.make_problem(
                    shot.path,
                    f"out ({shot.cut_out}) is past the end of the selected take "
                    f"({float(length):g} s)",
                    at=("out",),
                )
            )
    plan = plan_cut(shots, film.format)
    clips = plan.clips
    for i, clip in enumerate(clips):
        shot = project.shots[clip.shot]
        if clip.take is not None and clip.end > clip.start and clip.frames < 1:
            found.append(
                project.make_problem(
                    shot.path,
                    f"the clip of {clip.shot} lasts {float(clip.end - clip.start):g} s, "
                    f"less than one frame at {fps} fps",
                    at=("out",) if shot.cut_out is not None else ("shot_number",),
                )
            )
        wanted = shot.transition_in
        if i == 0 or wanted is None or wanted.kind not in OVERLAPPING:
            continue
        frames = frames_of(wanted.duration, fps)
        if frames > 0:
            _too_long(project, found, clip, clips[i - 1], frames, fps, wanted.duration)
    return found


def _too_long(
    project: Project,
    found: list[Problem],
    clip: CutClip,
    previous: CutClip,
    frames: int,
    fps: Fraction,
    duration: float,
) -> None:
    """A transition must leave each clip it joins at least a frame of its own."""
    shot = project.shots[clip.shot]
    prev_in = previous.transition_in.frames if previous.transition_in else 0
    for other, room in ((previous, previous.frames - prev_in), (clip, clip.frames)):
        if frames >= room:
            kind = shot.transition_in.kind if shot.transition_in else "transition"
            found.append(
                project.make_problem(
                    shot.path,
                    f"the {duration:g} s {kind} into {clip.shot} is longer than {other.shot}'s "
                    f"clip allows ({float(Fraction(room) / fps):.3f} s); shorten the transition",
                    at=("transition_in", "duration"),
                )
            )
            return
