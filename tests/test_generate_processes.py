"""`python -m filmfs generate` as real processes: several at once, and killed with SIGKILL."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from filmfs import layout
from filmfs.cli import cli
from tests.genfilm import PYTHON, SHOTS, small_film, subprocess_env, takes_of
from tests.providers.fakes import API_KEY, FakeMiniMax, sample_video


def test_concurrent_processes_never_reuse_an_attempt_number(tmp_path: Path) -> None:
    film = small_film(tmp_path / "film")
    procs = [
        subprocess.Popen(
            [PYTHON, "-m", "filmfs", "generate", "01A", "01A", "-j", "2", "-C", str(film)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, out + err
        assert "Traceback" not in err
    takes = takes_of(film, "01A")
    assert sorted(takes) == [1, 2, 3, 4, 5, 6]
    # The first take *written* is selected, whichever number it drew.
    assert sum(1 for t in takes.values() if t["selected"]) == 1
    repo = git.Repo(film)
    committed = {f for c in repo.iter_commits() for f in c.stats.files}
    assert {f"shots/01A/takes/{n:03d}.yaml" for n in range(1, 7)} <= committed
    assert not repo.is_dirty(untracked_files=True)
    assert CliRunner().invoke(cli, ["validate", str(film), "--strict"]).exit_code == 0


# --- kill -9 ------------------------------------------------------------------------------


def _take_files(film: Path) -> list[Path]:
    return sorted(film.glob("shots/*/takes/[0-9][0-9][0-9].yaml"))


def _kill_when(
    proc: subprocess.Popen[str], film: Path, moment: str, fake: FakeMiniMax, submitted: int
) -> None:
    """SIGKILL ``proc`` at ``moment``: "0.3s" after start, "submit1" once it has submitted
    a task to ``fake`` (which had seen ``submitted`` before), "job2" once it has recorded two
    submitted tasks under .filmfs/jobs/, "take3" once 3 take files exist.
    """
    deadline = time.monotonic() + 60
    if moment.startswith("submit"):
        wanted = submitted + int(moment.removeprefix("submit"))
        while len(fake.calls("/v1/video_generation", "POST")) < wanted:
            assert proc.poll() is None, "finished before the kill"
            assert time.monotonic() < deadline, "nothing was submitted in 60 s"
            time.sleep(0.005)
    elif moment.startswith("job"):
        wanted = int(moment.removeprefix("job"))
        while len(list((film / ".filmfs" / "jobs").glob("*.json"))) < wanted:
            assert proc.poll() is None, "finished before the kill"
            assert time.monotonic() < deadline, "no task was recorded in 60 s"
            time.sleep(0.002)
    elif moment.endswith("s"):
        deadline = time.monotonic() + float(moment[:-1])
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
    else:
        wanted = int(moment.removeprefix("take"))
        while len(_take_files(film)) < wanted:
            assert proc.poll() is None, "finished before the kill"
            assert time.monotonic() < deadline, "no take was written in 60 s"
            time.sleep(0.005)
    assert proc.poll() is None, f"{moment}: the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def slow_minimax(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeMiniMax]:
    video = sample_video(tmp_path_factory.mktemp("video") / "sample.mp4")
    # Each status poll takes a second to answer: the run lingers between submit and take
    # (MiniMax's own cadence, 10 s between polls, never comes into play: one poll suffices).
    with FakeMiniMax(video, delay={"poll": 1.0}) as fake:
        assert isinstance(fake, FakeMiniMax)
        yield fake


@pytest.mark.parametrize("moment", ["0.3s", "submit1", "job1", "job2", "take1", "take3"])
def test_kill_9_leaves_a_valid_film_and_missing_finishes_it(
    tmp_path: Path, slow_minimax: FakeMiniMax, moment: str
) -> None:
    film = small_film(tmp_path / "film", provider="minimax")
    env = {"FILMFS_MINIMAX_BASE_URL": slow_minimax.base_url, "MINIMAX_API_KEY": API_KEY}
    slow_minimax.delay["poll"] = 1.0
    submitted = len(slow_minimax.calls("/v1/video_generation", "POST"))
    proc = subprocess.Popen(
        [PYTHON, "-m", "filmfs", "generate", "--all", "-j", "2", "-C", str(film)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(**env),
    )
    try:
        _kill_when(proc, film, moment, slow_minimax, submitted)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()

    # No half-written take: every take file parses, is valid, and its video is in the store.
    checked = CliRunner().invoke(cli, ["validate", str(film)])
    assert checked.exit_code == 0, checked.output
    assert " 0 error(s)" in checked.output
    survivors = _take_files(film)
    for path in survivors:
        take = takes_of(film, path.parent.parent.name)[int(path.stem)]
        assert layout.object_path(film, take["video"]["sha256"]).is_file()  # type: ignore[index]
    # Temp files may only be left in .filmfs/tmp, or as the writer's hidden ".NNN.yaml.*.tmp"
    # beside a take, which nothing reads.
    for path in film.rglob("*"):
        rel = path.relative_to(film)
        if rel.parts[0] in (".git", ".filmfs") or path.is_dir():
            continue
        if path.name.endswith(".tmp"):
            assert path.name.startswith("."), rel
            continue
        assert path.suffix == ".yaml" or path.name == ".gitignore", rel

    # The rerun is not blocked by the dead run's locks or reservations, and finishes the film.
    stale = list((film / ".filmfs" / "locks").glob("*.reserved"))
    recorded = list((film / ".filmfs" / "jobs").glob("*.json"))
    if moment.startswith("job"):
        assert len(recorded) >= int(moment.removeprefix("job"))
    slow_minimax.delay["poll"] = 0.0
    again = CliRunner().invoke(cli, ["generate", "--missing", "-C", str(film)], env=env)
    assert again.exit_code == 0, again.output
    # The tasks the dead run recorded were resumed, not submitted again: the server's request
    # log shows one create per shot over both runs (a kill between a create and its record,
    # possible at "0.3s" and "submit1", is the one case that may cost a second create).
    creates = len(slow_minimax.calls("/v1/video_generation", "POST")) - submitted
    if moment == "job2":  # -j 2 and two records: every task in flight was recorded
        assert creates == len(SHOTS), f"{creates} creates for {len(SHOTS)} shots"
    else:  # each of the 2 workers may have been between a create and its answer (no id yet)
        assert creates <= len(SHOTS) + 2, f"{creates} creates for {len(SHOTS)} shots"
    # Records of takes already written (killed just after the take) are dropped, not resumed.
    assert again.output.count("(resumed)") <= len(recorded)
    assert not list((film / ".filmfs" / "jobs").glob("*.json")), "a job record was left"
    before = {(p.parent.parent.name, int(p.stem)) for p in survivors}
    reserved = {(p.name[: -len("-001.reserved")], int(p.stem[-3:])) for p in stale}
    after = {(p.parent.parent.name, int(p.stem)) for p in _take_files(film)}
    assert sorted({shot for shot, _ in after}) == SHOTS
    assert len(after) == len(SHOTS), "a shot got two takes (or none)"
    assert not (after - before) & reserved, "a number reserved by the dead run was reused"
    final = CliRunner().invoke(cli, ["validate", str(film), "--strict"])
    assert final.exit_code == 0, final.output
