"""The hostile-repository suite: every folder under tests/hostile/ is one attack, as data.

``repo.yaml`` describes the film the attacker controls (see tests/hostile_repo.py);
``expect.yaml`` the command to run in it and what must and must not happen:

    command: [pull]          # filmfs arguments, run in the film's folder
    process: false           # true: a real `python -m filmfs` process instead of CliRunner
    file_size_limit: 65536   # (process only) RLIMIT_FSIZE: writes past it fail (EFBIG), as
                             # a full disk fails them (ENOSPC)
    exit: 1                  # the exit code
    output: [text, ...]      # must appear in stdout + stderr
    not_output: [text, ...]  # must not appear
    not_line_start: [...]    # no output line may start with these (forged workflow commands)
    absent: [path, ...]      # must not exist afterwards ({film}, {outside} expand)
    server: {path: route}    # a 127.0.0.1 server (tests/hostile_server.py)
    server_hits: [path, ...] # exactly the requests it must have received, in order

Every case also checks what no attack may ever do: exit 3 or a traceback, change anything in
the folder outside the film, or print the outside secret.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from filmfs.cli import cli
from tests.hostile_repo import SECRET, build, fill, make_outside, snapshot
from tests.hostile_server import serve

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if (p / "expect.yaml").is_file())


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), f"{path}: expected a mapping"
    return data


def _run(
    args: list[str], film: Path, *, process: bool, file_size_limit: int | None = None
) -> tuple[int, str]:
    if process:

        def limit() -> None:
            if file_size_limit is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        done = subprocess.run(
            [sys.executable, "-m", "filmfs", *args],
            cwd=film,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
            preexec_fn=limit,
        )
        return done.returncode, done.stdout + done.stderr
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = _load(case / "expect.yaml")
    outside = make_outside(tmp_path / "outside")
    film = tmp_path / "film"
    with ExitStack() as stack:
        places = {"outside": str(outside), "film": str(film)}
        hits: list[str] = []
        if "server" in expect:
            places["server"], hits = stack.enter_context(serve(expect["server"]))
            places["server_hostport"] = places["server"].removeprefix("http://")
        build(_load(case / "repo.yaml"), film, places)
        expect = fill(expect, places)
        before = snapshot(outside)
        monkeypatch.chdir(film)
        monkeypatch.setenv("HOME", str(tmp_path))
        code, output = _run(
            expect["command"],
            film,
            process=expect.get("process", False),
            file_size_limit=expect.get("file_size_limit"),
        )
    shown = f"{case.name}: exit {code}\n{output}"
    assert code != 3 and "Traceback" not in output and "internal error" not in output, shown
    assert code == expect["exit"], shown
    for text in expect.get("output", []):
        assert text in output, f"{shown}\nmissing: {text!r}"
    for text in [SECRET, *expect.get("not_output", [])]:
        assert text not in output, f"{shown}\nmust not print: {text!r}"
    for start in expect.get("not_line_start", []):
        assert not any(line.startswith(start) for line in output.splitlines()), shown
    for path in expect.get("absent", []):
        assert not os.path.lexists(path), f"{shown}\n{path} must not exist"
    assert snapshot(outside) == before, f"{shown}\nthe folder outside the film changed"
    if "server_hits" in expect:
        assert hits == expect["server_hits"], shown


def test_every_case_says_what_must_not_happen() -> None:
    """A case that only checks the exit code proves little: each names a harm it rules out."""
    for case in CASES:
        expect = _load(case / "expect.yaml")
        harms = {"not_output", "not_line_start", "absent", "server_hits"} & set(expect)
        assert harms, f"{case.name}: expect.yaml names nothing that must not happen"
