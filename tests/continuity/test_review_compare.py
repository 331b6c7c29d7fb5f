"""`filmfs review BASE HEAD` in real headless Chromium: each changed shot's old and new
selected take side by side, stale shots flagged, the rest of the film as context."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from tests.browser import Browser, find_chromium

CHROMIUM = find_chromium()
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def run(film: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "-C", str(film)])
    assert result.exit_code == 0, result.output
    return result.output


def git(film: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=film,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def change(film_repo: Path) -> Path:
    """A base commit with 01A-01C generated, then a change: 01A gets a new selected take and
    Mira's look changes (01C, which she is in, goes stale)."""
    run(film_repo, "generate", "01A", "01B", "01C")
    git(film_repo, "tag", "base")
    run(film_repo, "generate", "01A")
    run(film_repo, "select", "01A", "2")
    mira = film_repo / "characters/mira.yaml"
    mira.write_text(mira.read_text().replace("red ribbon", "green ribbon"))
    git(film_repo, "commit", "-qam", "new look")
    return film_repo


def test_the_comparison_names_exactly_the_changed_and_stale_shots(change: Path) -> None:
    page = change / "change.html"
    out = run(change, "review", "base", "HEAD", "--out", str(page))
    assert "2 changed shot(s) from base" in out and "1 stale" in out
    html = page.read_text()
    assert 'data-shot="01A" data-kind="changed"' in html
    assert "selected take 1 → 2" in html
    assert 'data-shot="01C" data-kind="stale" data-stale' in html
    assert "stale: character mira&#x27;s look changed" in html
    assert 'class="change" data-shot="01B"' not in html


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="no chromium binary (Debian's chromium)"
)
def test_old_and_new_takes_play_side_by_side_in_chromium(change: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None, "CI is set but no chromium binary was found"
    page = change / "change.html"
    run(change, "review", "base...HEAD", "--out", str(page))
    browser = Browser(CHROMIUM, tmp_path / "profile", width=1400, height=1000)
    try:
        browser.open(page.as_uri())
        browser.wait_for("document.body.dataset.ready === 'true'")
        rows = browser.eval(
            "[...document.querySelectorAll('article.change')].map(a => [a.dataset.shot,"
            " a.dataset.kind, a.querySelectorAll('video').length])"
        )
        assert rows == [["01A", "changed", 2], ["01C", "stale", 2]]
        # Both sides of 01A decode from the store, and they are different takes.
        first = "document.querySelector('article.change[data-shot=\"01A\"]')"
        browser.wait_for(f"[...{first}.querySelectorAll('video')].every(v => v.readyState >= 1)")
        sources = browser.eval(f"[...{first}.querySelectorAll('video')].map(v => v.currentSrc)")
        assert len(set(sources)) == 2 and all("/.filmfs/objects/" in s for s in sources)
        captions = browser.eval(
            f"[...{first}.querySelectorAll('figcaption')].map(f => f.textContent)"
        )
        assert captions[0].startswith("merge-base of base and HEAD") and "take 1" in captions[0]
        assert "take 2" in captions[1]
        # The rest of the film is there as context.
        shots = browser.eval("[...document.querySelectorAll('.shot-item')].length")
        assert shots == 7
        assert browser.console_errors() == []
        shot = tmp_path / "review-compare.png"
        browser.screenshot(shot)
        assert shot.stat().st_size > 10_000
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(shot, ARTIFACTS / "review-compare.png")
    finally:
        browser.close()
