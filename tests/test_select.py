from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.project import Project
from tests.conftest import CASES


@pytest.fixture
def film(tmp_path: Path) -> Path:
    target = tmp_path / "film"
    shutil.copytree(CASES / "valid" / "takes-selected", target)
    repo = git.Repo.init(target)
    repo.git.add("--all")
    repo.git.execute(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"])
    return target


def _selected(film: Path) -> list[int]:
    shot = Project.load(film).shots["01A"]
    return [t.attempt_number for t in shot.takes if t.selected]


def test_select_moves_the_selection_and_commits(film: Path) -> None:
    assert _selected(film) == [2]
    result = CliRunner().invoke(
        cli,
        [
            "select",
            "01A",
            "1",
            "--note",
            "Perfect! Use this one",
            "--score",
            "8.5",
            "-C",
            str(film),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "take 1 selected (was take 2)" in result.output
    assert _selected(film) == [1]
    take = Project.load(film).shots["01A"].takes[0]
    assert take.director_notes == "Perfect! Use this one"
    assert take.quality_score == 8.5
    head = git.Repo(film).head.commit
    assert head.message.startswith("select 01A take 1")
    # The store's ignore file, written by the first write into .filmfs/, goes along.
    assert set(head.stats.files) - {".filmfs/.gitignore"} == {
        "shots/01A/takes/001.yaml",
        "shots/01A/takes/002.yaml",
    }
    assert not git.Repo(film).is_dirty()


def test_select_no_commit_leaves_changes_unstaged(film: Path) -> None:
    result = CliRunner().invoke(cli, ["select", "01A", "1", "--no-commit", "-C", str(film)])
    assert result.exit_code == 0, result.output
    assert git.Repo(film).is_dirty()
    assert git.Repo(film).head.commit.message.strip() == "start"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["01A", "7"], "shot 01A has no take 7 (takes: 1, 2)"),
        (["09Z", "1"], "no shot '09Z' in this film (shots: 01A)"),
        (["01A", "1", "--score", "11"], "--score must be between 0 and 10"),
    ],
)
def test_select_errors(film: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["select", *args, "-C", str(film)])
    assert result.exit_code == 1
    assert message in result.output
    assert _selected(film) == [2]


def test_select_refuses_an_invalid_film(film: Path) -> None:
    (film / "shots" / "01A" / "shot.yaml").write_text("shot_number: 01A\n")
    result = CliRunner().invoke(cli, ["select", "01A", "1", "-C", str(film)])
    assert result.exit_code == 1
    # scene is optional: the two missing fields are prompt and duration_target.
    assert "the film has 2 error(s)" in result.output, result.output
    assert "shots/01A/shot.yaml:1:1: missing required field" in result.output
