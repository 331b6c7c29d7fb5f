"""What a take is made from: hashed parts, and the changes that make a selected take stale."""

from __future__ import annotations

from pathlib import Path

import yaml

from filmfs.film import inputs
from filmfs.project import Project
from tests.conftest import write_take


def _record(film: Path, shot_id: str, attempt: int, *, selected: bool = True) -> None:
    """Write a take whose recorded inputs are the shot's inputs as the film is now."""
    write_take(film, shot_id, attempt, selected=selected)
    project = Project.load(film)
    shot = project.shots[shot_id]
    now = inputs.shot_inputs(project, shot, provider="testcard", model="bars")
    path = film / "shots" / shot_id / "takes" / f"{attempt:03d}.yaml"
    data = yaml.safe_load(path.read_text())
    data["inputs"] = now.as_data(seed=attempt)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _edit(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _changed(film: Path, shot_id: str) -> tuple[str, ...]:
    project = Project.load(film)
    assert not [p for p in project.all_problems() if p.severity == "error"]
    found = inputs.staleness(project, project.shots[shot_id])
    assert found is not None
    return found.changed


def test_a_fresh_take_is_not_stale(example_copy: Path) -> None:
    _record(example_copy, "01B", 1)
    assert _changed(example_copy, "01B") == ()


def test_each_part_is_named_when_it_changes(example_copy: Path) -> None:
    _record(example_copy, "01C", 1)  # 01C has Mira in it
    shot = example_copy / "shots/01C/shot.yaml"
    _edit(shot, prompt="a different picture entirely")
    assert _changed(example_copy, "01C") == ("prompt",)
    _edit(example_copy / "characters/mira.yaml", appearance="a girl in a green coat")
    assert _changed(example_copy, "01C") == ("prompt", "character mira's look")
    _edit(shot, generation={"model": "bars-2"})
    assert "model" in _changed(example_copy, "01C")


def test_a_reference_image_change_makes_every_shot_of_the_character_stale(
    example_copy: Path,
) -> None:
    asset = example_copy / "assets/mira-face.yaml"
    asset.write_text(
        yaml.safe_dump({"id": "mira-face", "type": "image", "name": "Mira", "sha256": "a" * 64})
    )
    _edit(example_copy / "characters/mira.yaml", references=["mira-face"])
    with_mira = [
        p.parent.name
        for p in sorted((example_copy / "shots").glob("*/shot.yaml"))
        if "mira" in (yaml.safe_load(p.read_text()).get("characters") or [])
    ]
    assert len(with_mira) >= 2
    for attempt, shot_id in enumerate(with_mira, start=1):
        _record(example_copy, shot_id, attempt)
    for shot_id in with_mira:
        assert _changed(example_copy, shot_id) == ()
    _edit(asset, sha256="b" * 64)
    for shot_id in with_mira:
        assert _changed(example_copy, shot_id) == ("reference image mira-face",)


def test_a_chain_goes_stale_when_the_shot_it_chains_from_changes(example_copy: Path) -> None:
    # 01A -> 01B -> 01C: each starts from the last frame of the one before.
    _record(example_copy, "01A", 1)
    for shot_id in ("01B", "01C"):
        _edit(
            example_copy / f"shots/{shot_id}/shot.yaml", first_frame={"previous_shot": "last_frame"}
        )
    _record(example_copy, "01B", 1)
    _record(example_copy, "01C", 1)
    assert _changed(example_copy, "01B") == () and _changed(example_copy, "01C") == ()
    # A new take of 01A is selected: 01B's first frame is now another picture.
    _edit(example_copy / "shots/01A/takes/001.yaml", selected=False)
    write_take(example_copy, "01A", 2, selected=True)
    assert _changed(example_copy, "01B") == ("first frame",)
    # 01C chains from 01B, whose selected take has not changed (yet): not stale until 01B is
    # regenerated, which the same rule then reports.
    assert _changed(example_copy, "01C") == ()
    _edit(example_copy / "shots/01B/takes/001.yaml", selected=False)
    write_take(example_copy, "01B", 2, selected=True)
    assert _changed(example_copy, "01C") == ("first frame",)


def test_a_take_without_recorded_inputs_is_not_judged(example_copy: Path) -> None:
    write_take(example_copy, "01A", 1, selected=True)
    project = Project.load(example_copy)
    assert inputs.staleness(project, project.shots["01A"]) is None


def test_chaining_from_the_first_shot_is_an_error_at_its_line(example_copy: Path) -> None:
    _edit(example_copy / "shots/01A/shot.yaml", first_frame={"previous_shot": "last_frame"})
    problems = Project.load(example_copy).all_problems()
    (problem,) = [p for p in problems if "chains" in p.message]
    assert problem.path.endswith("shots/01A/shot.yaml") and problem.line > 1
    assert "01A is the film's first shot" in problem.message


def test_a_first_frame_must_be_an_image(example_copy: Path) -> None:
    _edit(example_copy / "shots/01B/shot.yaml", first_frame="rain-ambience")
    messages = [p.message for p in Project.load(example_copy).all_problems()]
    assert "asset 'rain-ambience' is audio, but image is needed here" in messages
