"""Subtitle timing and formats (filmfs.media.subtitles), and the reading-rate check."""

from __future__ import annotations

from fractions import Fraction

from filmfs.film.dialogue import MIN_LINE, READING_CPS, fitting_duration, reading_time
from filmfs.film.model import Dialogue
from filmfs.media.subtitles import GAP, Placed, Spoken, cues, to_srt, to_vtt


def test_reading_time_is_17_characters_a_second_with_a_floor() -> None:
    line = Dialogue("mara", "x" * 34)
    assert reading_time([line]) == Fraction(2)
    assert reading_time([Dialogue("tom", "Hi.")]) == MIN_LINE
    assert READING_CPS == 17
    # 2 + 5/6 s of reading, plus a second of air, rounded up to the half second.
    assert fitting_duration([line, Dialogue("tom", "Hi.")]) == Fraction(4)
    assert fitting_duration([]) == Fraction(3)


def test_cues_share_the_clip_by_reading_time_after_its_transition() -> None:
    clips = [
        Placed(
            "01A", Fraction(0), Fraction(4), (Spoken("MARA", "a" * 34), Spoken("TOM", "b" * 17))
        ),
        Placed("02A", Fraction(7, 2), Fraction(3), (Spoken("TOM", "Fine."),), head=Fraction(1, 2)),
        Placed("03A", Fraction(6), Fraction(2), ()),
    ]
    found = cues(clips)
    assert [(c.label, c.start, c.end, c.speaker) for c in found] == [
        ("01A", Fraction(0), Fraction(8, 3) - GAP, "MARA"),
        ("01A", Fraction(8, 3), Fraction(4) - GAP, "TOM"),
        ("02A", Fraction(4), Fraction(13, 2) - GAP, "TOM"),
    ]


def test_srt_and_vtt_text() -> None:
    found = cues([Placed("01A", Fraction(3661661, 1000), Fraction(2), (Spoken("A & B", "<hi>"),))])
    assert to_srt(found) == "1\n01:01:01,661 --> 01:01:03,578\n<hi>\n"
    assert to_vtt(found) == (
        "WEBVTT\n\n1\n01:01:01.661 --> 01:01:03.578\n<v A &amp; B>&lt;hi&gt;\n"
    )
