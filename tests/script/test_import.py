"""`filmfs import-script`: Fountain into scenes, characters and first shots; re-import as sync."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.commands.import_script import import_script
from filmfs.manifests.writer import update, write_new
from filmfs.project import Project
from filmfs.script.parse import parse_script, read_script
from tests.genfilm import PYTHON, subprocess_env

SCRIPTS = Path(__file__).parent.parent / "scripts"
EDITS = SCRIPTS / "edits"


def _data(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def test_every_element_of_the_syntax(tmp_path: Path) -> None:
    script = read_script(SCRIPTS / "elements.fountain", "elements.fountain")
    assert script.title == "The Lighthouse Keeper"
    # The boneyard's scene is not a scene; the forced heading is; `!EXT.` is action.
    assert [s.heading for s in script.scenes] == [
        "EXT. LIGHTHOUSE - NIGHT",
        "INT. LIGHTHOUSE - STAIRWELL - CONTINUOUS",
        "FLASHBACK - THE KEEPER'S ROOM",
        "I/E. TOM'S TRUCK - DAWN",
    ]
    assert [s.number for s in script.scenes] == ["1", "2", "2A", "3"]
    assert [s.forced for s in script.scenes] == [False, False, True, False]
    first, second, flashback, truck = script.scenes
    assert (first.place, first.location, first.time) == ("EXT.", "LIGHTHOUSE", "NIGHT")
    assert (second.location, second.time) == ("LIGHTHOUSE - STAIRWELL", "CONTINUOUS")
    assert (truck.place, truck.location) == ("I/E.", "TOM'S TRUCK")
    # Emphasis markers and notes are gone from the action; the synopsis belongs to scene 1.
    assert first.action == ("Rain lashes the rocks. A lamp turns above, slow and patient.",)
    assert first.synopsis == "Mara arrives at the lighthouse in a storm."
    assert second.action == ("Mara climbs. Her boots leave wet prints on the iron steps.",)
    # Extensions fold: (O.S.) and (V.O.) are kept as how the line is heard, (CONT'D) dropped.
    assert [(x.character, x.extension, x.parenthetical) for x in first.dialogue] == [
        ("MARA", "", "(shouting)"),
        ("TOM", "O.S.", ""),
    ]
    assert [(x.character, x.extension) for x in second.dialogue] == [("MARA", ""), ("TOM", "V.O.")]
    assert [x.character for x in flashback.dialogue] == ["McCLANE"]  # @ forced, case kept
    # Dual dialogue (^) is two lines of two characters; lyrics are action, the centered
    # title card and the transitions are not; `!` forces action.
    assert [x.character for x in truck.dialogue] == ["TOM", "MARA"]
    assert truck.action == (
        "Tom drives. Mara sleeps against the window.",
        "Row, row, row your boat",
        "Gently down the stream",
        "EXT. NOT A HEADING BUT ACTION",
    )
    assert script.speakers == ["MARA", "TOM", "McCLANE"]
    assert truck.text.startswith("I/E. TOM'S TRUCK - DAWN #3#\n")


def test_import_writes_a_film_that_validates(tmp_path: Path) -> None:
    film = tmp_path / "film"
    result = import_script(film, script=SCRIPTS / "elements.fountain", commit=False)
    assert result.created_film and result.scenes == 4 and result.characters == 3
    project = Project.load(film)
    assert project.all_problems() == []
    assert sorted(project.characters) == ["mara", "mcclane", "tom"]
    assert project.characters["mcclane"].name == "McCLANE"
    scene = project.scenes[3]
    assert (scene.heading, scene.setting, scene.script_number) == (
        "FLASHBACK - THE KEEPER'S ROOM",
        "FLASHBACK - THE KEEPER'S ROOM",
        "2A",
    )
    shot = project.shots["01A"]
    assert shot.characters == ("mara", "tom")
    assert [(d.character, d.line, d.parenthetical, d.extension) for d in shot.dialogue] == [
        ("mara", "Anyone up there?", "(shouting)", ""),
        ("tom", "Door's open!", "", "O.S."),
    ]
    assert shot.prompt.startswith("Exterior, LIGHTHOUSE, night. Rain lashes the rocks.")
    assert shot.status == "draft"


def test_reimport_unchanged_is_a_no_op(tmp_path: Path) -> None:
    film = tmp_path / "film"
    import_script(film, script=EDITS / "base.fountain", commit=False)
    before = {p: p.read_bytes() for p in film.rglob("*.yaml")}
    again = import_script(film, script=EDITS / "base.fountain", commit=False)
    assert again.changes == []
    assert {p: p.read_bytes() for p in film.rglob("*.yaml")} == before


EDIT_CASES = sorted(p.name for p in EDITS.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", EDIT_CASES)
def test_reimport_edit_makes_exactly_the_expected_changes(tmp_path: Path, case: str) -> None:
    film = tmp_path / "film"
    import_script(film, script=EDITS / "base.fountain", commit=False)
    expected = _data(EDITS / case / "expected.yaml")
    for rel, changes in expected.get("user_edits", {}).items():
        update(film / rel, changes)
    for shot_id, data in expected.get("user_shots", {}).items():
        write_new(film / "shots" / shot_id / "shot.yaml", data, root=film, kind="shot")
    before = {p.relative_to(film).as_posix(): p.read_bytes() for p in film.rglob("*.yaml")}
    dry = import_script(film, script=EDITS / case / "after.fountain", dry_run=True)
    assert {p.relative_to(film).as_posix(): p.read_bytes() for p in film.rglob("*.yaml")} == before
    result = import_script(film, script=EDITS / case / "after.fountain", commit=False)
    got = [
        {"action": c.action, "path": c.path, "fields": list(c.fields)}
        | ({"from": c.detail} if c.action == "rename" else {})
        for c in result.changes
    ]
    assert got == expected["changes"]
    assert dry.changes == result.changes
    project = Project.load(film)
    assert [p for p in project.all_problems() if p.severity == "error"] == []
    # User edits survive; a second import of the same script changes nothing more.
    for rel, changes in expected.get("user_edits", {}).items():
        assert {k: _data(film / rel)[k] for k in changes} == changes
    assert import_script(film, script=EDITS / case / "after.fountain", commit=False).changes == [
        c for c in result.changes if c.action == "conflict"
    ]


def test_removed_scene_keeps_its_shots_omitted_and_restores_them(tmp_path: Path) -> None:
    film = tmp_path / "film"
    import_script(film, script=EDITS / "base.fountain", commit=False)
    import_script(film, script=EDITS / "removed" / "after.fountain", commit=False)
    assert _data(film / "shots/04A/shot.yaml")["status"] == "omitted"
    assert _data(film / "scenes/04.yaml")["source"]["removed"] is True
    back = import_script(film, script=EDITS / "base.fountain", commit=False)
    assert [(c.action, c.path) for c in back.changes] == [("restore", "shots/04A/shot.yaml")]
    assert _data(film / "shots/04A/shot.yaml")["status"] == "draft"
    assert "removed" not in _data(film / "scenes/04.yaml")["source"]


def test_bad_script_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.fountain"
    bad.write_bytes(b"INT. ROOM - DAY\n\n\xff\xfe broken\n")
    result = CliRunner().invoke(cli, ["import-script", str(bad), "-C", str(tmp_path / "f")])
    assert result.exit_code == 1
    assert "bad.fountain: the script is not UTF-8" in result.output
    assert not (tmp_path / "f").exists()


def test_empty_script_imports_nothing() -> None:
    assert parse_script("Title: Nothing\n", "x").scenes == ()


def test_cli_dry_run_and_json(tmp_path: Path) -> None:
    film = tmp_path / "film"
    runner = CliRunner()
    dry = runner.invoke(
        cli, ["import-script", str(EDITS / "base.fountain"), "-C", str(film), "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "create   scenes/01.yaml" in dry.output and "would be made" in dry.output
    assert not film.exists()
    done = runner.invoke(
        cli, ["import-script", str(EDITS / "base.fountain"), "-C", str(film), "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    assert '"ok": true' in done.output.replace('"ok":true', '"ok": true')


def test_subprocess_import_commits(tmp_path: Path) -> None:
    film = tmp_path / "film"
    shutil.copy(EDITS / "base.fountain", tmp_path / "low-tide.fountain")
    proc = subprocess.run(
        [
            PYTHON,
            "-m",
            "filmfs",
            "import-script",
            str(tmp_path / "low-tide.fountain"),
            "-C",
            str(film),
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "6 scene(s), 2 speaking character(s)" in proc.stdout
    log = subprocess.run(
        ["git", "-C", str(film), "log", "--format=%s"], capture_output=True, text=True, check=True
    )
    assert log.stdout.startswith("import-script low-tide.fountain: 6 scene(s)")
    assert _data(film / "film.yaml")["title"] == "Low Tide"


INVALID = Path(__file__).parent.parent / "scripts" / "invalid"
INVALID_CASES = _data(INVALID / "expected.yaml")


@pytest.mark.parametrize("name", sorted(INVALID_CASES))
def test_invalid_script_is_refused_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(INVALID)
    film = tmp_path / "film"
    result = CliRunner().invoke(cli, ["import-script", name, "-C", str(film)])
    assert result.exit_code == 1, result.output
    assert f"error: {INVALID_CASES[name]}" in result.output
    assert "Traceback" not in result.output
    assert not film.exists()  # nothing written, not even the film


def test_a_manifest_edit_after_a_sync_is_seen_by_the_next(tmp_path: Path) -> None:
    """The no-op shortcut (the sync stamp) never hides a change: removing a script-owned field
    takes the script's text again on the next import."""
    film = tmp_path / "film"
    import_script(film, script=EDITS / "base.fountain", commit=False)
    assert (film / ".filmfs" / "cache" / "script-sync.json").is_file()
    update(film / "shots" / "03A" / "shot.yaml", {"dialogue": None})
    again = import_script(film, script=EDITS / "base.fountain", commit=False)
    assert [(c.action, c.path, c.fields) for c in again.changes] == [
        ("update", "shots/03A/shot.yaml", ("dialogue",))
    ]
    assert len(_data(film / "shots" / "03A" / "shot.yaml")["dialogue"]) == 2
    assert import_script(film, script=EDITS / "base.fountain", commit=False).changes == []
