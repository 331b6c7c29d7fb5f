"""Frame rates as exact rationals: what a manifest may write, and how it is written back.

A manifest may give ``24``, ``25``, ``23.976``, ``29.97``, ``59.94`` or ``"24000/1001"``; all
become one :class:`~fractions.Fraction`. The decimal spellings of the NTSC rates are rounded
names for n*1000/1001 (SMPTE ST 12-1), so any decimal within 0.0005 of such a rate (and not an
integer) is read as it; any other decimal is read exactly as written (12.5 -> 25/2).
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction

from filmfs.errors import FilmfsError

MAX_RATE = 240
_RATIO = re.compile(r"^\s*([0-9]+)\s*/\s*([0-9]+)\s*$")
_DECIMAL = re.compile(r"^\s*[0-9]+(\.[0-9]+)?\s*$")
RATE_PATTERN = r"^[0-9]+(\.[0-9]+)?$|^[0-9]+/[0-9]+$"
"""The text forms a manifest may use (JSON Schema pattern; numbers are also allowed)."""


def parse_rate(value: object) -> Fraction:
    """The exact rate ``value`` names; FilmfsError when it names none."""
    if type(value) is int or type(value) is str:
        # A film names the same few rates in thousands of takes (a Fraction is immutable).
        return _parse_known(value)
    return _parse(value)


def _parse(value: object) -> Fraction:
    if isinstance(value, bool):
        raise FilmfsError(f"frame rate {value!r} is not a number")
    if isinstance(value, Fraction):
        rate = value
    elif isinstance(value, int):
        rate = Fraction(value)
    elif isinstance(value, float):
        rate = _decimal(repr(value))
    elif isinstance(value, str) and (match := _RATIO.match(value)):
        num, den = int(match[1]), int(match[2])
        if den == 0:
            raise FilmfsError(f"frame rate {value!r} divides by zero")
        rate = Fraction(num, den)
    elif isinstance(value, str) and _DECIMAL.match(value):
        rate = _decimal(value.strip())
    else:
        raise FilmfsError(
            f"frame rate {value!r} is not a number or a fraction",
            hint="write e.g. 24, 25, 29.97 or 24000/1001",
        )
    if not 0 < rate <= MAX_RATE:
        raise FilmfsError(f"frame rate {value!r} is not above 0 and at most {MAX_RATE}")
    return rate


_parse_known = functools.lru_cache(maxsize=64)(_parse)


def _decimal(text: str) -> Fraction:
    written = Fraction(text)
    if written.denominator == 1:
        return written
    ntsc = Fraction(round(written * Fraction(1001, 1000)) * 1000, 1001)
    if abs(written - ntsc) < Fraction(1, 2000):
        return ntsc
    return written


def rate_data(rate: Fraction) -> int | str:
    """How a manifest records ``rate``: an integer, else exact ``"num/den"`` text."""
    return rate.numerator if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator}"


def rate_text(rate: Fraction) -> str:
    """For people: ``24``, ``23.976`` (NTSC rates to three places), ``12.5``."""
    if rate.denominator == 1:
        return str(rate.numerator)
    return f"{float(rate):.3f}".rstrip("0").rstrip(".")


def timescale(rate: Fraction) -> int:
    """The MP4 track time scale every piece of a cut at ``rate`` is written with.

    ffmpeg's own choice (1/time base, doubled until >= 10000), fixed so that pieces encoded at
    different times, and by different code, share it and join by stream copy.
    """
    scale = rate.numerator
    while scale < 10000:
        scale *= 2
    return scale
