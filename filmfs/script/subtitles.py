"""The cut's subtitles: the dialogue of its shots placed at their times in the cut.

Used by `assemble` (SRT and WebVTT beside the cut, and the soft subtitle track), `export`
(markers) and the review page; the timing itself is :mod:`filmfs.media.subtitles`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from filmfs.film.cut import CutPlan
from filmfs.manifests.writer import atomic_write_text
from filmfs.media.subtitles import Cue, Placed, Spoken, cues, to_srt, to_vtt
from filmfs.project import Project


def placed(project: Project, plan: CutPlan) -> list[Placed]:
    """The plan's clips with their exact start (the frame they start on, a crossfade's overlap
    included), length and lines."""
    names = {c.id: c.name for c in project.characters.values()}
    found: list[Placed] = []
    for clip in plan.clips:
        shot = project.shots[clip.shot]
        lines = tuple(Spoken(names.get(d.character, d.character), d.line) for d in shot.dialogue)
        head = clip.transition_in.duration if clip.transition_in else Fraction(0)
        found.append(Placed(clip.shot, clip.at / plan.fps, clip.frames / plan.fps, lines, head))
    return found


def plan_cues(project: Project, plan: CutPlan) -> list[Cue]:
    """Every subtitle of the cut ``plan`` describes."""
    return cues(placed(project, plan))


def subtitle_paths(output: Path) -> tuple[Path, Path]:
    """Where the subtitles of the cut at ``output`` go: ``cut.srt`` and ``cut.vtt`` beside it."""
    return output.with_suffix(".srt"), output.with_suffix(".vtt")


def write_subtitles(found: Sequence[Cue], output: Path) -> list[Path]:
    """Write SRT and WebVTT beside the cut; nothing when there is no dialogue."""
    if not found:
        return []
    srt, vtt = subtitle_paths(output)
    atomic_write_text(srt, to_srt(found))
    atomic_write_text(vtt, to_vtt(found))
    return [srt, vtt]
