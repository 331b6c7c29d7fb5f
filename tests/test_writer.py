from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from filmfs.manifests import blocks, writer


def test_update_keeps_comments_and_order(tmp_path: Path) -> None:
    path = tmp_path / "take.yaml"
    path.write_text("# keep me\nattempt_number: 1  # one\nselected: false\nnotes: x\n")
    writer.update(path, {"selected": True, "quality_score": 8.5, "notes": None})
    assert path.read_text() == (
        "# keep me\nattempt_number: 1  # one\nselected: true\nquality_score: 8.5\n"
    )


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "f.yaml"
    writer.atomic_write_text(path, "a: 1\n")
    writer.atomic_write_text(path, "a: 2\n")
    assert path.read_text() == "a: 2\n"
    assert [p.name for p in path.parent.iterdir()] == ["f.yaml"]


def test_modeline_is_relative_to_the_file(tmp_path: Path) -> None:
    line = writer.modeline(tmp_path / "shots" / "01A" / "takes" / "001.yaml", tmp_path, "take")
    assert line == "# yaml-language-server: $schema=../../../.filmfs/schemas/take.schema.json\n"


FILM = """\
# yaml-language-server: $schema=.filmfs/schemas/film.schema.json
title: Cut  # the working title
final_edit:
  sha256: old
  derived_from:
    - a

# the format stays as it is
format: {width: 160, height: 90, fps: 24}
"""
CUT = {"sha256": "new", "fps": "24000/1001", "derived_from": ["b", "c"], "recipe": {"frames": 3}}


def test_update_field_rewrites_only_that_block_as_the_round_trip_would(tmp_path: Path) -> None:
    path = tmp_path / "film.yaml"
    path.write_text(FILM)
    writer.update_field(path, "final_edit", CUT)
    text = path.read_text()
    assert text == FILM.replace("  sha256: old\n  derived_from:\n    - a\n", (
        "  sha256: new\n  fps: 24000/1001\n  derived_from:\n    - b\n    - c\n"
        "  recipe:\n    frames: 3\n"
    ))  # fmt: skip
    # The layout the round trip gives the block, and the comment after it kept (ruamel files
    # it under the replaced value, so a round trip would drop it).
    rt = writer.updated_text(FILM, {"final_edit": CUT})
    assert rt == text.replace("\n# the format stays as it is\n", "")
    assert blocks.replaced(text, "final_edit", CUT) == text


@pytest.mark.parametrize(
    "text",
    [
        FILM + "final_edit: {}\n",  # twice: not for a text edit to pick one
        FILM.replace("  derived_from:", "  # a note of someone's\n  derived_from:"),
        "{title: Cut, final_edit: {sha256: old}}\n",  # flow style
    ],
)
def test_update_field_leaves_unusual_files_to_the_round_trip(tmp_path: Path, text: str) -> None:
    assert blocks.replaced(text, "final_edit", CUT) is None
    path = tmp_path / "film.yaml"
    path.write_text(text)
    if text.count("final_edit:") > 1:
        return  # a duplicate key is the loader's error to report, not the writer's
    writer.update_field(path, "final_edit", CUT)
    assert yaml.safe_load(path.read_text())["final_edit"] == CUT
    assert yaml.safe_load(path.read_text())["title"] == "Cut"


def test_a_line_the_round_trip_would_fold_is_left_to_it() -> None:
    assert blocks.replaced(FILM, "final_edit", {**CUT, "url": "x" * 120}) is None


def test_update_field_appends_a_missing_field(tmp_path: Path) -> None:
    path = tmp_path / "film.yaml"
    path.write_text("title: Cut")  # no final newline
    writer.update_field(path, "final_edit", {"sha256": "new"})
    assert path.read_text() == "title: Cut\nfinal_edit:\n  sha256: new\n"
