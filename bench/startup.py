"""Benchmark: how fast the CLI starts, against `python -c "import yaml, click"`.

    python bench/startup.py [--repeat 15]

Each command runs as a real process (the same interpreter), interleaved with the baseline;
each figure is the median of ``--repeat`` runs. `validate` and `tree` run on a copy of the
example film whose caches were written by a first run, as on a second command in a row, with
the package's bytecode compiled (as pip leaves an installed package).
Target: each command <= 2x the baseline. It also lists the slowest imports of each command
(``python -X importtime``), which should hold nothing heavy (av, opentimelineio, httpx, fsspec,
git, jsonschema).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_package

REPO = Path(__file__).resolve().parents[1]
HEAVY = (
    "av", "opentimelineio", "httpx", "fsspec", "git", "jsonschema", "psycopg", "ffmpeg", "ruamel",
    "multiprocessing", "concurrent",
)  # fmt: skip


def once(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def imports(argv: list[str], cwd: Path) -> list[tuple[int, str]]:
    err = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], cwd=cwd, capture_output=True, text=True
    ).stderr
    found = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit():
                found.append((int(cumulative), name.strip()))
    return found


def slowest(found: list[tuple[int, str]], count: int) -> str:
    """The ``count`` slowest of :func:`imports`' modules (cumulative time), as one line."""
    return ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in sorted(found)[-count:][::-1])


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="filmfs-startup-"))
    try:
        film = work / "film"
        shutil.copytree(REPO / "example-film", film, ignore=shutil.ignore_patterns(".filmfs"))
        baseline = [py, "-c", "import yaml, click"]
        commands = {
            "filmfs --help": [py, "-m", "filmfs", "--help"],
            "filmfs validate": [py, "-m", "filmfs", "validate"],
            "filmfs tree": [py, "-m", "filmfs", "tree"],
        }
        time.sleep(2.1)  # the copy's files age past the caches' racy window
        for argv in commands.values():
            once(argv, film)  # writes the manifest cache; warms the page cache
        times: dict[str, list[float]] = {name: [] for name in ["baseline", *commands]}
        for _ in range(args.repeat):
            times["baseline"].append(once(baseline, film))
            for name, argv in commands.items():
                times[name].append(once(argv, film))
        base = statistics.median(times["baseline"])
        print(f"median of {args.repeat} runs each, one process per run")
        label = 'python -c "import yaml, click"'
        print(f"  {label:<34} {base * 1000:6.0f} ms  (baseline)")
        for name in commands:
            spent = statistics.median(times[name])
            print(f"  {name:<34} {spent * 1000:6.0f} ms  {spent / base:5.2f}x  (target <= 2)")
        for name, argv in commands.items():
            found = imports(argv, film)
            heavy = sorted({n for _, n in found if n.split(".")[0] in HEAVY})
            print(f"  {name}: heavy imports: {heavy or 'none'}; slowest: {slowest(found, 4)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
