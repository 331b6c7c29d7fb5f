"""filmfs.fork: work done in a forked child, which every way it can end leaves correct; and the
kept report's stat pass, which splits a large film's paths with one."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from tests.own_process import run_cases

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_cases("tests.fork_run", tmp_path_factory.mktemp("fork"))


def test_the_child_answers(runs: dict[str, Any]) -> None:
    answer = runs["answer"]
    assert answer["forks"] == 1
    assert answer["got"].startswith("from the child ")
    assert answer["got"] != f"from the child {answer['parent']}"  # another process made it
    assert answer["again"]  # asked twice, the same answer


def test_a_child_that_raises_or_hangs_gives_none(runs: dict[str, Any]) -> None:
    assert (runs["raises"]["got"], runs["raises"]["forks"]) == (None, 1)
    hung = runs["outlives_alarm"]
    assert (hung["got"], hung["forks"]) == (None, 1)
    assert hung["seconds"] < 30  # its alarm was 1 s


def test_a_child_whose_answer_nobody_waits_for_is_ended(runs: dict[str, Any]) -> None:
    assert runs["left_early_seconds"] < 30  # not its 60 s alarm, nor the 600 s of its work


def test_no_fork_while_another_thread_runs(runs: dict[str, Any]) -> None:
    assert runs["with_a_thread"]["got"] == "no fork"
    assert runs["with_a_thread"]["forks"] == 0


@pytest.mark.parametrize(
    ("case", "forks"),
    [("keys", 1), ("keys_few", 0), ("keys_child_died", 1), ("keys_with_a_thread", 0)],
)
def test_stat_keys_are_the_same_split_or_not(runs: dict[str, Any], case: str, forks: int) -> None:
    """Over the threshold the second half comes from a child; absent paths, a child that dies
    and a process where a fork is unsafe all give exactly what one process would."""
    assert runs[case] == {"same": True, "forks": forks}
