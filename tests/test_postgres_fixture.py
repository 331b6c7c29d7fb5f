"""The PostgreSQL fixture's policy: skip on a developer machine, fail in CI, never pass silently."""

from __future__ import annotations

import pytest

from tests import postgres


def test_missing_binaries_fail_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "find_bindir", lambda: None)
    monkeypatch.delenv("FILMFS_TEST_PG_URL", raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        next(postgres.server())
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        next(postgres.server())


def test_url_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FILMFS_TEST_PG_URL", "postgresql://u@db.example/x")
    assert next(postgres.server()) == "postgresql://u@db.example/x"
