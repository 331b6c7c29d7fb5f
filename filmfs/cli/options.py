"""Options and value types shared by several commands (printing formats: output.py)."""

from __future__ import annotations

import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from filmfs.film.model import money
from filmfs.layout import find_root


def find_film(start: Path) -> Path:
    """The film ``start`` is in (itself or the nearest folder above with film.yaml), as git
    finds its repository; ``start`` unchanged when there is none (loading then says so)."""
    if not start.is_dir():
        return start  # loading says "no such directory", as git -C does
    found = find_root(start)
    if found is None or found == Path(os.path.abspath(start)):
        return start
    return found


def _find_film(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    return None if value is None else find_film(value)


film_option = click.option(
    "-C",
    "--film",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    callback=_find_film,
    help="The film's directory, or any folder inside it (default: here).",
)

no_commit_option = click.option(
    "--no-commit", is_flag=True, help="Change the manifests but do not commit them to Git."
)


def num(value: float | Decimal | None, unit: str = "", digits: int = 2) -> str:
    """A number for people: '-' when unknown."""
    return "-" if value is None else f"{value:.{digits}f}{unit}"


class Money(click.ParamType[Decimal]):
    """An amount of USD, read exactly as written (``0.1`` is one tenth, not a float near it)."""

    name = "usd"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        amount = (
            value if isinstance(value, Decimal) else money(str(value).strip().removeprefix("$"))
        )
        if amount is None or amount < 0:
            self.fail(f"{value!r} is not an amount of USD, 0 or more (e.g. 0.35)", param, ctx)
        return amount


class OutputPath(click.Path):
    """A file to write: a trailing slash means a folder, which would silently become a file
    named like the folder (`review --out site/` wrote a file called `site`)."""

    def __init__(self, *, dir_okay: bool = False) -> None:
        super().__init__(dir_okay=dir_okay, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.endswith(("/", os.sep)):
            self.fail(f"{value!r} names a folder; give a file name inside it", param, ctx)
        return super().convert(value, param, ctx)


class Seconds(click.FloatRange):
    """A positive, finite number of seconds (click's FloatRange lets NaN through)."""

    def __init__(self, low: float = 0.0, high: float | None = None) -> None:
        super().__init__(low, high, min_open=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return number
