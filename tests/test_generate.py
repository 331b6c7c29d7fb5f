"""`filmfs generate` with the offline testcard provider, through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
from click.testing import CliRunner, Result

from filmfs import layout
from filmfs.cli import cli
from filmfs.media.probe import probe
from filmfs.store.objects import hash_file
from tests.genfilm import SHOTS, small_film, takes_of


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return small_film(tmp_path / "film")


def test_missing_makes_one_selected_take_per_shot_and_commits(film: Path) -> None:
    result = run("generate", "--missing", "-j", "4", "-C", str(film))
    assert result.exit_code == 0, result.output
    assert "7 take(s) generated" in result.output
    for shot_id in SHOTS:
        [(attempt, take)] = takes_of(film, shot_id).items()
        assert attempt == 1 and take["attempt_number"] == 1
        assert take["selected"] is True
        params = take["generation_params"]
        assert isinstance(params, dict)
        assert params["provider"] == "testcard" and params["model"] == "testcard-1"
        assert isinstance(params["seed"], int)
        video = take["video"]
        assert isinstance(video, dict)
        obj = layout.object_path(film, str(video["sha256"]))
        assert obj.is_file(), f"{shot_id}: video not in the store"
        assert hash_file(obj) == (video["sha256"], video["size"])
        info = probe(obj)
        assert (
            (video["width"], video["height"], video["codec"], video["format"])
            == (
                info.width,
                info.height,
                info.codec,
                info.format,
            )
            == (320, 180, "h264", "mp4")
        )
        assert video["fps"] == info.fps == 12
        assert video["duration"] == pytest.approx(info.duration)
        assert video["has_audio"] is info.has_audio

    checked = run("validate", str(film), "--strict")
    assert checked.exit_code == 0, checked.output

    repo = git.Repo(film)
    head = repo.head.commit
    assert head.message.startswith("generate 7 take(s) with testcard\n\n01A take 1\n01B take 1")
    assert set(head.stats.files) == {f"shots/{s}/takes/001.yaml" for s in SHOTS}
    assert not repo.is_dirty(untracked_files=True)

    again = run("generate", "--missing", "-C", str(film))
    assert again.exit_code == 0, again.output
    assert "nothing to generate" in again.output
    assert repo.head.commit == head


def test_second_take_is_not_selected_and_seed_is_recorded(film: Path) -> None:
    first = run("generate", "01A", "--seed", "42", "-C", str(film))
    assert first.exit_code == 0, first.output
    assert "01A: take 1 (selected)" in first.output
    second = run("generate", "01A", "--seed", "42", "-C", str(film))
    assert second.exit_code == 0, second.output
    assert "01A: take 2 via testcard" in second.output
    takes = takes_of(film, "01A")
    assert [takes[1]["selected"], takes[2]["selected"]] == [True, False]
    for take in takes.values():
        assert take["generation_params"]["seed"] == 42  # type: ignore[index]
    assert run("validate", str(film), "--strict").exit_code == 0
    assert git.Repo(film).head.commit.message.startswith("generate 1 take(s) with testcard")


def test_same_seed_and_attempt_give_the_same_bytes(tmp_path: Path) -> None:
    shas = []
    for name in ("a", "b"):
        film = small_film(tmp_path / name)
        result = run("generate", "02A", "--seed", "7", "--no-commit", "-C", str(film))
        assert result.exit_code == 0, result.output
        shas.append(takes_of(film, "02A")[1]["video"]["sha256"])  # type: ignore[index]
    other = small_film(tmp_path / "c")
    assert run("generate", "02A", "--seed", "8", "--no-commit", "-C", str(other)).exit_code == 0
    assert shas[0] == shas[1]
    assert takes_of(other, "02A")[1]["video"]["sha256"] != shas[0]  # type: ignore[index]


def test_no_commit_leaves_the_take_uncommitted(film: Path) -> None:
    result = run("generate", "01B", "--no-commit", "-C", str(film))
    assert result.exit_code == 0, result.output
    assert "committed" not in result.output
    repo = git.Repo(film)
    assert repo.head.commit.message.strip() == "start"
    assert repo.untracked_files == ["shots/01B/takes/001.yaml"]


def test_unknown_shot(film: Path) -> None:
    result = run("generate", "09Z", "-C", str(film))
    assert result.exit_code == 1
    assert "no shot '09Z' in this film (shots: 01A, 01B, 01C, 02A, 02B, 02C, 02D)" in result.output
    assert not list(film.glob("shots/*/takes"))


def test_unknown_provider_lists_the_known_ones(film: Path) -> None:
    result = run("generate", "01A", "--provider", "sora", "-C", str(film))
    assert result.exit_code == 1
    assert (
        "unknown provider 'sora'; known providers: fal, luma, minimax, replicate, runway, "
        "testcard" in result.output
    )
    assert takes_of(film, "01A") == {}


def test_unconfigured_provider_names_the_variable(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINIMAX_API_KEY", raising=False)
    film_yaml = film / "film.yaml"
    fit = "defaults:\n  fit: {duration: nearest, inputs: drop}\n"
    film_yaml.write_text(film_yaml.read_text().replace("defaults:\n", fit))
    result = run("generate", "01A", "--provider", "minimax", "-C", str(film))
    assert result.exit_code == 1
    assert "provider 'minimax' is not configured: MINIMAX_API_KEY is not set" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert takes_of(film, "01A") == {}


def test_bad_selection_of_shots(film: Path) -> None:
    result = run("generate", "--all", "--missing", "-C", str(film))
    assert result.exit_code == 1
    assert "exactly one of --all / --missing" in result.output


def test_invalid_film_is_refused_with_positions(film: Path) -> None:
    shot = film / "shots" / "01A" / "shot.yaml"
    shot.write_text(shot.read_text().replace("duration_target: 4", "duration_target: four"))
    result = run("generate", "--missing", "-C", str(film))
    assert result.exit_code == 1
    assert "the film has 1 error(s)" in result.output
    assert "shots/01A/shot.yaml:6:18: duration_target must be a number" in result.output
    assert not list(film.glob("shots/*/takes"))


def test_leftovers_of_a_killed_run_do_not_block_the_next(film: Path) -> None:
    # What a SIGKILL can leave (see test_generate_processes): the writer's hidden temp file
    # beside a take, half written, and a reservation whose process is gone.
    takes = layout.takes_dir(film, "01A")
    takes.mkdir(parents=True)
    (takes / ".001.yaml.k1ll3d.tmp").write_text("attempt_number: 1\nselected: tr")
    locks = film / ".filmfs" / "locks"
    locks.mkdir(parents=True)
    (locks / "01A-001.reserved").write_text("999999")
    (locks / "01A.lock").write_text("")
    assert run("validate", str(film), "--strict").exit_code == 0
    result = run("generate", "--missing", "-C", str(film))
    assert result.exit_code == 0, result.output
    assert "01A: take 2 (selected)" in result.output
    assert list(takes_of(film, "01A")) == [2]
    checked = run("validate", str(film), "--strict")
    assert checked.exit_code == 0, checked.output
