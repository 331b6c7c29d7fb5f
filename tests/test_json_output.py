"""The one JSON style: the encoder's fast walk writes exactly what plain() makes of a result."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import Path

from filmfs.cli.output import plain, to_json


class Colour(Enum):
    RED = "red"


@dataclass(frozen=True)
class Row:
    name: str
    rate: Fraction
    cost: Decimal
    where: Path
    tags: frozenset[str]
    colour: Colour
    day: date


@dataclass(frozen=True)
class Single:
    only: tuple[int, ...]


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    nested: dict[str, list[Single]]
    empty: list[Single] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.empty


def _row(i: int) -> Row:
    return Row(
        name=f"shot {i} \u2028 \x85",
        rate=Fraction(24000, 1001),
        cost=Decimal("0.10") * i,
        where=Path("shots") / f"{i:03d}",
        tags=frozenset({"b", "a"}),
        colour=Colour.RED,
        day=date(2026, 1, 2),
    )


def _plain_json(value: object) -> str:
    return to_json(plain(value))


def test_the_fast_walk_equals_plain() -> None:
    result = Result(rows=[_row(i) for i in range(50)], nested={"x": [Single((1, 2))]})
    text = to_json(result)
    assert text == _plain_json(result)
    data = json.loads(text)
    assert data["ok"] is True and data["rows"][3]["rate"] == "24000/1001"
    assert data["rows"][0]["tags"] == ["a", "b"] and data["nested"]["x"][0]["only"] == [1, 2]
    assert "\\u2028" in text and "\\u0085" in text  # escaped for the terminal, as before


def test_a_dict_keyed_by_paths_goes_the_plain_way() -> None:
    value = {Path("a/b"): [_row(1)], "n": Fraction(1, 3)}
    assert to_json(value) == _plain_json(value)
    assert json.loads(to_json(value))["a/b"][0]["where"] == "shots/001"
