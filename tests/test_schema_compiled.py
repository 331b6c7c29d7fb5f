"""The compiled validator (the happy path) and jsonschema (the worded messages) agree."""

from __future__ import annotations

from pathlib import Path

from filmfs.manifests import schema
from filmfs.manifests.loader import Document, load
from tests.conftest import CASES, EXAMPLE_FILM


def _kind(path: Path) -> str | None:
    parts = path.parts
    if path.name == "film.yaml":
        return "film"
    for folder, kind in (
        ("scenes", "scene"),
        ("characters", "character"),
        ("assets", "asset"),
        ("takes", "take"),
    ):
        if len(parts) > 1 and parts[-2] == folder:
            return kind
    return "shot" if path.name == "shot.yaml" else None


def test_both_validators_agree_on_every_manifest_of_the_cases() -> None:
    checked = 0
    for path in sorted([*CASES.rglob("*.yaml"), *EXAMPLE_FILM.rglob("*.yaml")]):
        kind = _kind(path)
        if kind is None or ".filmfs" in path.parts:
            continue
        try:
            data = load(path, str(path)).data
        except Exception:
            continue  # unreadable on purpose: no schema check happens
        if not isinstance(data, dict):
            continue
        errors = list(schema.validator(kind).iter_errors(data))
        assert schema.is_valid(data, kind) == (not errors), (path, [e.message for e in errors])
        checked += 1
    assert checked > 50


def test_an_integer_past_64_bits_is_judged_and_worded() -> None:
    data = {"scene_number": 10**40, "setting": "a room"}
    assert not schema.is_valid(data, "scene")
    problems = schema.check(Document("scenes/01.yaml", data, text="scene_number: 1\n"), "scene")
    assert [p.message for p in problems] == [f"scene_number must be <= 9999; got {10**40}"]
