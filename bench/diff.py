"""Benchmark: `filmfs diff` of two revisions of a 4,000-shot film against `filmfs validate`.

    python bench/diff.py [--scenes 40 --shots 100 --takes 2] [--repeat 3] [--keep DIR]

The film is committed, then 20 shots' prompts are changed and one take is added in a second
commit. `filmfs diff HEAD~1 HEAD` (both sides read from Git) runs as a real process, interleaved
with `filmfs validate` of the working tree: cold (no cache), with every file's check cached but
not the report, and warm (the report kept). diff runs with the cache of blobs its first run
wrote, and without it. Each figure is the median of ``--repeat`` runs. Target: diff <= 2x
validate of one revision.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bytecode import compile_package  # noqa: E402  (bench/ is the script's folder)
from graph import generate  # noqa: E402

from filmfs.manifests.blobs import blobs_path  # noqa: E402
from filmfs.manifests.cache import cache_path  # noqa: E402
from filmfs.manifests.results import result_path  # noqa: E402


def git(film: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        cwd=film,
        check=True,
        capture_output=True,
    )


def once(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    spent = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return spent


def make(film: Path, scenes: int, shots: int, takes: int) -> None:
    files = generate(film, scenes, shots, takes)
    (film / ".gitignore").write_text(".filmfs/\n")
    git(film, "init", "-q")
    git(film, "add", "-A")
    git(film, "commit", "-qm", "film")
    for shot in sorted((film / "shots").iterdir())[:: max(1, scenes * shots // 20)][:20]:
        path = shot / "shot.yaml"
        path.write_text(path.read_text().replace("take care with the light", "darker now"))
    first = sorted((film / "shots").iterdir())[0]
    extra = first / "takes" / f"{takes + 1:03d}.yaml"
    extra.write_text(
        (first / "takes" / "001.yaml")
        .read_text()
        .replace("attempt_number: 1", f"attempt_number: {takes + 1}")
    )
    git(film, "add", "-A")
    git(film, "commit", "-qm", "change")
    print(f"film: {files} manifests, two commits, in {film}")


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenes", type=int, default=40)
    parser.add_argument("--shots", type=int, default=100, help="shots per scene")
    parser.add_argument("--takes", type=int, default=2, help="takes per shot")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="make the film here (or reuse it) and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="filmfs-bench-"))
    film = base / "film"
    try:
        if not (film / "film.yaml").exists():
            make(film, args.scenes, args.shots, args.takes)
        py = sys.executable
        diff = [py, "-m", "filmfs", "diff", "HEAD~1", "HEAD"]
        validate = [py, "-m", "filmfs", "validate", "--no-media"]
        once(diff, film)
        kept = result_path(film, "validate-no-media")
        diffs, cold_diffs, colds, loads, warms = [], [], [], [], []
        for _ in range(args.repeat):
            diffs.append(once(diff, film))
            blobs_path(film).unlink(missing_ok=True)
            cold_diffs.append(once(diff, film))
            cache_path(film).unlink(missing_ok=True)
            kept.unlink(missing_ok=True)
            colds.append(once(validate, film))
            kept.unlink(missing_ok=True)
            loads.append(once(validate, film))
            once(validate, film)
            warms.append(once(validate, film))
        t_diff, t_cold_diff, t_cold, t_load, t_warm = (
            statistics.median(x) for x in (diffs, cold_diffs, colds, loads, warms)
        )
        print(f"median of {args.repeat} runs each")
        rows = [
            ("filmfs diff HEAD~1 HEAD (blobs cached)", t_diff),
            ("filmfs diff HEAD~1 HEAD (no cache)", t_cold_diff),
            ("filmfs validate, cold (no cache)", t_cold),
            ("filmfs validate, files cached, report not", t_load),
            ("filmfs validate, warm (report kept)", t_warm),
        ]
        for name, spent in rows:
            print(f"  {name:<44} {spent:6.2f} s")
        print(f"  {'diff / cold validate':<44} {t_diff / t_cold:6.2f}  (target <= 2)")
        print(f"  {'diff without cache / cold validate':<44} {t_cold_diff / t_cold:6.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
