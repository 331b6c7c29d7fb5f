from __future__ import annotations

from pathlib import Path

from filmfs.manifests import writer


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
