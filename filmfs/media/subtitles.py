"""Subtitles of a cut: each shot's dialogue timed inside the shot's place in the cut.

Input is the cut's clips in order with their start times (exact, as Fractions), so it works
from any cut plan. Within a clip, lines share the time the clip is seen alone (after any
transition into it) in proportion to their reading time (:mod:`filmfs.film.dialogue`'s rate),
one after another, with a two-frame gap between cues as subtitle style guides ask.
Output is SubRip (.srt) and WebVTT (.vtt, with the speaker as a ``<v>`` voice span).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmfs.errors import FilmfsError
from filmfs.film.dialogue import MIN_LINE, READING_CPS
from filmfs.media.ffmpeg import builder, command, run_ffmpeg

GAP = Fraction(1, 12)  # two frames at 24 fps (Netflix Timed Text Style Guide: 2-frame gap)


@dataclass(frozen=True)
class Spoken:
    speaker: str
    text: str


@dataclass(frozen=True)
class Placed:
    """One clip of the cut: when it starts, how long it lasts, how much of its head overlaps
    the clip before (a crossfade), and the lines spoken in it."""

    label: str
    start: Fraction
    duration: Fraction
    lines: tuple[Spoken, ...]
    head: Fraction = Fraction(0)


@dataclass(frozen=True)
class Cue:
    start: Fraction
    end: Fraction
    speaker: str
    text: str
    label: str


def _weight(text: str) -> Fraction:
    return max(Fraction(len(text.strip()), READING_CPS), MIN_LINE)


def clip_cues(clip: Placed) -> list[Cue]:
    """The cues of one clip, timed within its seen-alone span."""
    if not clip.lines:
        return []
    begin = clip.start + clip.head
    span = clip.duration - clip.head
    if span <= 0:
        return []
    weights = [_weight(line.text) for line in clip.lines]
    total = sum(weights, Fraction(0))
    found = []
    at = begin
    for line, weight in zip(clip.lines, weights, strict=True):
        share = span * weight / total
        end = at + share - (GAP if share > 2 * GAP else 0)
        found.append(Cue(at, end, line.speaker, line.text.strip(), clip.label))
        at += share
    return found


def cues(clips: Sequence[Placed]) -> list[Cue]:
    """Every cue of the cut, in time order."""
    return [cue for clip in clips for cue in clip_cues(clip)]


def _stamp(seconds: Fraction, sep: str) -> str:
    ms = int(seconds * 1000 + Fraction(1, 2))  # round half up, exactly
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{ms:03d}"


def _one_line(text: str) -> str:
    # A blank line ends a cue in both formats; keep every cue's text on non-empty lines.
    return "\n".join(part for part in text.splitlines() if part.strip()) or "-"


def to_srt(found: Sequence[Cue]) -> str:
    blocks = [
        f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{_one_line(c.text)}\n"
        for i, c in enumerate(found, 1)
    ]
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(found: Sequence[Cue]) -> str:
    blocks = ["WEBVTT\n"]
    for i, c in enumerate(found, 1):
        voice = _vtt_escape(c.speaker).replace("\n", " ")
        text = _vtt_escape(_one_line(c.text).replace("-->", "->"))
        blocks.append(f"{i}\n{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n<v {voice}>{text}\n")
    return "\n".join(blocks)


def mux_subtitles(video: Path, srt_text: str, out: Path, *, language: str = "eng") -> None:
    """Copy ``video`` to ``out`` with the subtitles as a soft MP4 text track (mov_text)."""
    srt = out.with_suffix(".srt")
    try:
        srt.write_text(srt_text, encoding="utf-8")
        ff = builder()
        output = ff.output(
            ff.input(str(video)),
            ff.input(str(srt)),
            str(out),
            c="copy",
            f="mp4",
            **{"c:s": "mov_text", "metadata:s:s:0": f"language={language}"},
            **{"disposition:s:0": "default"},
        )
        run_ffmpeg(command(output), what="adding the subtitle track")
    except OSError as exc:
        raise FilmfsError(f"cannot write the subtitles for the cut: {exc}") from exc
    finally:
        srt.unlink(missing_ok=True)
