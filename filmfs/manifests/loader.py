"""Reading manifests safely and precisely.

PyYAML's safe composer builds a node tree (no object is ever constructed from a tag), then
:func:`_build` turns it into plain Python data while recording the line and column of every
value in a :class:`Positions` map. :func:`parse_data` is the fast path used to load a film:
the same checks and the same data, without positions; a document's positions are worked out
from its text only when a problem has to point into it. Only the YAML core tags are accepted:
a ``!!python/...`` or any other application tag is an error, never executed. Duplicate keys,
oversized files and alias bombs ("billion laughs") are errors too.
"""

from __future__ import annotations

import math
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from filmfs.errors import ManifestError

MAX_FILE_BYTES = 1_000_000  # a manifest is a few hundred bytes; a megabyte is already absurd
MAX_NODES = 100_000  # bounds alias expansion: each alias re-visits its anchor's nodes
MAX_DEPTH = 64

JsonPath = tuple[str | int, ...]

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"

# YAML 1.2's core schema, the one editors' YAML language server, check-jsonschema and every
# JSON-minded tool read: only true/false are booleans (`on`, `yes`, `no` are text), no
# sexagesimal numbers (`1:30` is text), no 1.1 octal (`017` is 17), `0o17` and `0x1F` are
# integers, and dates are text. PyYAML resolves YAML 1.1, so its resolver table is replaced.
CORE_RESOLVERS: list[tuple[str, re.Pattern[str], str]] = [
    ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (
        "int",
        re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
        "-+0123456789",
    ),
    (
        "float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+0123456789.",
    ),
    ("null", re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
]


_PATTERNS = {name: pattern for name, pattern, _ in CORE_RESOLVERS}


def core_schema(base: type[Any]) -> type[Any]:
    """A subclass of PyYAML loader or dumper ``base`` that resolves plain scalars by YAML 1.2's
    core schema instead of 1.1's."""

    class Core(base):  # type: ignore[misc]
        yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {}

    for name, pattern, first in CORE_RESOLVERS:
        # "" stands for the empty scalar (`key:` with no value), which is null.
        starts = [*first, ""] if name == "null" else list(first)
        Core.add_implicit_resolver("tag:yaml.org,2002:" + name, pattern, starts)
    # Not core YAML, but read by many tools: a `<<` key stays recognisable, to be refused.
    Core.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
    Core.__name__ = f"Core{base.__name__}"
    return Core


# libyaml's composer (when PyYAML was built with it) is ~10x faster than the pure-Python one
# and keeps the same start marks, so positions are unchanged; it only builds nodes, like ours.
# Tags are resolved in Python by the resolver table, so the 1.2 table applies to both.
COMPOSER: type[Any] = core_schema(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
SLOW_COMPOSER: type[Any] = core_schema(yaml.SafeLoader)


def core_scalar(tag: str, text: str) -> Any:
    """The value of a plain scalar the core schema resolved to ``tag``."""
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return text.lower() == "true"
    if tag.endswith(":int"):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text, 10)  # leading zeros are decimal: 017 is 17
    if text.lstrip("+-").lower() == ".inf":
        return -math.inf if text.startswith("-") else math.inf
    if text.lower() == ".nan":
        return math.nan
    return float(text)


@dataclass
class Positions:
    """1-based (line, column) of each value, by its JSON path; keys map to the key's own spot."""

    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path``, falling back to the nearest ancestor that has one."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


@dataclass
class Document:
    """One manifest: its data, where each value sits, and the path shown to the user.

    ``positions`` may be left out: they are then composed from ``text`` (or, without it, from
    the file at ``source``) the first time a problem asks where a value is.
    """

    display: str
    data: Any
    positions: Positions | None = None
    text: str | None = field(default=None, repr=False)
    source: Path | None = None
    modeline: str | None = None
    """Where the modeline points, when known without the text (a cached check read it)."""
    modeline_known: bool = False
    reader: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    """Where the text comes from when it is not a file on disk (a Git revision's blob)."""

    @property
    def schema_ref(self) -> str | None:
        """Where the file's ``# yaml-language-server: $schema=...`` line points, if anywhere."""
        if self.modeline_known:
            return self.modeline
        if self.text is not None:
            return modeline_ref(self.text)
        if self.source is None:
            return None
        try:
            with self.source.open(encoding="utf-8", errors="replace") as handle:
                return modeline_ref(handle.readline(4096))
        except OSError:
            return None

    def where(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        if self.positions is None:
            self.positions = self._positions()
        return self.positions.of(path, key=key)

    def _positions(self) -> Positions:
        try:
            text = self.text
            if text is None and self.reader is not None:
                text = self.reader()
            if text is None:
                if self.source is None:
                    return Positions()
                text = read_text(self.source, self.display)
            return parse(text, self.display).positions or Positions()
        except ManifestError:
            return Positions()  # the file changed under us since it was loaded


class _Builder:
    def __init__(self, display: str) -> None:
        self.display = display
        self.count = 0
        self.positions = Positions()
        self._scalars = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str) -> ManifestError:
        mark = node.start_mark
        return ManifestError(self.display, mark.line + 1, mark.column + 1, message)

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, f"document too large after alias expansion (>{MAX_NODES} nodes)")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        if node.tag not in _SAFE_TAGS:
            raise self.fail(node, f"tag {node.tag!r} is not allowed (only plain YAML data)")
        mark = node.start_mark
        self.positions.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            return _scalar(node)
        except _NotPlain:
            pass
        kind = node.tag.rsplit(":", 1)[-1]
        if isinstance(node, yaml.ScalarNode) and kind in _PATTERNS:
            if not _PATTERNS[kind].match(node.value):  # an explicit `!!int 1:30`, say
                raise self.fail(node, f"{node.value!r} is not a valid {kind} in YAML 1.2")
            value = core_scalar(node.tag, node.value)
        else:
            value = self._scalars.construct_object(node, deep=True)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(node, f"{node.value!r} is not a finite number")
        return value

    def _mapping(self, node: yaml.MappingNode, path: JsonPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not supported in manifests")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "mapping keys must be plain strings")
            key = str(key_node.value)
            if key in result:
                first = self.positions.keys[(*path, key)]
                raise self.fail(
                    key_node, f"duplicate key {key!r} (first defined at line {first[0]})"
                )
            mark = key_node.start_mark
            self.positions.keys[(*path, key)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


class _NotPlain(Exception):
    """The fast path met something only the careful one can judge or word."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# Scalar constructors that build a value from the node alone (they cache nothing per node).
_SCALARS = {
    "tag:yaml.org,2002:" + name: yaml.constructor.SafeConstructor.yaml_constructors[
        "tag:yaml.org,2002:" + name
    ]
    for name in ("int", "float", "bool", "null")
}


def _scalar(node: yaml.Node) -> Any:
    """A core-schema scalar's value; _NotPlain for anything else (or a non-finite number)."""
    tag = node.tag
    if type(node) is not yaml.ScalarNode:
        raise _NotPlain
    if tag == _STR:
        return node.value
    if tag == _TIMESTAMP:
        # Dates stay the text the user wrote: manifests are JSON-shaped data.
        return str(node.value)
    kind = tag.rsplit(":", 1)[-1]
    if tag not in _SCALARS or not _PATTERNS[kind].match(node.value):
        raise _NotPlain
    value = core_scalar(tag, node.value)  # YAML 1.2 core: 017 is 17, not octal 15
    if type(value) is float and not math.isfinite(value):
        # JSON has no NaN or infinity, and NaN slips past every schema bound (nan > 0 and
        # nan <= 0 are both false), so `fps: .nan` would otherwise reach ffmpeg.
        raise _NotPlain
    return value


def _plain(root: yaml.Node) -> Any:
    """The data of a composed document, under the same rules as :class:`_Builder`, no positions."""
    count = 0

    def build(node: yaml.Node, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise _NotPlain
        tag = node.tag
        if tag == _STR and type(node) is yaml.ScalarNode:
            return node.value
        if tag == _MAP and type(node) is yaml.MappingNode:
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE:
                    raise _NotPlain
                key = str(key_node.value)
                if key in result:
                    raise _NotPlain
                result[key] = build(value_node, depth + 1)
            return result
        if tag == _SEQ and type(node) is yaml.SequenceNode:
            return [build(item, depth + 1) for item in node.value]
        return _scalar(node)

    return build(root, 0)


def parse_data(text: str, display: str) -> Any:
    """The data of one YAML document, exactly as :func:`parse` gives it, without positions.

    Anything unusual (bad YAML, a tag, a duplicate key, NaN, too deep or too big) goes to
    :func:`parse`, which raises the ManifestError with file:line:col.
    """
    try:
        node = yaml.compose(text, Loader=COMPOSER)
        if node is not None:
            return _plain(node)
    except (yaml.YAMLError, _NotPlain, RecursionError):
        pass
    return parse(text, display).data


def parse(text: str, display: str) -> Document:
    """Parse one YAML document from text; raise ManifestError with file:line:col on any problem."""
    _check_depth(text, display)
    try:
        node = yaml.compose(text, Loader=COMPOSER)
    except yaml.YAMLError:
        node = _compose_slowly(text, display)
    if node is None:
        raise ManifestError(display, 1, 1, "file is empty; expected a mapping of fields")
    builder = _Builder(display)
    data = builder.build(node, (), 0)
    return Document(display, data, builder.positions, text=text)


_MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


def modeline_ref(text: str) -> str | None:
    """The schema a manifest's first line points editors at, if it is a modeline."""
    if not text.startswith("#"):
        return None
    match = _MODELINE.match(text, 0, text.find("\n") if "\n" in text else len(text))
    return match.group(1) if match else None


_LEAD = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def _check_depth(text: str, display: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH *before* composing: PyYAML's composers recurse
    once per level, so 1,000 levels raised RecursionError (exit 3) before any check of ours.

    Each block level starts at least one column right of its parent's every second level, and
    each flow level takes a bracket, so most files are bounded without reading them as YAML;
    the rest are scanned as an event stream, which PyYAML produces without recursing.
    """
    lead = max((len(m) for m in _LEAD.findall(text)), default=0)
    if 2 * (lead + 1) + text.count("[") + text.count("{") + 2 <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=COMPOSER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                    raise ManifestError(
                        display, line, col, f"nesting deeper than {MAX_DEPTH} levels"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # not YAML: composing reports where, with a better message


def _compose_slowly(text: str, display: str) -> yaml.Node | None:
    # Bad YAML is composed again by the pure-Python parser: its messages are more helpful
    # ("expected ',' or ']', but got ':'") and bad files are rare enough not to matter.
    try:
        return yaml.compose(text, Loader=SLOW_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ManifestError(display, line, col, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ManifestError(display, 1, 1, f"invalid YAML: {exc}") from None


def read_text(path: Path, display: str, *, limit: int = MAX_FILE_BYTES) -> str:
    """Read a manifest's text: bounded in size, UTF-8 only."""
    try:
        # A FIFO or device would block the read (or never end): only regular files are read.
        if not stat.S_ISREG(path.stat().st_mode):
            raise ManifestError(display, 1, 1, "not a regular file; a manifest is a file")
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ManifestError(display, 1, 1, f"cannot read file: {exc.strerror}") from None
    return decode(raw, display, limit=limit)


def decode(raw: bytes, display: str, *, limit: int = MAX_FILE_BYTES) -> str:
    """A manifest's bytes as text: bounded in size, UTF-8 only (a BOM is dropped)."""
    if len(raw) > limit:
        raise ManifestError(display, 1, 1, f"file is larger than {limit} bytes; not a manifest")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ManifestError(
            display, line, col, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def load(path: Path, display: str) -> Document:
    """Read and parse one manifest file."""
    return parse(read_text(path, display), display)
