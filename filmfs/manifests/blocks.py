"""Replacing one top-level field of a manifest in its text, without a YAML round trip.

``assemble`` rewrites film.yaml's ``final_edit`` on every render. A round trip through
ruamel.yaml re-reads and re-emits the whole file (and costs its import); here only the field's
block changes: its key line at column 0 and the indented lines under it are replaced by the new
value, dumped in the round-trip layout (sequences indented under their key), and every other
byte of the file is kept. The result is parsed back and must hold exactly the old data with
that field changed; anything unusual (flow style, the key twice, an anchor used elsewhere, a
comment between the field's lines, a line the round trip would fold) makes :func:`replaced`
return None, and the caller falls back to the round trip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from filmfs.errors import FilmfsError
from filmfs.manifests.loader import parse_data

WIDTH = 100  # the round trip's line width (writer._round_trip)


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key (as the round trip writes them)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def block(key: str, value: Any) -> str:
    """``key: value`` as YAML text, in the layout the round trip gives."""
    return yaml.dump(
        {key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000
    )


def replaced(text: str, key: str, value: Mapping[str, Any]) -> str | None:
    """``text`` with its top-level ``key`` set to ``value`` (appended if absent), or None when
    the file is laid out in a way this cannot edit safely."""
    lines = text.splitlines(keepends=True)
    head = re.compile(rf"{re.escape(key)}[ \t]*:([ \t]|$)")
    starts = [i for i, line in enumerate(lines) if head.match(line)]
    if len(starts) > 1:
        return None
    if starts:
        first = end = starts[0]
        end += 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
            end += 1
        while end > first + 1 and not lines[end - 1].strip():
            end -= 1  # blank lines after the block stay where they are
        if any(line.lstrip().startswith("#") for line in lines[first + 1 : end]):
            return None  # someone's comment inside the block: let the round trip keep it
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        first = end = len(lines)
    try:
        dumped = block(key, value)
        if max(len(line) for line in dumped.splitlines()) > WIDTH:
            return None  # the round trip folds long lines: leave those to it, for one layout
        new = "".join(lines[:first]) + dumped + "".join(lines[end:])
        # Parsed back as filmfs reads it: a string the dump left plain but a YAML 1.2 reader
        # would take for a number (or anything else) shows here, and the round trip is used.
        before, after, wanted = (parse_data(t, key) for t in (text, new, dumped))
    except (FilmfsError, yaml.YAMLError):
        return None
    if not isinstance(before, dict) or after != {**before, **wanted}:
        return None
    return new
