"""The cut's subtitles: the dialogue of its shots placed at their times in the cut.

Used by `assemble` (SRT and WebVTT beside the cut, and the soft subtitle track), `export`
(markers) and the review page; the timing itself is :mod:`filmfs.media.subtitles`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from filmfs.manifests.writer import atomic_write_text
from filmfs.media.assembly import Clip
from filmfs.media.subtitles import Cue, Placed, Spoken, cues, to_srt, to_vtt
from filmfs.project import Project


def _exact(seconds: float) -> Fraction:
    # Durations are stored as decimals in the manifests: read them as the decimal written.
    return Fraction(str(seconds))


def placed(project: Project, clips: Sequence[tuple[str, str, float | None]]) -> list[Placed]:
    """The cut's clips, given as (shot id, sha256 of what plays, transition-in seconds), with
    their start times and lines; a crossfade overlaps the clip before by its length."""
    names = {c.id: c.name for c in project.characters.values()}
    found: list[Placed] = []
    at = Fraction(0)
    for shot_id, sha256, transition in clips:
        shot = project.shots[shot_id]
        take = shot.selected_take
        if take is not None and take.video is not None and take.video.sha256 == sha256:
            duration = _exact(take.video.duration)
        else:  # a slate stands in for the shot at its target length
            duration = _exact(shot.duration_target)
        head = _exact(transition) if transition else Fraction(0)
        start = at - head
        lines = tuple(Spoken(names.get(d.character, d.character), d.line) for d in shot.dialogue)
        found.append(Placed(shot_id, start, duration, lines, head))
        at = start + duration
    return found


def cut_cues(project: Project, clips: Sequence[Clip]) -> list[Cue]:
    """The cues of the cut that assemble makes of ``clips``."""
    items = [
        (c.label, c.sha256, c.transition_in.duration if c.transition_in else None) for c in clips
    ]
    return cues(placed(project, items))


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


def film_clips(project: Project) -> list[tuple[str, str, float | None]]:
    """The clips ``assemble`` cuts (without --allow-gaps): each shot not omitted that has a
    selected take, with the crossfade into it (none into the first)."""
    found: list[tuple[str, str, float | None]] = []
    for shot in project.shots.values():
        take = shot.selected_take
        if shot.status == "omitted" or take is None or take.video is None:
            continue
        wanted = shot.transition_in
        fade = wanted.duration if wanted and wanted.kind == "crossfade" and found else None
        found.append((shot.shot_number, take.video.sha256, fade or None))
    return found
