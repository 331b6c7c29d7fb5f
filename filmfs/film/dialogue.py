"""How long dialogue takes to read, and whether a shot's lines fit its time on screen.

The rate is the Netflix Timed Text Style Guide's for adult English subtitles: at most
17 characters per second, and no subtitle shorter than 5/6 s (20 frames at 24 fps)
(partnerhelp.netflixstudios.com, "English (USA) Timed Text Style Guide"). 17 cps is about
180 words a minute, the top of the BBC Subtitle Guidelines' 160-180 wpm; speech runs slower
(~150 wpm), so a shot whose lines cannot even be *read* in its length cannot be spoken in it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from filmfs.film.model import Dialogue

READING_CPS = Fraction(17)
"""Characters (spaces included) read per second."""
MIN_LINE = Fraction(5, 6)
"""The least time one line is shown."""


def reading_time(lines: Iterable[Dialogue]) -> Fraction:
    """Seconds needed to read ``lines`` one after another at :data:`READING_CPS`."""
    return sum(
        (max(Fraction(len(line.line.strip()), READING_CPS), MIN_LINE) for line in lines),
        Fraction(0),
    )


def fitting_duration(lines: Iterable[Dialogue], *, least: Fraction = Fraction(3)) -> Fraction:
    """A shot length that carries ``lines`` with a second of air: the reading time plus one,
    rounded up to the half second, and never under ``least``."""
    needed = reading_time(lines)
    if needed == 0:
        return least
    return max(least, Fraction(math.ceil((needed + 1) * 2), 2))
