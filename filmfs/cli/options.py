"""Options shared by the query commands, and the one way they print JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def film_option(func: F) -> F:
    return click.option(
        "-C",
        "--film",
        "film",
        type=click.Path(file_okay=False, path_type=Path),
        default=".",
        show_default=True,
        help="The film's directory.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")(func)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def num(value: float | None, unit: str = "", digits: int = 2) -> str:
    """A number for people: '-' when unknown."""
    return "-" if value is None else f"{value:.{digits}f}{unit}"
