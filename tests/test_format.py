"""The manifest format as other tools read it: YAML 1.2 core scalars, schemas that resolve
offline in check-jsonschema, and modelines that resolve wherever the film is."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.manifests.loader import parse
from filmfs.manifests.writer import dump
from tests.conftest import CASES, REPO, copy_example, write_take

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
KINDS = {
    "film": ["film.yaml"],
    "scene": ["scenes/*.yaml"],
    "shot": ["shots/*/shot.yaml"],
    "take": ["shots/*/takes/*.yaml"],
    "character": ["characters/*.yaml"],
    "asset": ["assets/*.yaml"],
}


def _check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    """check-jsonschema exactly as a user runs it: no extra flags, no network."""
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("selected: yes", "yes"),
        ("selected: on", "on"),
        ("prompt: no", "no"),
        ("duration_target: 1:30", "1:30"),
        ("seed: 017", 17),
        ("seed: 0o17", 15),
        ("seed: 0x1F", 31),
        ("seed: 1_000", "1_000"),
        ("created_at: 2026-01-02", "2026-01-02"),
        ("selected: true", True),
        ("selected: False", False),
        ("score: 1e3", 1000.0),
        ("notes: ~", None),
        ("notes:", None),
    ],
)
def test_yaml_1_2_core_scalars(text: str, value: object) -> None:
    key, _, written = text.partition(": ")
    document = parse(text + "\n", "x.yaml")
    assert document.data == {key.rstrip(":"): value}
    if written:  # line and column are kept
        assert document.where((key,)) == (1, len(key) + 3)


def test_written_strings_mean_the_same_to_every_yaml_reader() -> None:
    import yaml

    data = {"prompt": "yes", "a": "1:30", "b": "0o17", "c": "1e3", "d": "017", "e": "on"}
    text = dump(data)
    assert parse(text, "x").data == data  # YAML 1.2
    assert yaml.safe_load(text) == data  # YAML 1.1


def _shot(film: Path, extra: str) -> Path:
    path = film / "shots" / "01A" / "shot.yaml"
    path.write_text(path.read_text() + extra)
    return path


@pytest.mark.parametrize(
    ("line", "valid"),
    [
        ("duration_target: 1:30", False),  # YAML 1.1 read this as 90 s
        ("prompt: no", True),  # text in YAML 1.2, refused as a boolean by YAML 1.1 readers
        ("status: on", False),
    ],
)
def test_filmfs_and_check_jsonschema_agree(tmp_path: Path, line: str, valid: bool) -> None:
    film = tmp_path / "film"
    shutil.copytree(CASES / "valid" / "minimal", film)
    path = film / "shots" / "01A" / "shot.yaml"
    key = line.split(":")[0]
    kept = [entry for entry in path.read_text().splitlines() if not entry.startswith(key + ":")]
    path.write_text("\n".join([*kept, line]) + "\n")
    ours = CliRunner().invoke(cli, ["validate", str(film), "--no-media"])
    theirs = _check_jsonschema(REPO / "schemas" / "shot.schema.json", [path])
    assert (ours.exit_code == 0) is valid, ours.output
    assert (theirs.returncode == 0) is valid, theirs.stdout + theirs.stderr


def test_take_selected_yes_is_an_error_for_both(tmp_path: Path) -> None:
    film = tmp_path / "film"
    shutil.copytree(CASES / "valid" / "takes-selected", film)
    take = film / "shots" / "01A" / "takes" / "001.yaml"
    take.write_text(take.read_text().replace("selected: false", "selected: yes"))
    ours = CliRunner().invoke(cli, ["validate", str(film), "--no-media"])
    assert ours.exit_code == 1
    assert 'selected must be true or false, not "yes"' in ours.output
    theirs = _check_jsonschema(REPO / "schemas" / "take.schema.json", [take])
    assert theirs.returncode == 1


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_check_jsonschema_validates_the_example_film_offline(tmp_path: Path, kind: str) -> None:
    film = copy_example(tmp_path / "film")
    write_take(film, "01A", 1, selected=True)
    files = [p for pattern in KINDS[kind] for p in sorted(film.glob(pattern))]
    assert files
    done = _check_jsonschema(REPO / "schemas" / f"{kind}.schema.json", files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_schemas_copied_anywhere_resolve(tmp_path: Path) -> None:
    film = tmp_path / "film"
    CliRunner().invoke(cli, ["init", str(film)])
    done = _check_jsonschema(
        film / ".filmfs" / "schemas" / "film.schema.json", [film / "film.yaml"]
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_modelines_of_a_copied_film(tmp_path: Path) -> None:
    """example-film/ copied out of this repository: its lines point at ../schemas, which is
    not there. validate warns; new takes get a line that resolves; the warning's fix works."""
    film = copy_example(tmp_path / "film", schemas=False)
    first = CliRunner().invoke(cli, ["validate", str(film), "--no-media"])
    assert first.exit_code == 0
    assert "warning: the yaml-language-server line points at ../schemas/film.schema.json" in (
        first.output
    )
    assert "repoint it with `filmfs validate --fix-modelines`" in first.output
    generated = CliRunner().invoke(cli, ["generate", "01A", "--no-commit", "-C", str(film)])
    assert generated.exit_code == 0, generated.output
    take = film / "shots" / "01A" / "takes" / "001.yaml"
    ref = take.read_text().splitlines()[0].split("$schema=")[1]
    assert (take.parent / ref).resolve() == film / ".filmfs" / "schemas" / "take.schema.json"
    assert (take.parent / ref).is_file()
    before = (film / "shots" / "01A" / "shot.yaml").read_text().splitlines()[1:]
    fixed = CliRunner().invoke(cli, ["validate", str(film), "--fix-modelines", "--strict"])
    assert fixed.exit_code == 0, fixed.output
    assert "repointed the modeline of" in fixed.output
    assert (film / "shots" / "01A" / "shot.yaml").read_text().splitlines()[1:] == before
    for kind, patterns in KINDS.items():
        for path in (p for pattern in patterns for p in film.glob(pattern)):
            ref = path.read_text().splitlines()[0].split("$schema=")[1]
            assert (path.parent / ref).is_file(), path
            done = _check_jsonschema(path.parent / ref, [path])
            assert done.returncode == 0, (kind, done.stdout)
