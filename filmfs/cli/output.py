"""How commands print: one ``--format`` option, one JSON style, and results that carry ``ok``.

Every command that prints data takes ``--format text|json`` (some add a format of their own:
``markdown``, ``github``, ``dot``...); ``--json`` is kept as a hidden alias of ``--format
json``. A command's callback returns its result; when the result carries ``ok`` and it is
false, the group (:mod:`filmfs.cli`) exits 1. That, and the mapping of errors to exit codes,
happens in one place: :func:`filmfs.errors.exit_code`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import PurePath
from typing import Any, TypeVar

import click

from filmfs import escape

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

FORMAT_HELP = {
    "text": "text for people",
    "json": "json for tools",
    "markdown": "markdown for a pull-request comment",
    "github": "github for Actions annotations",
    "dot": "dot for Graphviz",
    "mermaid": "mermaid for Markdown (GitHub renders it)",
}


def format_option(*formats: str, default: str = "text") -> Callable[[F], F]:
    """``--format`` (``text`` and ``json`` unless ``formats`` says otherwise) and the hidden
    ``--json`` alias; the callback receives ``fmt``."""
    choices = list(formats or ("text", "json"))

    def decorate(callback: F) -> F:
        @functools.wraps(callback)
        def wrapper(*args: Any, fmt: str, as_json: bool, **kwargs: Any) -> Any:
            return callback(*args, fmt="json" if as_json else fmt, **kwargs)

        # The options given so far move to the wrapper (click takes them off the function it
        # makes a command of, so one function can make two commands, as pull and fetch do).
        wrapper.__click_params__ = vars(callback).pop("__click_params__", [])  # type: ignore[attr-defined]
        with_json = click.option(
            "--json", "as_json", is_flag=True, hidden=True, help="The same as --format json."
        )(wrapper)
        help_text = ", ".join(FORMAT_HELP.get(name, name) for name in choices) + "."
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help=help_text[0].upper() + help_text[1:],
        )(with_json)  # type: ignore[return-value]

    return decorate


def plain(value: Any) -> Any:
    """``value`` as JSON data: dataclasses as objects (with ``ok`` when they carry one),
    paths and exact numbers as strings, tuples and sets as lists."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    kind = type(value)
    if hasattr(kind, "__dataclass_fields__"):
        data = {name: plain(getattr(value, name)) for name in _field_names(kind)}
        ok = getattr(value, "ok", None)
        if "ok" not in data and isinstance(ok, bool):
            data["ok"] = ok
        return data
    if isinstance(value, set | frozenset):
        return sorted(plain(item) for item in value)
    if isinstance(value, Decimal):
        # Money: a JSON number a reader can sum. Exact: a float's repr is the shortest text
        # that reads back the same, which for an amount of up to 15 digits is the amount.
        return float(value)
    if isinstance(value, Fraction | PurePath):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return plain(value.value)
    raise TypeError(f"no JSON form for {kind.__name__}")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def _one_level(value: Any) -> Any:
    """:func:`plain` for one value the JSON encoder cannot write itself; what it holds is left
    to the encoder (which calls this again for each such value inside)."""
    kind = type(value)
    if hasattr(kind, "__dataclass_fields__"):
        names, values = _getter(kind)
        data = dict(zip(names, values(value), strict=True))
        if "ok" not in data and hasattr(kind, "ok"):
            ok = getattr(value, "ok", None)
            if isinstance(ok, bool):
                data["ok"] = ok
        return data
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items()}
    return plain(value)


_GETTERS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def _getter(kind: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    """A dataclass's field names and one C call that reads them all from an instance."""
    found = _GETTERS.get(kind)
    if found is None:
        names = _field_names(kind)
        if len(names) == 1:
            one = operator.attrgetter(names[0])
            found = (names, lambda value: (one(value),))
        else:
            found = (names, operator.attrgetter(*names) if names else lambda value: ())
        _GETTERS[kind] = found
    return found


def to_json(data: Any) -> str:
    """The one JSON style: UTF-8 text, keys in the order the result gives them; indented for a
    person at a terminal, compact when piped (json's C encoder runs only without indent, which
    keeps --format json on a 10,000-shot film well under 100 ms)."""
    indent = 2 if sys.stdout.isatty() else None
    try:
        # The encoder walks lists and dicts in C and asks _one_level only for the rest
        # (dataclasses, paths, fractions): a 10,000-row result is not copied first.
        text = json.dumps(data, indent=indent, ensure_ascii=False, default=_one_level)
    except TypeError:  # a dict keyed by something the encoder refuses (a path): plain() says
        text = json.dumps(plain(data), indent=indent, ensure_ascii=False)
    # C1 and bidi controls as \u escapes: the same data, safe to land on a terminal.
    return escape.json_text(text)


def echo_json(data: Any) -> None:
    click.echo(to_json(data))


def emit(result: T, fmt: str, render: Callable[[T], str] | None = None) -> T:
    """Print ``result`` as JSON or with ``render``, and return it (the group reads ``ok``)."""
    if fmt == "json":
        echo_json(result)
    elif render is not None:
        text = render(result)
        if text:
            echo_text(text)
    return result


def echo_text(text: str, *, err: bool = False) -> None:
    """Print text made from the film for a person: control characters shown escaped, URL
    passwords masked (:mod:`filmfs.escape`)."""
    click.echo(escape.terminal(escape.mask_userinfo(text)), err=err)


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What the exit code should say when an option decides it (--strict, --exit-code)."""

    ok: bool
