"""JSON Schema checks of parsed manifests, with messages a person can act on.

A document is first checked by jsonschema-rs (compiled, ~100x faster than jsonschema): only a
document it rejects goes through jsonschema, whose errors give the worded messages below.

The schemas live in ``schemas/`` (shipped in the package as ``filmfs.schemas``). Each error
becomes a :class:`filmfs.manifests.problems.Problem` at the line and column of the offending
value, worded like ``duration_target must be a number`` rather than as a jsonschema dump.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

from filmfs.manifests.loader import Document, JsonPath
from filmfs.manifests.problems import Problem

_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "object": "a mapping of fields",
    "array": "a list",
    "null": "empty",
}


def schema_dir() -> Path:
    """Directory holding the *.schema.json files (installed package or source checkout)."""
    # filmfs.schemas is a namespace package (plain JSON files, no __init__.py).
    try:
        spec = importlib.util.find_spec("filmfs.schemas")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "schemas"


@functools.cache
def _schemas() -> dict[str, dict[str, Any]]:
    folder = schema_dir()
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text("utf-8"))
        for path in sorted(folder.glob("*.schema.json"))
    }


def _inline(node: Any, schemas: dict[str, dict[str, Any]], home: str) -> Any:
    """``node`` with every ``$ref`` replaced by a copy of what it points at.

    The schemas have no recursive references, so they can be flattened once; validating
    then never goes through the reference resolver, which was a third of validation time.
    """
    if isinstance(node, list):
        return [_inline(item, schemas, home) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        document, _, pointer = ref.partition("#")
        kind = document.removesuffix(".schema.json") if document else home
        target: Any = schemas[kind]
        for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
            target = target[part]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline(merged, schemas, kind)
    return {key: _inline(value, schemas, home) for key, value in node.items()}


@functools.cache
def fingerprint() -> str:
    """A hash of every schema file: cached checks are never trusted across schema changes."""
    digest = hashlib.sha256()
    for path in sorted(schema_dir().glob("*.schema.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _flat(kind: str) -> dict[str, Any]:
    schemas = _schemas()
    flat: dict[str, Any] = _inline(
        {k: v for k, v in schemas[kind].items() if k != "$defs"}, schemas, kind
    )
    return flat


@functools.cache
def validator(kind: str) -> jsonschema.protocols.Validator:
    import jsonschema  # only documents that fail the compiled check need its messages

    schemas = _schemas()
    cls = jsonschema.validators.validator_for(schemas[kind])
    cls.check_schema(schemas[kind])
    # Patterns as full matches (see _full_pattern).
    return jsonschema.validators.extend(cls, {"pattern": _full_pattern})(_flat(kind))


@functools.cache
def _compiled_kind(kind: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_flat(kind))


def warm(kind: str) -> None:
    """Compile ``kind``'s validator now (before forking workers that will share it)."""
    with contextlib.suppress(Exception):  # is_valid then says False and jsonschema judges
        _compiled_kind(kind)


def is_valid(data: Any, kind: str) -> bool:
    """The happy path: whether ``data`` passes ``kind``'s schema, by the compiled validator."""
    try:
        return bool(_compiled_kind(kind).is_valid(data))
    except Exception:  # a value it cannot represent (a huge integer...): let jsonschema judge
        return False


def _full_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """``pattern`` as a full match. JSON Schema's own is ``re.search``, where ``$`` also
    matches before a final newline: a sha256 of 64 hex digits and a newline passed."""
    import jsonschema

    if validator.is_type(instance, "string") and not _compiled(pattern).fullmatch(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def field_name(path: JsonPath) -> str:
    """``('video', 'sha256')`` -> ``video.sha256``; ``('characters', 1)`` -> ``characters[1]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


def _leaves(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    import jsonschema

    # For anyOf/oneOf, report the branch that got furthest rather than "is not valid under any".
    if error.context:
        best = jsonschema.exceptions.best_match(error.context)
        if best is not None and best.validator not in ("required",):
            yield from _leaves(best)
            return
    yield error


def _message(error: jsonschema.ValidationError) -> tuple[str, bool]:
    """(message, points at a key rather than a value)."""
    name = field_name(tuple(error.absolute_path))
    validator_name = error.validator
    value = error.instance
    arg = error.validator_value
    if validator_name == "type":
        wanted = [arg] if isinstance(arg, str) else list(arg)
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted if w != "null")
        return f"{name} must be {words}, not {json.dumps(value, default=str)[:60]}", False
    if validator_name == "required":
        # jsonschema raises one error per missing field, naming it in the message.
        named = re.match(r"^'(.+)' is a required property", error.message)
        missing = [named.group(1)] if named else [k for k in arg if k not in value]
        where = f"{name} is missing" if error.absolute_path else "missing"
        return f"{where} required field {missing[0]!r}", False
    if validator_name == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in known)
        import difflib  # only for a manifest with an unknown field

        close = difflib.get_close_matches(extra[0], known, n=1) if extra else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        where = f" in {name}" if error.absolute_path else ""
        return f"unknown field {extra[0]!r}{where}{hint}", True
    if validator_name == "enum":
        return f"{name} must be one of {', '.join(map(str, arg))}; got {value!r}", False
    if validator_name == "const":
        return f"{name} must be {arg!r}; got {value!r}", False
    if validator_name == "pattern":
        title = error.schema.get("title")
        what = f"a valid {title}" if title else f"text matching {arg}"
        detail = error.schema.get("description", "")
        hint = f" ({detail.split(';')[0]})" if detail and title else ""
        return f"{name} {value!r} is not {what}{hint}", False
    bounds = {
        "minimum": ">=",
        "maximum": "<=",
        "exclusiveMinimum": ">",
        "exclusiveMaximum": "<",
    }
    if validator_name in bounds:
        return f"{name} must be {bounds[str(validator_name)]} {arg}; got {value}", False
    if validator_name == "minLength":
        return (f"{name} must not be empty" if arg == 1 else f"{name} is too short"), False
    if validator_name == "maxLength":
        return f"{name} is longer than {arg} characters", False
    if validator_name == "uniqueItems":
        return f"{name} lists the same entry twice", False
    if validator_name == "multipleOf":
        return f"{name} must be a multiple of {arg}; got {value}", False
    if validator_name == "anyOf" and error.schema.get("anyOf"):
        options = [" + ".join(b.get("required", [])) for b in error.schema["anyOf"]]
        return f"{name} needs one of: {', '.join(o for o in options if o)}", False
    return f"{name}: {error.message}", False


def valid(data: Any, kind: str) -> bool:
    """Whether ``data`` is a sound ``kind`` manifest (fast; :func:`check` says what is wrong)."""
    return bool(validator(kind).is_valid(data))


def check(document: Document, kind: str) -> list[Problem]:
    """Every schema problem in one document, each at its own line and column."""
    if is_valid(document.data, kind):
        return []
    problems = []
    for top in validator(kind).iter_errors(document.data):
        for error in _leaves(top):
            message, at_key = _message(error)
            path: JsonPath = tuple(error.absolute_path)
            if at_key and isinstance(error.instance, dict):
                known = set(error.schema.get("properties", {}))
                extra = sorted(k for k in error.instance if k not in known)
                path = (*path, extra[0]) if extra else path
            line, col = document.where(path, key=at_key)
            problems.append(Problem(document.display, line, col, message))
    return problems
