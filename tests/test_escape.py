"""filmfs.escape, checked against independent readers: a parser of GitHub workflow commands
written from the runner's rules, and the terminal/Markdown properties each reader relies on."""

from __future__ import annotations

import pytest

from filmfs import escape

HOSTILE = [
    "plain",
    "a,line=999,title=x",
    "x::stop-commands::tok",
    "first\nsecond\r\n::error::forged",
    "100%25 done %0A",
    "c:\\path,with:colons",
    "\x1b]52;c;SGVsbG8=\x07 \u202egnp.exe",
]


def runner_parse(line: str) -> tuple[str, dict[str, str], str]:
    """How actions/runner reads one `::cmd k=v,k=v::data` line (ActionCommand.TryParseV2)."""

    def unescape_data(text: str) -> str:
        return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")

    def unescape_property(text: str) -> str:
        for code, ch in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(code, ch)
        return text

    assert line.startswith("::")
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2 :]
    name, _, props = head.partition(" ")
    properties = {}
    for prop in filter(None, props.split(",")):
        key, _, value = prop.partition("=")
        properties[key] = unescape_property(value)
    return name, properties, unescape_data(data)


@pytest.mark.parametrize("text", HOSTILE)
def test_github_command_reads_back_exactly(text: str) -> None:
    line = f"::error file={escape.github_property(text)},line=3::{escape.github_data(text)}"
    assert "\n" not in line and "\r" not in line
    name, properties, data = runner_parse(line)
    assert (name, properties, data) == ("error", {"file": text, "line": "3"}, text)


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_shows_controls_escaped(text: str) -> None:
    shown = escape.terminal(text, newlines=False)
    assert shown.isprintable()
    assert all(ch not in shown for ch in escape.BIDI)


def test_terminal_keeps_newlines_and_names_the_control() -> None:
    assert escape.terminal("a\x1b[2Jb\nc\u202e") == "a\\x1b[2Jb\nc\\u202e"
    assert escape.terminal("\x9b31m") == "\\x9b31m"  # C1 CSI


def test_fence_is_longer_than_any_backtick_run() -> None:
    block = escape.fence(["shots/````x````/shot.yaml", "```", "## heading"])
    opening, *body, closing = block
    assert opening == closing == "`````"
    assert not any(line.startswith("`````") for line in body)


def test_fence_splits_hidden_line_breaks_and_strips_bidi() -> None:
    block = escape.fence(["a\rb\u2028c\u2029d\u202e @octocat"])
    assert block[1:-1] == ["a", "b", "c", "d @\u200doctocat"]


def test_markdown_text_neutralises_markup_mentions_and_html() -> None:
    text = "![i](http://e/x.png) [l](http://e) <img src=x onerror=alert(1)> @octocat\r# h"
    shown = escape.markdown_text(text)
    assert "<" not in shown and ">" not in shown
    assert "](" not in shown.replace("\\](", "").replace("\\]\\(", "")
    assert "@octocat" not in shown and "@\u200doctocat" in shown
    assert "\r" not in shown and "\n" not in shown


def test_markdown_code_outlasts_backticks() -> None:
    assert escape.markdown_code("a``b") == "```a``b```"
    assert escape.markdown_code("`x") == "`` `x ``"


def test_mask_userinfo() -> None:
    text = "fetch https://user:hunter2@example.com/a and s3://key:secret@b/c, ftp://tok@h/"
    shown = escape.mask_userinfo(text)
    assert "hunter2" not in shown and "secret" not in shown and "tok@" not in shown
    assert "https://user:***@example.com/a" in shown and "ftp://***@h/" in shown
