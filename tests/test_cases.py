"""Every folder under tests/cases/ is a film; invalid ones carry the exact errors expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from tests.conftest import CASES

VALID = sorted((CASES / "valid").iterdir())
INVALID = sorted((CASES / "invalid").iterdir())


def _run(case: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(case)
    result = CliRunner().invoke(cli, ["validate", "."])
    assert "Traceback" not in result.output
    lines = [
        line
        for line in result.output.splitlines()
        if "warning:" not in line and "files checked" not in line
    ]
    return result.exit_code, lines


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, errors = _run(case, monkeypatch)
    assert errors == []
    assert code == 0


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = (case / "expected.txt").read_text("utf-8").splitlines()
    assert expected, f"{case.name}: expected.txt must list at least one error"
    code, errors = _run(case, monkeypatch)
    assert errors == expected
    assert code == 1


def test_unsafe_tag_is_never_executed(monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / "invalid" / "unsafe-python-tag"
    _run(case, monkeypatch)
    assert not (case / "pwned").exists()
