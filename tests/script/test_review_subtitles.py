"""The review page's script section and the cut's subtitle track, in real headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.commands.import_script import import_script
from filmfs.commands.review import review
from filmfs.project import Project
from tests.browser import Browser, find_chromium

CHROMIUM = find_chromium()
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but no chromium binary was found: install `chromium`")
    pytest.skip("no chromium binary (install Debian's `chromium`)", allow_module_level=True)

BASE = Path(__file__).parent.parent / "scripts" / "edits" / "base.fountain"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    film = tmp_path_factory.mktemp("subs") / "film"
    runner = CliRunner()
    for args in (
        ["init", str(film), "--width", "64", "--height", "36", "--fps", "8"],
        ["generate", "--missing", "--no-commit", "-C", str(film)],
        ["assemble", "--no-commit", "-C", str(film)],
    ):
        if args[0] == "generate":
            import_script(film, script=BASE, commit=False)
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    page = review(Project.load(film)).page
    assert CHROMIUM is not None
    running = Browser(CHROMIUM, tmp_path_factory.mktemp("profile"))
    try:
        running.open(page.as_uri())
        running.wait_for("document.body.dataset.ready === 'true'")
        yield running
        assert running.console_errors() == []
    finally:
        running.close()


def test_the_cut_plays_with_its_subtitles_showing(browser: Browser) -> None:
    track = "document.getElementById('cut-video').textTracks[0]"
    assert browser.wait_for(f"{track}.cues && {track}.cues.length") == 7
    assert browser.eval(f"{track}.mode") == "showing"
    assert browser.eval(f"{track}.kind") == "subtitles"
    assert browser.eval(f"{track}.cues[0].text") == "NELL: Tide's turning."
    assert browser.eval(f"{track}.cues[0].startTime") == 0


def test_the_script_section_lists_scenes_beside_their_shots(browser: Browser) -> None:
    scenes = browser.eval(
        "[...document.querySelectorAll('.script-scene h3')].map(h => h.textContent)"
    )
    assert scenes[0] == "1. EXT. HARBOUR - DAWN" and len(scenes) == 6
    row = "document.querySelector('.script-scene tr[data-shot=\"03A\"]')"
    assert "JONAH\nI can see the island!" in browser.eval(f"{row}.querySelector('pre').textContent")
    assert "take 1" in browser.eval(f"{row}.querySelector('.script-shot').textContent")
