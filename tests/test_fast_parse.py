"""The fast, position-free parse gives exactly the careful parse's data and errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from filmfs.errors import ManifestError
from filmfs.manifests.loader import parse, parse_data, read_text
from tests.conftest import CASES, EXAMPLE_FILM

TRICKY = [
    "a: 1\nb: [1, 2.5, true, null, ~, 0x1f, 1_000]\nc: {d: 2001-12-14}\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\n",
    "a: !!python/object:os.system x\n",
    "a: !custom 1\n",
    "a: .nan\n",
    "a: -.inf\n",
    "? [1, 2]\n: x\n",
    "1: one\nnull: none\n",
    "a: !!str 5\nb: !!binary aGk=\n",
    "a: [1, 2\n",
    "- 1\n- 2\n",
    "just text\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 70)),
    "a: " + "[" * 70 + "]" * 70 + "\n",
    "a: \"\\u00e9t\\u00e9\"\nb: 'it''s'\n",
]


def _outcome(fn: Callable[[str], object], text: str) -> object:
    try:
        return ("data", fn(text))
    except ManifestError as exc:
        return ("error", exc.line, exc.col, exc.detail)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents(text: str) -> None:
    careful = _outcome(lambda t: parse(t, "x.yaml").data, text)
    assert _outcome(lambda t: parse_data(t, "x.yaml"), text) == careful


def test_every_case_file() -> None:
    paths = [p for p in [*CASES.rglob("*.yaml"), *EXAMPLE_FILM.rglob("*.yaml")]]
    paths = [p for p in paths if ".filmfs" not in p.parts]
    assert len(paths) > 50
    for path in paths:
        try:
            text = read_text(path, str(path))
        except ManifestError:
            continue
        careful = _outcome(lambda t: parse(t, "x.yaml").data, text)
        assert _outcome(lambda t: parse_data(t, "x.yaml"), text) == careful, path
