"""`python -m filmfs generate` as real processes: several at once, and killed with SIGKILL."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git
from click.testing import CliRunner

from filmfs.cli import cli
from tests.genfilm import PYTHON, small_film, subprocess_env, takes_of


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
