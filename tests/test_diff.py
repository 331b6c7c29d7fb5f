"""`filmfs diff` on real temporary Git repositories, through click's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import git
import pytest
from click.testing import CliRunner, Result

from filmfs.cli import cli
from filmfs.diff.fields import word_diff
from tests.conftest import copy_example, write_take

PUSH = "rain drops running down the glass in the foreground, slow push in"
DOLLY = "rain drops running down the glass in the foreground, slow dolly in"


def commit(repo: git.Repo, message: str) -> None:
    repo.git.add("--all")
    repo.git.execute(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message])


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["diff", *args])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def film(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example film as its own repository; 01A has one take, selected. cwd is the film."""
    write_take(example_copy, "01A", 1, selected=True, cost=0.5, score=6, duration=4.0)
    commit(git.Repo.init(example_copy), "start")
    monkeypatch.chdir(example_copy)
    return example_copy


@pytest.fixture
def changed(film: Path) -> Path:
    """A second commit: 01A's prompt edited, takes 2 and 3 added and 3 selected, 02C removed,
    02E added (with one take, selected)."""
    edit(film / "shots/01A/shot.yaml", PUSH, DOLLY)
    write_take(film, "01A", 1, selected=False, cost=0.5, score=6, duration=4.0)
    write_take(film, "01A", 2, cost=0.25, score=5, duration=4.0)
    write_take(film, "01A", 3, selected=True, cost=0.75, score=9, notes="Perfect!", duration=4.5)
    shutil.rmtree(film / "shots/02C")
    (film / "shots/02E").mkdir()
    shot = (film / "shots/02D/shot.yaml").read_text().replace("02D", "02E")
    (film / "shots/02E/shot.yaml").write_text(shot)
    write_take(film, "02E", 1, selected=True, cost=1.0, duration=5.0)
    commit(git.Repo(film), "second")
    return film


def as_json(*args: str) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_json_reports_exactly_the_commits_changes(changed: Path) -> None:
    data = as_json("HEAD~1", "HEAD")
    assert data["changed"] and data["valid"] and data["problems"] == []
    assert data["base"]["rev"] == "HEAD~1" and data["head"]["rev"] == "HEAD"
    assert [(s["shot"], s["kind"]) for s in data["shots"]] == [
        ("01A", "changed"),
        ("02C", "removed"),
        ("02E", "added"),
    ]
    a = data["shots"][0]
    assert [f["field"] for f in a["fields"]] == ["prompt"]
    assert [op for op in a["fields"][0]["words"] if op[0] != "="] == [["-", "push"], ["+", "dolly"]]
    assert [
        (t["attempt"], t["provider"], t["model"], t["seed"], t["cost"], t["score"])
        for t in a["takes_added"]
    ] == [(2, "testcard", "bars", 2, 0.25, 5), (3, "testcard", "bars", 3, 0.75, 9)]
    assert a["selection"] == {"old": 1, "new": 3, "notes": "Perfect!", "score": 9}
    assert a["takes_removed"] == [] and a["takes_changed"] == []
    e = data["shots"][2]
    assert [t["attempt"] for t in e["takes_added"]] == [1]
    assert e["selection"]["new"] == 1
    assert data["film_fields"] == [] and data["items"] == [] and not data["new_cut"]
    totals = data["totals"]
    assert totals["takes_added"] == 3
    assert totals["cost_added"] == pytest.approx(2.0)
    # The cut's real length: 4.5 s + 5 s, less 02E's 0.5 s crossfade (copied from 02D).
    assert (totals["cut_before"], totals["cut_after"], totals["cut_delta"]) == (4.0, 9.0, 5.0)
    assert totals["shots_without_selected_take"] == ["01B", "01C", "02A", "02B", "02D"]


def test_text_reports_the_changes(changed: Path) -> None:
    result = run("HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "shots: 1 added, 1 removed, 1 changed; 3 take(s) added ($2.00)" in out
    assert "~ shot 01A (scene 1) changed" in out
    assert "prompt: … the glass in the foreground, slow [-push-] {+dolly+} in" in out
    assert 'selected take: take 1 → take 3 (score 9, "Perfect!")' in out
    assert 'added take 3, testcard/bars seed 3, $0.75, score 9, 4.5s, selected: "Perfect!"' in out
    assert "- shot 02C (scene 2) removed" in out
    assert "+ shot 02E (scene 2) added" in out
    assert "cut 4.0s → 9.0s (+5.0s)" in out
    assert out.rstrip().endswith(": valid")
    assert "02D" not in out.split("totals:")[0]  # 02E is a copy of 02D: 02D is unchanged


def test_markdown_is_a_stable_pr_comment(changed: Path) -> None:
    first = run("HEAD~1", "HEAD", "--format", "markdown")
    assert first.exit_code == 0, first.output
    assert run("HEAD~1", "HEAD", "--format", "markdown").output == first.output
    md = first.output
    assert md.startswith("<!-- filmfs-diff -->\n### ")
    assert "head ✅ valid" in md
    rows = [line for line in md.splitlines() if line.startswith("| 0")]
    assert rows == [
        "| 01A | 1 | changed | prompt, selected take 1 → take 3, +2 take(s) |",
        "| 02C | 2 | removed |  |",
        "| 02E | 2 | added | selected none → take 1, +1 take(s) |",
    ]
    assert "<summary>shot 01A (changed)</summary>" in md
    assert "slow ~~push~~ **dolly** in" in md
    assert "| 3 | $2.00 | 4.0s → 9.0s (+5.0s) | 01B, 01C, 02A, 02B, 02D |" in md


def test_working_tree_against_head_and_exit_code(film: Path) -> None:
    assert run("--exit-code").exit_code == 0
    assert "no changes to the film" in run().output
    edit(film / "shots/01B/shot.yaml", "duration_target: 4", "duration_target: 6")
    write_take(film, "01B", 1, cost=0.4)
    result = run()
    assert result.exit_code == 0, result.output
    assert "HEAD (" in result.output and "→ working tree" in result.output
    assert "duration_target: 4 → 6" in result.output
    assert "added take 1, testcard/bars seed 1, $0.40, 4.0s" in result.output
    assert run("--exit-code").exit_code == 1
    # One revision: that revision against the working tree.
    assert "duration_target: 4 → 6" in run("HEAD").output


def test_merge_base_syntax_shows_what_a_branch_changes(film: Path) -> None:
    repo = git.Repo(film)
    main = repo.active_branch.name
    repo.git.checkout("-qb", "feature")
    edit(film / "film.yaml", "title: Paper Boats", "title: Paper Ships")
    commit(repo, "retitle")
    repo.git.checkout("-q", main)
    edit(film / "scenes/02.yaml", "gulls,", "gulls, rain,")
    commit(repo, "rain on main")
    data = as_json(f"{main}...feature")
    assert data["base"]["sha"] == repo.git.merge_base(main, "feature")
    assert [(f["field"], f["old"], f["new"]) for f in data["film_fields"]] == [
        ("title", "Paper Boats", "Paper Ships")
    ]
    assert data["items"] == []  # main's own change is not the branch's
    two_dots = as_json(f"{main}..feature")
    assert [i["id"] for i in two_dots["items"]] == ["02"]


def test_film_in_a_subfolder_added_then_changed(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    (top / "README.md").write_text("films\n")
    repo = git.Repo.init(top)
    commit(repo, "empty")
    film = top / "films" / "boats"
    copy_example(film)
    commit(repo, "add film")
    edit(film / "shots/02A/shot.yaml", "characters: [mira, tomas]", "characters: [mira]")
    commit(repo, "02A without tomas")

    added = as_json("HEAD~2", "HEAD~1", "-C", str(film))
    assert {s["kind"] for s in added["shots"]} == {"added"}
    assert len(added["shots"]) == 7
    assert [(i["kind"], i["id"]) for i in added["items"]] == [
        ("scene", "01"),
        ("scene", "02"),
        ("character", "mira"),
        ("character", "tomas"),
        ("asset", "harbour-theme"),
        ("asset", "rain-ambience"),
    ]
    data = as_json("HEAD~1", "HEAD", "-C", str(film))
    assert [
        (s["shot"], [(f["field"], f["removed"]) for f in s["fields"]]) for s in data["shots"]
    ] == [("02A", [("characters", ["tomas"])])]
    assert "characters: -tomas" in run("HEAD~1", "HEAD", "-C", str(film)).output


def test_bad_revision_is_named(film: Path) -> None:
    result = run("no-such-branch")
    assert result.exit_code == 1
    assert "unknown revision 'no-such-branch'" in result.output
    assert "Traceback" not in result.output
    result = run("HEAD", "HEAD~5")
    assert result.exit_code == 1 and "unknown revision 'HEAD~5'" in result.output


def test_outside_a_repository(example_copy: Path) -> None:
    result = run("-C", str(example_copy))
    assert result.exit_code == 1
    assert "not inside a Git repository" in result.output


def test_invalid_head_is_reported_with_positions(film: Path) -> None:
    edit(film / "shots/01A/shot.yaml", "duration_target: 4", "duration_target: three")
    edit(film / "shots/02A/shot.yaml", "characters: [mira, tomas]", "characters: [mira, bo]")
    commit(git.Repo(film), "break two shots")
    result = run("HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    expected = CliRunner().invoke(cli, ["validate", "--no-media", "."]).output.splitlines()[:-1]
    assert len(expected) == 2
    assert expected[0].startswith("shots/01A/shot.yaml:6:18: ")
    assert expected[1].startswith("shots/02A/shot.yaml:")
    assert "HEAD: INVALID, 2 error(s), 0 warning(s)" in result.output
    for line in expected:
        assert f"  {line}" in result.output
    assert "! shot 01A (scene 1) unreadable" in result.output
    md = run("HEAD~1", "HEAD", "--format", "markdown").output
    assert "head ❌ 2 error(s)" in md and expected[0] in md
    assert [p["path"] for p in as_json("HEAD~1", "HEAD")["problems"]] == [
        "shots/01A/shot.yaml",
        "shots/02A/shot.yaml",
    ]
    edit(film / "shots/01A/shot.yaml", "duration_target: three", "duration_target: 5")
    fixed = run()
    assert "* shot 01A (scene 1) fixed" in fixed.output
    assert "    duration_target: 5" in fixed.output
    assert "working tree: INVALID, 1 error(s)" in fixed.output


def test_word_diff() -> None:
    assert word_diff("a b c d", "a x c d e") == [
        ("=", "a"),
        ("-", "b"),
        ("+", "x"),
        ("=", "c d"),
        ("+", "e"),
    ]


CUT = """final_edit:
  sha256: "{sha}"
  size: 5000
  duration: {duration}
  width: 1280
  height: 720
  fps: 24
  codec: h264
  format: mp4
"""


def test_film_fields_and_a_new_cut(film: Path) -> None:
    with (film / "film.yaml").open("a") as f:
        f.write(CUT.format(sha="c" * 64, duration=24))
    commit(git.Repo(film), "first cut")
    edit(film / "film.yaml", "c" * 64, "d" * 64)
    edit(film / "film.yaml", "duration: 24\n", "duration: 26.5\n")
    edit(film / "film.yaml", "soundtrack: harbour-theme", "soundtrack: rain-ambience")
    edit(film / "characters/mira.yaml", "name: Mira", "name: Little Mira")
    result = run()
    assert result.exit_code == 0, result.output
    out = result.output
    assert "final_edit: cccccccccccc (24s) → dddddddddddd (26.5s)\n  new cut" in out
    assert "soundtrack: harbour-theme → rain-ambience" in out
    assert "~ character mira changed\n    name: Mira → Little Mira" in out
    data = as_json()
    assert data["new_cut"]
    assert [f["field"] for f in data["film_fields"]] == ["soundtrack", "final_edit"]
    assert [(i["kind"], i["id"], i["change"]) for i in data["items"]] == [
        ("character", "mira", "changed")
    ]
    assert "new cut" in run("--format", "markdown").output.splitlines()[3]


def test_a_missing_directory(film: Path) -> None:
    result = run("-C", "nowhere")
    assert result.exit_code == 1 and "nowhere: no such directory" in result.output


def test_markdown_stays_short_for_a_sweeping_change(changed: Path) -> None:
    from filmfs.cli.diff_render import markdown
    from filmfs.commands.diff import diff

    md = markdown(diff(changed, base="HEAD~1", head="HEAD"), max_rows=1, max_details=1)
    assert [line for line in md.splitlines() if line.startswith("| 0")] == [
        "| 01A | 1 | changed | prompt, selected take 1 → take 3, +2 take(s) |"
    ]
    assert "… and 2 more shot change(s)" in md
    assert "<summary>shot 01A (changed)</summary>" in md
    assert "<summary>shot 02E" not in md and "… and 1 more shot(s) not detailed here" in md
