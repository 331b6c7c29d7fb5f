"""Text from a film repository, escaped for the reader it is shown to: one function per reader.

Everything in a film (file names, prompts, notes, titles, URLs) may come from a stranger's pull
request, and each reader of filmfs's output has its own control characters:

- :func:`terminal` for a person's terminal: C0/C1 controls (ESC starts OSC 52, which writes the
  clipboard) and bidi controls (which reorder what is shown) become visible ``\\x1b``/``\\u202e``;
- :func:`github_data` and :func:`github_property` for GitHub Actions workflow commands
  (``::error file=...::message``), escaped as the runner unescapes them;
- :func:`markdown_text`, :func:`markdown_code` and :func:`fence` for a Markdown pull-request
  comment: no HTML, no links or images, no ``@`` pings, no fence a file name can close;
- :func:`mask_userinfo` hides the password of ``user:password@`` in any URL inside a text.

HTML (the review page) is escaped by :func:`html.escape` where the page is built.
"""

from __future__ import annotations

import html
import re

# Bidirectional formatting characters (Trojan Source, CVE-2021-42574) and other invisible
# controls of Unicode's Cf category that change how the surrounding text reads.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = "\r\u2028\u2029\x85\x0b\x0c"
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI)) + "\u2028\u2029]"
)
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/?#@\s:]*):[^/?#@\s]*@")
_USER_ONLY = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s:]+@")
_MENTION = re.compile(r"@(?=[A-Za-z0-9_-])")
# Inline markup needs one of these; links and images need `[` (so `(` and `!` stay plain).
_MD_SPECIAL = "\\`*_[]|~"
_MD_LINE_START = "#>-+="  # headings, quotes, lists, setext underlines: only at a line's start


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str, *, newlines: bool = True) -> str:
    """``text`` safe to print to a terminal: every control but newline and tab (and with
    ``newlines=False`` those too) is shown escaped, e.g. ESC as ``\\x1b``."""
    shown = _TERMINAL_UNSAFE.sub(lambda m: _visible(m.group()), text)
    if not newlines:
        shown = shown.replace("\n", "\\n").replace("\t", "\\t")
    return shown


def json_text(text: str) -> str:
    """JSON text (from :func:`json.dumps` with ``ensure_ascii=False``) with C1 and bidi
    controls written as ``\\uXXXX`` escapes: the same data, safe on a terminal."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def github_data(text: str) -> str:
    """The message of a workflow command (after the second ``::``): ``%``, CR and LF escaped,
    so a file name cannot end the command and start another (``::stop-commands::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command (``file=...``): also ``:`` and ``,``, which
    would otherwise end the properties or start a new one (``,line=1``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def _normalise(text: str) -> str:
    """Markdown input: CR, CRLF, U+2028/9 and friends as plain newlines; bidi controls gone."""
    text = text.replace("\r\n", "\n")
    for ch in _LINE_BREAKS:
        text = text.replace(ch, "\n")
    return "".join(ch for ch in text if ch not in BIDI)


def _no_mentions(text: str) -> str:
    # A zero-width joiner after @ keeps the text readable and stops GitHub's ping.
    return _MENTION.sub("@\u200d", text)


def markdown_text(text: str, *, inline: bool = True) -> str:
    """Untrusted text inside Markdown prose or a table cell: HTML escaped, every Markdown
    punctuation backslash-escaped (no links, images, emphasis or headings), ``@`` mentions
    neutralised, and with ``inline`` newlines turned into spaces."""
    text = _normalise(text)
    if inline:
        text = text.replace("\n", " ")
    out = []
    for i, ch in enumerate(text):
        if ch in _MD_LINE_START and (i == 0 or text[i - 1] == "\n"):
            out.append("\\" + ch)
        elif ch in "<>&\"'":
            out.append(html.escape(ch))
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return _no_mentions("".join(out))


def fence(lines: list[str], *, info: str = "") -> list[str]:
    """A fenced code block holding ``lines`` verbatim: the fence is longer than any run of
    backticks inside, so no line can close it; text is normalised and mentions neutralised
    (GitHub does not ping from code blocks, but a copied line would)."""
    body = [_no_mentions(_normalise(line)) for line in lines]
    body = [part for line in body for part in line.split("\n")]
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    ticks = "`" * max(3, longest + 1)
    return [ticks + info, *body, ticks]


def markdown_code(text: str) -> str:
    """Untrusted text as inline code: delimited by more backticks than it holds."""
    text = _normalise(text).replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def mask_userinfo(text: str) -> str:
    """Every ``scheme://user:password@`` in ``text`` with the password as ``***`` (and a bare
    ``scheme://token@`` as ``***@``): credentials in a URL never reach a message."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _USER_ONLY.sub(lambda m: f"{m['scheme']}***@", text)
