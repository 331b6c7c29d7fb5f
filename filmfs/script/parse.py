"""The Fountain adapter: fountain-py's elements turned into filmfs's script values.

fountain-py (https://github.com/MasonEgger/fountain-py) was chosen after trying every Fountain
parser on PyPI on tests/scripts/elements.fountain; the README says why. Everything else in
filmfs reads :class:`Script`, never the parser's own types, so the parser can be replaced here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmfs.errors import FilmfsError

# Interior/exterior prefixes of a scene heading (Fountain spec: INT, EXT, EST, INT./EXT,
# INT/EXT, I/E), longest first so "INT./EXT." is not read as "INT.".
_PLACE = re.compile(r"^(INT\.?/EXT\.?|EXT\.?/INT\.?|I\.?/E\.?|INT\.?|EXT\.?|EST\.?)\s+", re.I)
# The usual separator before the time of day: " - " (also an en or em dash).
_TIME = re.compile(r"\s+[-\u2013\u2014]\s+")
# Character extensions that only mark a page or a continuation, not how the line is heard.
_CONTINUATIONS = {"CONT'D", "CONT\u2019D", "CONT.", "CONTD", "MORE", "CONTINUING"}
# Read as a time of day after a forced heading that has no INT./EXT. (else it is a location).
TIMES_OF_DAY = {
    "DAY",
    "NIGHT",
    "MORNING",
    "AFTERNOON",
    "EVENING",
    "DAWN",
    "DUSK",
    "SUNRISE",
    "SUNSET",
    "CONTINUOUS",
    "LATER",
    "MOMENTS LATER",
    "SAME",
    "SAME TIME",
    "NOON",
    "MIDNIGHT",
}
MAX_SCRIPT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    """One spoken line: the cue's name (extensions folded away), the words, and how."""

    character: str
    text: str
    parenthetical: str = ""
    extension: str = ""


@dataclass(frozen=True)
class ScriptScene:
    heading: str
    """As written, without a forcing dot or the scene number."""
    line_number: int
    number: str | None = None
    """The script's own scene number (#12A#), if any."""
    forced: bool = False
    place: str = ""
    """INT., EXT., I/E., EST. ... normalised to capitals; empty for a forced heading without one."""
    location: str = ""
    time: str = ""
    action: tuple[str, ...] = ()
    dialogue: tuple[Line, ...] = ()
    synopsis: str = ""
    text: str = ""
    """The scene's source lines, heading included, for showing beside its shots."""


@dataclass(frozen=True)
class Script:
    title: str
    scenes: tuple[ScriptScene, ...]

    @property
    def speakers(self) -> list[str]:
        """Speaking characters in order of first line, each once."""
        return list(dict.fromkeys(line.character for s in self.scenes for line in s.dialogue))


def split_heading(heading: str) -> tuple[str, str, str]:
    """(place, location, time) of a heading: ``INT. LIGHTHOUSE - STAIRS - NIGHT`` gives
    ``("INT.", "LIGHTHOUSE - STAIRS", "NIGHT")``; the time is what follows the last dash."""
    place = ""
    rest = heading.strip()
    match = _PLACE.match(rest)
    if match:
        place = match.group(1).upper()
        rest = rest[match.end() :]
    parts = _TIME.split(rest)
    if len(parts) > 1 and (place or parts[-1].upper() in TIMES_OF_DAY):
        return place, " - ".join(parts[:-1]).strip(), parts[-1].strip()
    return place, rest.strip(), ""


def cue_name(name: str, extension: str) -> tuple[str, str]:
    """The character and the extension that matters: ``MARA`` + ``V.O.) (CONT'D`` gives
    ``("MARA", "V.O.")``; continuation marks are dropped (they are page furniture)."""
    name = name.strip().lstrip("@").rstrip("^").strip()
    kept = [
        part.strip()
        for part in re.split(r"\)\s*\(", extension.strip().strip("()"))
        if part.strip() and part.strip().upper() not in _CONTINUATIONS
    ]
    return name, " ".join(kept)


def read_script(path: Path, display: str) -> Script:
    """Read and parse the Fountain file at ``path``; errors name ``display``."""
    return parse_script(read_text(path, display), display)


def read_text(path: Path, display: str) -> str:
    """The text of the Fountain file at ``path`` (a regular UTF-8 file of at most 10 MB)."""
    if not path.is_file():
        raise FilmfsError(f"{display}: not a regular file; give a .fountain script")
    try:
        if path.stat().st_size > MAX_SCRIPT_BYTES:
            raise FilmfsError(f"{display}: the script is over 10 MB; refusing it")
        raw = path.read_bytes()
    except OSError as exc:
        raise FilmfsError(f"{display}: cannot read the script ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FilmfsError(
            f"{display}: the script is not UTF-8 (byte {exc.start})",
            hint="save it as UTF-8 text",
        ) from None
    return text


def parse_script(text: str, display: str) -> Script:
    """Parse Fountain ``text`` into scenes with their action, dialogue and synopsis."""
    from fountain import ElementType as T  # lazy: keeps `filmfs --help` fast
    from fountain import FountainParser

    if "\x00" in text:
        raise FilmfsError(f"{display}: the script holds NUL bytes; is it a text file?")
    parser = FountainParser()
    try:
        issues = parser.validate(text)
        document = parser.parse(text)
    except Exception as exc:  # a third-party parser's failure, translated at the boundary
        raise FilmfsError(f"{display}: fountain-py cannot parse the script ({exc})") from exc
    for issue in issues:
        if str(getattr(issue, "severity", "")).lower().endswith("error"):
            raise FilmfsError(
                f"{display}:{issue.line_number}: {issue.message}",
                hint="close it, or everything after it is left out of the script",
            )
    source_lines = text.splitlines()
    title = str(document.metadata.get("title", "")).strip()
    headings = [e for e in document.elements if e.type == T.SCENE_HEADING]
    starts = [e.line_number for e in headings] + [len(source_lines) + 1]
    scenes: list[ScriptScene] = []
    builder: _SceneBuilder | None = None
    pending_synopsis = ""
    for element in document.elements:
        kind = element.type
        if kind == T.SCENE_HEADING:
            if builder:
                scenes.append(builder.build())
            index = len(scenes)
            body = source_lines[starts[index] - 1 : starts[index + 1] - 1]
            builder = _SceneBuilder(element, "\n".join(body).rstrip(), pending_synopsis)
            pending_synopsis = ""
        elif kind == T.SYNOPSIS:
            if builder and not builder.synopsis:
                builder.synopsis = element.text.strip()
            else:
                pending_synopsis = element.text.strip()
        elif builder is None:
            continue
        elif kind in (T.ACTION, T.LYRICS):  # centered text is a title card, not action
            if element.text.strip():
                builder.action.append(element.text.strip())
        elif kind == T.CHARACTER:
            builder.speak(element.text, str(element.metadata.get("extension", "")))
        elif kind == T.PARENTHETICAL:
            builder.direct(element.text)
        elif kind == T.DIALOGUE:
            builder.say(element.text)
        elif kind == T.DUAL_DIALOGUE:
            for side in ("left", "right"):
                cue: Any = element.metadata[f"{side}_character"]
                builder.speak(cue.text, str(cue.metadata.get("extension", "")))
                parts: Any = element.metadata[f"{side}_dialogue"]
                for part in parts:
                    if part.type == T.PARENTHETICAL:
                        builder.direct(part.text)
                    else:
                        builder.say(part.text)
        # Notes, boneyard, sections, transitions and page breaks are not on screen.
    if builder:
        scenes.append(builder.build())
    return Script(title=title, scenes=tuple(scenes))


class _SceneBuilder:
    def __init__(self, heading: object, text: str, synopsis: str) -> None:
        raw = str(getattr(heading, "text", "")).strip()
        meta = getattr(heading, "metadata", {}) or {}
        self.heading = raw.lstrip(".").strip() if raw.startswith(".") else raw
        self.line_number = int(getattr(heading, "line_number", 0) or 0)
        self.number = str(meta["scene_number"]) if meta.get("scene_number") else None
        self.forced = bool(meta.get("forced"))
        self.text = text
        self.synopsis = synopsis
        self.action: list[str] = []
        self.lines: list[Line] = []
        self.speaker = ""
        self.extension = ""
        self.parenthetical = ""
        self.words: list[str] = []

    def _flush(self) -> None:
        if self.speaker and self.words:
            self.lines.append(
                Line(self.speaker, " ".join(self.words), self.parenthetical, self.extension)
            )
        self.parenthetical = ""
        self.words = []

    def speak(self, name: str, extension: str) -> None:
        self._flush()
        self.speaker, self.extension = cue_name(name, extension)
        self.parenthetical = ""

    def direct(self, text: str) -> None:
        # A parenthetical in mid-speech ends the words so far: the rest is a new line.
        self._flush()
        self.parenthetical = text.strip()

    def say(self, text: str) -> None:
        if text.strip():
            self.words.append(text.strip())

    def build(self) -> ScriptScene:
        self._flush()
        place, location, time = split_heading(self.heading)
        return ScriptScene(
            heading=self.heading,
            line_number=self.line_number,
            number=self.number,
            forced=self.forced,
            place=place,
            location=location,
            time=time,
            action=tuple(self.action),
            dialogue=tuple(self.lines),
            synopsis=self.synopsis,
            text=self.text,
        )
