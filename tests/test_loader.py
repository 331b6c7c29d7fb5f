from __future__ import annotations

from pathlib import Path

import pytest

from filmfs.errors import ManifestError
from filmfs.manifests import loader


def test_positions_of_values_and_keys() -> None:
    doc = loader.parse("a: 1\nb:\n  - x\n  - {c: 2}\n", "t.yaml")
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert doc.where(("a",)) == (1, 4)
    assert doc.where(("b", 1, "c")) == (4, 9)
    assert doc.where(("b",), key=True) == (2, 1)
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.where(("b", 1, "missing")) == (4, 5)


def test_dates_stay_text() -> None:
    assert loader.parse("when: 2026-11-25\n", "t.yaml").data == {"when": "2026-11-25"}


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufefftitle: x\n".encode())
    assert loader.load(path, "f.yaml").data == {"title": "x"}


def test_file_size_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("x: '" + "a" * (loader.MAX_FILE_BYTES + 10) + "'\n")
    with pytest.raises(ManifestError, match=r"big.yaml:1:1: file is larger than"):
        loader.load(path, "big.yaml")


def test_nesting_depth_is_bounded() -> None:
    text = "a: " + "[" * (loader.MAX_DEPTH + 5) + "]" * (loader.MAX_DEPTH + 5) + "\n"
    with pytest.raises(ManifestError, match="nesting deeper than"):
        loader.parse(text, "deep.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!python/name:os.system\n", "tag 'tag:yaml.org,2002:python/name:os.system' is not"),
        ("a: !custom 1\n", "tag '!custom' is not allowed"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "merge keys (<<) are not supported"),
        ("? [1, 2]\n: x\n", "mapping keys must be plain strings"),
        ("a: 1\n---\nb: 2\n", "invalid YAML"),
    ],
)
def test_rejected_yaml(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as info:
        loader.parse(text, "t.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("t.yaml:")
