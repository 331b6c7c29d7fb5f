"""The review page in real headless Chromium: load it from file://, let its script run, and
check the DOM, the keyboard, "Play cut" and that the videos decode from the media store."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from filmfs.commands.review import review
from filmfs.project import Project
from tests.browser import Browser, find_chromium
from tests.review_film import make_review_film

CHROMIUM = find_chromium()
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but no chromium binary was found: install `chromium`")
    pytest.skip("no chromium binary (install Debian's `chromium`)", allow_module_level=True)

CURRENT = "document.querySelector('article.shot:not([hidden])')"
VIEWER = CURRENT + ".querySelector('video.main-video')"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    film = make_review_film(tmp_path_factory.mktemp("review") / "film")
    return film, review(Project.load(film)).page


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert CHROMIUM is not None
    running = Browser(CHROMIUM, tmp_path_factory.mktemp("profile"))
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def browser(chromium: Browser, page: tuple[Path, Path]) -> Iterator[Browser]:
    """A fresh tab on the review page, its script run; no script errors allowed."""
    chromium.open(page[1].as_uri())
    try:
        chromium.wait_for("document.body.dataset.ready === 'true'")
        yield chromium
        assert chromium.console_errors() == []
    finally:
        chromium.close_page()


def js(value: str) -> str:
    return json.dumps(value)


def test_page_shows_the_playlist_takes_and_metrics(
    browser: Browser, page: tuple[Path, Path], tmp_path: Path
) -> None:
    film = page[0]
    shots = browser.eval("[...document.querySelectorAll('.shot-item')].map(li => li.dataset.shot)")
    assert shots == ["01A", "01B", "01C", "02A", "02B", "02C", "02D", "02E"]
    assert browser.eval("document.body.dataset.currentShot") == "01A"
    assert browser.eval("document.querySelector('[data-metric=takes] dd').textContent") == "8"
    assert browser.eval("document.querySelector('[data-metric=unselected] dd').textContent") == "2"

    # The take-compare grid lists every take with its seed; the selected one is marked.
    cards = browser.eval(
        f"[...{CURRENT}.querySelectorAll('.take-card')].map(c => [c.dataset.take,"
        " c.classList.contains('selected'), c.querySelector('.seed').textContent,"
        " c.querySelector('.badge').textContent, c.querySelector('.cmd code').textContent])"
    )
    takes = Project.load(film).shots["01A"].takes
    assert [c[:3] for c in cards] == [
        [str(t.attempt_number), t.selected, str(t.generation_params.seed)] for t in takes
    ]
    assert cards[0][3] == "Selected" and cards[0][4] == "filmfs select 01A 1"
    assert cards[1][4].startswith("filmfs select 01A 2 --note ")
    assert browser.eval(CURRENT + ".dataset.viewing") == "1"  # the selected take plays
    flagged = browser.eval(
        "[...document.querySelectorAll('.shot-item[data-flagged]')]"
        ".map(li => li.dataset.shot + ': ' + li.querySelector('.flag').textContent)"
    )
    assert flagged == [
        # The fixture rewrites 01B's prompt after its take was made: the take is stale.
        "01B: \u26a0 stale: prompt changed",
        "02C: \u26a0 selected media missing",
        "02D: \u26a0 no selected take",
        "02E: \u26a0 no takes",
    ]
    browser.screenshot(tmp_path / "review.png")
    assert (tmp_path / "review.png").stat().st_size > 10_000


def test_the_selected_video_decodes_from_the_store(
    browser: Browser, page: tuple[Path, Path]
) -> None:
    browser.wait_for(VIEWER + ".readyState >= 1")
    duration, src = browser.eval(f"[{VIEWER}.duration, {VIEWER}.currentSrc]")
    take = Project.load(page[0]).shots["01A"].takes[0]
    assert take.video is not None
    assert abs(duration - take.video.duration) < 0.2
    assert src.endswith(f"/.filmfs/objects/{take.video.sha256[:2]}/{take.video.sha256[2:]}")
    # Thumbnails in the playlist load from the store too.
    browser.wait_for("document.querySelector('.shot-item video').readyState >= 1")


def test_markup_in_manifests_is_shown_as_text_and_never_runs(browser: Browser) -> None:
    browser.key("ArrowRight", "ArrowRight", 39)
    assert browser.eval("document.body.dataset.currentShot") == "01B"
    prompt = browser.eval(CURRENT + ".querySelector('.prompt-text').textContent")
    assert "<script>document.title='pwned';window.__pwned=1</script>" in prompt
    assert "<img src=x" in prompt
    assert browser.eval("typeof window.__pwned") == "undefined"
    assert browser.eval("document.title") == "Review \u00b7 Paper Boats"
    assert browser.eval("document.querySelectorAll('script').length") == 1
    browser.key("ArrowLeft", "ArrowLeft", 37)
    notes = browser.eval(
        CURRENT + ".querySelector('.take-card[data-take=\"2\"] .notes').textContent"
    )
    assert notes == 'too dark <b>fix</b> it\'s & "bad"'


def test_keyboard_moves_between_shots_and_takes(browser: Browser, page: tuple[Path, Path]) -> None:
    for expected in ("01B", "01C", "02A"):
        browser.key("ArrowRight", "ArrowRight", 39)
        assert browser.eval("document.body.dataset.currentShot") == expected
        assert browser.eval("location.hash") == "#" + expected
    browser.key("ArrowLeft", "ArrowLeft", 37)
    browser.key("ArrowLeft", "ArrowLeft", 37)
    browser.key("ArrowLeft", "ArrowLeft", 37)
    browser.key("ArrowLeft", "ArrowLeft", 37)  # stays on the first shot
    assert browser.eval("document.body.dataset.currentShot") == "01A"
    assert browser.eval("document.querySelectorAll('.shot-item.current').length") == 1

    browser.key("2", "Digit2", 50)
    assert browser.eval(CURRENT + ".dataset.viewing") == "2"
    assert browser.eval(CURRENT + ".querySelector('.take-card.viewing').dataset.take") == "2"
    second = Project.load(page[0]).shots["01A"].takes[1].video
    assert second is not None
    browser.wait_for(f"{VIEWER}.currentSrc.endsWith({js(second.sha256[2:])})")
    browser.wait_for(VIEWER + ".readyState >= 1")
    label = browser.eval(CURRENT + ".querySelector('.viewer-label').textContent")
    assert label == "Take 2"
    browser.key("1", "Digit1", 49)
    assert browser.eval(CURRENT + ".querySelector('.viewer-label').textContent") == (
        "Take 1 \u00b7 selected"
    )


def test_missing_media_shows_the_pull_hint(browser: Browser) -> None:
    browser.eval("document.querySelector('.shot-item[data-shot=\"02C\"] button').click()")
    assert browser.eval("document.body.dataset.currentShot") == "02C"
    # What is seen, not just the hidden property: CSS must not show a hidden element.
    assert browser.eval(VIEWER + ".checkVisibility()") is False
    box = CURRENT + ".querySelector('.viewer-missing')"
    assert browser.eval(box + ".checkVisibility()") is True
    text = browser.eval(box + ".innerText")
    assert "Media not in the local store" in text and "filmfs pull" in text
    card = CURRENT + ".querySelector('.take-card .missing')"
    assert "filmfs pull" in browser.eval(card + ".innerText")
    # A shot with a video shows the player and hides the placeholder.
    browser.key("ArrowLeft", "ArrowLeft", 37)
    assert browser.eval(VIEWER + ".checkVisibility()") is True
    assert browser.eval(box + ".checkVisibility()") is False


def test_play_cut_plays_selected_takes_in_order(browser: Browser) -> None:
    browser.eval("document.getElementById('play-cut').click()")
    assert browser.eval("document.body.classList.contains('playing-cut')") is True
    browser.wait_for(f"!{VIEWER}.paused && {VIEWER}.currentTime > 0")
    seen = [browser.eval("document.body.dataset.currentShot")]
    # The first clip really plays to its end (seeked close to it): its "ended" moves the cut on.
    browser.eval(f"{VIEWER}.currentTime = {VIEWER}.duration - 0.3")
    browser.wait_for("document.body.dataset.currentShot === '01B'", timeout=10)
    browser.wait_for(f"!{VIEWER}.paused && {VIEWER}.currentTime > 0")
    seen.append("01B")
    # The rest are ended at once instead of waited for.
    for _ in range(6):
        browser.eval(f"{VIEWER}.dispatchEvent(new Event('ended'))")
        if not browser.eval("document.body.classList.contains('playing-cut')"):
            break
        seen.append(browser.eval("document.body.dataset.currentShot"))
    # 02C (media missing), 02D (no selection) and 02E (no takes) are not in the cut.
    assert seen == ["01A", "01B", "01C", "02A", "02B"]
    assert browser.eval("document.getElementById('play-cut').textContent") == "\u25b6 Play cut"


def test_copy_puts_the_select_command_on_the_clipboard_or_selects_it(browser: Browser) -> None:
    button = CURRENT + ".querySelector('.take-card[data-take=\"2\"] .cmd button')"
    browser.eval(button + ".click()")
    said = browser.wait_for(
        f"['Copied', 'Ctrl+C'].includes({button}.textContent) && {button}.textContent"
    )
    command = browser.eval(
        CURRENT + ".querySelector('.take-card[data-take=\"2\"] .cmd code').textContent"
    )
    assert command.startswith("filmfs select 01A 2 --note ")
    if said == "Ctrl+C":  # clipboard refused (no user gesture under CDP): the text is selected
        assert browser.eval("window.getSelection().toString()") == command


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # git-ignored; CI may upload it

LAYOUT = """(() => {
  const box = b => ({left: b.left, right: b.right, top: b.top, bottom: b.bottom});
  const r = s => box(document.querySelector(s).getBoundingClientRect());
  const viewer = document.querySelector('article.shot:not([hidden]) .viewer');
  const v = viewer.getBoundingClientRect();
  return {
    scroll: document.documentElement.scrollWidth,
    list: r('.playlist'), viewer: {left: v.left, right: v.right, top: v.top, width: v.width},
    play: r('#play-cut'), title: r('.brand h1'), metrics: r('.metrics'),
    rows: new Set([...document.querySelectorAll('.metric')].map(m => m.offsetTop)).size,
  };
})()"""


def _keep(path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / path.name).write_bytes(path.read_bytes())


@pytest.mark.parametrize("width", [390, 1400])
def test_layout_fits_a_phone_and_a_desktop(
    chromium: Browser, page: tuple[Path, Path], tmp_path: Path, width: int
) -> None:
    chromium.width, chromium.height = width, 844 if width < 500 else 900
    try:
        chromium.open(page[1].as_uri())
        chromium.wait_for("document.body.dataset.ready === 'true'")
        box = chromium.eval(LAYOUT)
        shot = tmp_path / f"review-{width}px.png"
        chromium.screenshot(shot)
        _keep(shot)
        assert shot.stat().st_size > 10_000
        assert box["scroll"] <= width  # nothing wider than the screen
        assert box["play"]["right"] <= width and box["title"]["right"] <= width
        assert box["metrics"]["right"] <= width
        if width < 500:
            # One column: the shot list above the player, the player as wide as the page.
            assert box["list"]["bottom"] <= box["viewer"]["top"]
            assert box["viewer"]["width"] >= 0.85 * width  # padding and scroll bar aside
            assert box["rows"] >= 2  # the metrics wrap onto more than one row
        else:
            assert box["list"]["right"] <= box["viewer"]["left"]  # sidebar beside the player
            assert box["rows"] == 1
        assert chromium.console_errors() == []
    finally:
        chromium.close_page()
        chromium.width, chromium.height = 1440, 900


def test_stop_and_escape_pause_playback(browser: Browser) -> None:
    playing = f"!{VIEWER}.paused"
    for stop in ("button", "Escape"):
        browser.eval("document.getElementById('play-cut').click()")
        browser.wait_for(playing)
        assert browser.eval("document.body.classList.contains('playing-cut')")
        if stop == "button":
            browser.eval("document.getElementById('play-cut').click()")
        else:
            browser.key("Escape", "Escape", 27)
        browser.wait_for(f"{VIEWER}.paused")
        assert not browser.eval("document.body.classList.contains('playing-cut')")
        assert browser.eval("[...document.querySelectorAll('video')].every(v => v.paused)")
