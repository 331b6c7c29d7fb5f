"""The review page's Content-Security-Policy, in real headless Chromium: the page's own
script runs, and a script injected into the page by hand (as an escaping bug would let a
manifest do) does not — neither a <script> element, nor an event-handler attribute, nor a
javascript: URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from filmfs.commands.review import review
from filmfs.export.review.page import policy
from filmfs.project import Project
from tests.browser import Browser, find_chromium
from tests.review_film import make_review_film

CHROMIUM = find_chromium()
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but no chromium binary was found: install `chromium`")
    pytest.skip("no chromium binary (install Debian's `chromium`)", allow_module_level=True)

INJECTED = (
    "<script>window.__injected = 'script'</script>"
    "<img src=x onerror=\"window.__injected = 'onerror'\">"
    "<svg onload=\"window.__injected = 'svg'\"></svg>"
    "<a id=evil href=\"javascript:window.__injected='href'\">x</a>"
    '<div id=styled style="color: rgb(1, 2, 3)">styled</div>'
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    film = make_review_film(tmp_path_factory.mktemp("csp") / "film")
    return review(Project.load(film)).page


def variant(page: Path, name: str, html: str) -> Path:
    """A copy of the page next to it (so its relative media URLs still resolve)."""
    path = page.with_name(name)
    path.write_text(html.replace("<body>", "<body>" + INJECTED, 1), "utf-8")
    return path


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert CHROMIUM is not None
    running = Browser(CHROMIUM, tmp_path_factory.mktemp("profile"))
    try:
        yield running
    finally:
        running.close()


def test_policy_has_no_unsafe_inline() -> None:
    text = policy()
    assert "unsafe-inline" not in text and "unsafe-eval" not in text
    assert "script-src 'sha256-" in text and "default-src 'none'" in text


def test_injected_script_does_not_run(chromium: Browser, page: Path) -> None:
    # By hand, as if a manifest's text had reached the page unescaped.
    injected = variant(page, "injected.html", page.read_text("utf-8"))
    chromium.open(injected.as_uri())
    try:
        chromium.wait_for("document.body.dataset.ready === 'true'")  # the page's own script ran
        chromium.eval("document.getElementById('evil').click()")
        chromium.eval("new Promise(r => setTimeout(r, 300))", await_promise=True)
        assert chromium.eval("typeof window.__injected") == "undefined"
        # The inline style attribute is refused too; the page's own stylesheet applies.
        color = chromium.eval("getComputedStyle(document.getElementById('styled')).color")
        assert color != "rgb(1, 2, 3)"
        assert chromium.eval("getComputedStyle(document.body).margin") == "0px"
    finally:
        chromium.close_page()


def test_without_the_policy_the_injection_would_run(chromium: Browser, page: Path) -> None:
    """The control: the same page with its policy removed runs the injected script, so the
    test above proves the policy, not a broken injection."""
    html = page.read_text("utf-8")
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    unguarded = variant(page, "unguarded.html", html[:start] + html[html.index(">", start) + 1 :])
    chromium.open(unguarded.as_uri())
    try:
        chromium.wait_for("window.__injected !== undefined")
        assert chromium.eval("window.__injected") in ("script", "onerror", "svg")
    finally:
        chromium.close_page()
