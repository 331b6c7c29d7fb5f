"""The one writer of take files under real concurrency: processes and threads at once."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

import filmfs
from filmfs.cli import cli
from filmfs.errors import FilmfsError
from filmfs.film import takes
from tests.conftest import write_take
from tests.genfilm import PYTHON, small_film, subprocess_env, takes_of
from tests.providers.fakes import API_KEY, FakeMiniMax, sample_video


def _commit_all(film: Path, message: str) -> None:
    repo = git.Repo(film)
    repo.git.add("--all")
    repo.git.execute(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message])


def _selected(film: Path, shot: str) -> list[int]:
    return [n for n, t in takes_of(film, shot).items() if t["selected"] is True]


@pytest.fixture
def four_takes(tmp_path: Path) -> Path:
    film = small_film(tmp_path / "film")
    for attempt in (1, 2, 3, 4):
        write_take(film, "01A", attempt, selected=attempt == 1)
    _commit_all(film, "four takes")
    return film


def test_three_concurrent_selects_leave_exactly_one_selected(four_takes: Path) -> None:
    film = four_takes
    for round_ in range(4):
        attempts = [2, 3, 4] if round_ % 2 == 0 else [1, 3, 4]
        procs = [
            subprocess.Popen(
                [PYTHON, "-m", "filmfs", "select", "01A", str(n), "-C", str(film)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=subprocess_env(),
            )
            for n in attempts
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, out + err
        chosen = _selected(film, "01A")
        assert len(chosen) == 1, f"round {round_}: selected takes {chosen}"
        assert chosen[0] in attempts
        # What was committed is a valid film too: the last commit holds the one selection.
        repo = git.Repo(film)
        assert not repo.is_dirty(), repo.git.status()
        checked = CliRunner().invoke(cli, ["validate", str(film), "--no-media"])
        assert checked.exit_code == 0, checked.output


def test_concurrent_selects_in_threads(four_takes: Path) -> None:
    errors: list[BaseException] = []

    def pick(n: int) -> None:
        try:
            takes.select_take(four_takes, "01A", n)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=pick, args=(n,)) for n in (1, 2, 3, 4) * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(_selected(four_takes, "01A")) == 1


def test_select_repairs_several_selected_takes(four_takes: Path) -> None:
    """validate's hint for several selected takes is `filmfs select SHOT N`; it must work."""
    for attempt in (2, 3):
        path = four_takes / "shots/01A/takes" / f"{attempt:03d}.yaml"
        path.write_text(path.read_text().replace("selected: false", "selected: true"))
    checked = CliRunner().invoke(cli, ["validate", str(four_takes), "--no-media"])
    assert checked.exit_code == 1
    assert "has more than one selected take" in checked.output
    assert "keep one with `filmfs select 01A N`" in checked.output

    result = CliRunner().invoke(cli, ["select", "01A", "4", "-C", str(four_takes)])
    assert result.exit_code == 0, result.output
    assert "unselected takes 1, 2, 3" in result.output
    assert _selected(four_takes, "01A") == [4]
    again = CliRunner().invoke(cli, ["validate", str(four_takes), "--no-media"])
    assert again.exit_code == 0, again.output
    assert not git.Repo(four_takes).is_dirty()


def test_select_still_refuses_other_errors(four_takes: Path) -> None:
    for attempt in (2, 3):
        path = four_takes / "shots/01A/takes" / f"{attempt:03d}.yaml"
        path.write_text(path.read_text().replace("selected: false", "selected: true"))
    shot = four_takes / "shots/01B/shot.yaml"
    shot.write_text(shot.read_text().replace("duration_target: 4", "duration_target: four"))
    result = CliRunner().invoke(cli, ["select", "01A", "4", "-C", str(four_takes)])
    assert result.exit_code == 1
    assert "duration_target must be a number" in result.output
    assert "more than one selected take" not in result.output
    assert sorted(_selected(four_takes, "01A")) == [1, 2, 3]


def test_a_take_file_is_never_overwritten(four_takes: Path) -> None:
    before = (four_takes / "shots/01A/takes/002.yaml").read_bytes()
    data = takes.take_data(
        attempt=2,
        selected=False,
        generation_params={"provider": "other"},
        video=None,
        generation_cost=None,
    )
    with pytest.raises(FilmfsError, match="already exists"):
        takes.write_take(four_takes, "01A", 2, data, select="first")
    with (
        pytest.raises(FilmfsError, match="already has take 2"),
        takes.reserve_attempt(four_takes, "01A", wanted=2),
    ):
        pass
    assert (four_takes / "shots/01A/takes/002.yaml").read_bytes() == before


def _api_take(film: Path, provider: str) -> str:
    repo = filmfs.open(film)
    shot = repo.find("shot", "01A")
    take = repo.create_asset(
        "shot_take",
        "Shot 01A - scripted take",
        metadata={"selected": False, "generation_params": {"provider": provider}},
    )
    repo.create_relationship(shot, take, "generation_attempt")
    return take


def test_api_take_added_while_generate_holds_a_reservation(tmp_path: Path) -> None:
    """A script adds a take while `filmfs generate` is mid-run on the same shot: the API must
    not take the number generate reserved, and generate must not replace the script's take."""
    film = small_film(tmp_path / "film", provider="minimax")
    write_take(film, "01A", 1, selected=True)
    write_take(film, "01A", 2)
    _commit_all(film, "two takes")
    video = sample_video(tmp_path / "sample.mp4")
    with FakeMiniMax(video, latency=3.0) as fake:
        env = subprocess_env(FILMFS_MINIMAX_BASE_URL=fake.base_url, MINIMAX_API_KEY=API_KEY)
        proc = subprocess.Popen(
            [PYTHON, "-m", "filmfs", "generate", "01A", "-C", str(film)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 60
        while not fake.calls("/v1/video_generation", "POST"):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "generate never submitted its task"
            time.sleep(0.01)
        # generate is mid-run on 01A: a script adds a take to the same shot.
        _api_take(film, "my-script")
        scripted = takes_of(film, "01A")
        (mine,) = [
            n for n, t in scripted.items() if t["generation_params"] == {"provider": "my-script"}
        ]  # type: ignore[comparison-overlap]
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, out + err
    final = takes_of(film, "01A")
    assert final[mine]["generation_params"] == {"provider": "my-script"}, "overwritten"
    generated = [n for n, t in final.items() if t["generation_params"]["provider"] == "minimax"]  # type: ignore[index]
    assert len(generated) == 1 and generated[0] != mine
    assert sorted(final) == sorted({1, 2, mine, generated[0]})
