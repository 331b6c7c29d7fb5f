"""probe_ahead: a clip's probe in a forked child, which every way it can end leaves correct."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.media.conftest import render
from tests.own_process import run_cases

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("ahead")
    video = render(folder / "clip.mp4", seconds=1.0, fps=25)
    junk = folder / "junk.mp4"
    junk.write_bytes(b"<html>not a video</html>")
    return run_cases("tests.media.probe_ahead_run", video, junk)


def test_the_child_gives_what_a_probe_here_gives(runs: dict[str, Any]) -> None:
    assert runs["video"]["forks"] == 1
    assert runs["video"]["info"] == runs["here"]["info"]
    assert runs["video"]["info"]["fps"] == "25" and runs["video"]["info"]["width"] == 320
    assert runs["av_imported_here"] is False  # PyAV was imported by the child alone


def test_a_file_that_is_no_video_gets_the_same_error(runs: dict[str, Any]) -> None:
    assert runs["junk"]["forks"] == 1
    assert "junk.mp4: not a readable video" in runs["junk"]["error"]
    assert runs["junk"]["error"] == runs["here"]["error"]


def test_no_regular_file_no_probe(runs: dict[str, Any]) -> None:
    assert runs["missing"] == {"ahead": None, "forks": 0}
    assert runs["fifo"] == {"ahead": None, "forks": 0}  # opening it would block


@pytest.mark.parametrize("how", ["child_died", "child_stuck", "with_a_thread"])
def test_without_an_answer_from_a_child_the_clip_is_probed_here(
    runs: dict[str, Any], how: str
) -> None:
    assert runs[how]["info"] == runs["here"]["info"]
    assert runs[how]["forks"] == (0 if how == "with_a_thread" else 1)
    assert runs[how]["seconds"] < 30  # the stuck child's alarm is 1 s here
