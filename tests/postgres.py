"""A throwaway PostgreSQL server for the export tests: initdb + pg_ctl on 127.0.0.1.

FILMFS_TEST_PG_URL, when set, is used instead. Without PostgreSQL binaries the tests are
skipped on a developer machine but fail in CI (env CI set), so CI can never pass them silently.
initdb and postgres refuse to run as root: as root, the cluster is made and run as the
``postgres`` user (Debian's package creates it) in a temporary folder that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<N>/bin, else the folder of initdb on PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent  # Debian symlinks: postgres sits beside the target
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail(
            "running as root, but there is no 'postgres' user to run initdb as", pytrace=False
        )
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["sudo", "-u", "postgres", "--"]


def _run(argv: list[str], log: Path | None = None) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        pytest.fail(
            f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}"
            f"{result.stderr}\n{tail}",
            pytrace=False,
        )


def server() -> Iterator[str]:
    """Yield the URL of a running server (the generator body of the session fixture)."""
    if os.environ.get("FILMFS_TEST_PG_URL"):
        yield os.environ["FILMFS_TEST_PG_URL"]
        return
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            message = (
                "CI is set but no PostgreSQL binaries (initdb, pg_ctl) were found; "
                "install Debian's postgresql package (.ci/run does)"
            )
            pytest.fail(message, pytrace=False)
        pytest.skip("no PostgreSQL binaries; install postgresql or set FILMFS_TEST_PG_URL")
    prefix = _as_postgres_user()
    # Under /tmp when switching user: the postgres user must reach it, whatever TMPDIR is.
    base = Path(tempfile.mkdtemp(prefix="filmfs-pg-", dir="/tmp" if prefix else None))
    if prefix:
        shutil.chown(base, "postgres", "postgres")
    data, log, port = base / "data", base / "server.log", _free_port()
    _run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "filmfs",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ],
        log,
    )
    try:
        yield f"postgresql://filmfs@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)
