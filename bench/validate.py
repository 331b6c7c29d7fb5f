"""Benchmark: `filmfs validate` of a 10,000-shot x 3-take film against the bare YAML parse.

    python bench/validate.py [--scenes 100 --shots 100 --takes 3] [--repeat 3] [--keep DIR]

Every contender runs as its own process, in the same run, interleaved; each figure is the median
of ``--repeat`` runs. The floor is one process that reads every manifest and parses it with
PyYAML's CSafeLoader (``yaml.load``), nothing else. Then `filmfs validate` (a real
``python -m filmfs validate`` process, output to /dev/null):

- cold: no cache (the manifest cache and the kept report deleted before each run): parse in
  parallel and check everything;
- warm: nothing changed since the last run: the kept report answers (a stat of each file and
  folder it was made from);
- one file changed: one take rewritten: it is parsed, the rest comes from the manifest cache,
  and every check runs again.

Targets: cold / floor <= 1.0, warm < 0.5 s, peak memory (the largest process) < 1 GiB.
The takes' media objects are put in the store (placeholder bytes named by their sha256), as a
film that has been pulled has them; validate only checks that they are there.
It also prints the per-document cost of the three schema validators on the film's takes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bytecode import compile_package  # noqa: E402
from graph import generate  # noqa: E402

from filmfs.manifests import schema  # noqa: E402
from filmfs.manifests.cache import cache_path  # noqa: E402
from filmfs.manifests.loader import load  # noqa: E402
from filmfs.manifests.results import result_path  # noqa: E402

FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
paths = sorted(p for p in root.rglob("*.yaml") if ".filmfs" not in p.parts)
for p in paths:
    with open(p, "rb") as f:
        yaml.load(f.read().decode("utf-8"), Loader=yaml.CSafeLoader)
"""


def run(argv: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB, the largest of the process and its workers) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    spent = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return spent, usage.ru_maxrss


def stock_store(film: Path) -> int:
    """Placeholder objects for every take's video, as `filmfs pull` would leave them."""
    count = 0
    for take in film.glob("shots/*/takes/*.yaml"):
        for line in take.read_text().splitlines():
            if line.strip().startswith("sha256:"):
                sha = line.split(":", 1)[1].strip()
                obj = film / ".filmfs" / "objects" / sha[:2] / sha[2:]
                obj.parent.mkdir(parents=True, exist_ok=True)
                obj.write_bytes(b"placeholder")
                count += 1
    return count


def validators(film: Path, count: int = 3000) -> list[str]:
    paths = sorted(film.glob("shots/*/takes/*.yaml"))[:count]
    docs = [load(p, str(p)).data for p in paths]
    lines = []

    def per_doc(label: str, check: Callable[[object], object]) -> None:
        start = time.perf_counter()
        for doc in docs:
            check(doc)
        spent = (time.perf_counter() - start) / len(docs) * 1e6
        lines.append(f"  {label:<34} {spent:8.1f} us per take")

    full = schema.validator("take")
    per_doc("jsonschema (iter_errors)", lambda d: list(full.iter_errors(d)))
    try:
        import fastjsonschema

        compiled = fastjsonschema.compile(schema._flat("take"))
        per_doc("fastjsonschema (compiled)", compiled)
    except ImportError:
        lines.append("  fastjsonschema                     not installed (pip install .[bench])")
    per_doc("jsonschema-rs (is_valid, the one used)", lambda d: schema.is_valid(d, "take"))
    return lines


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenes", type=int, default=100)
    parser.add_argument("--shots", type=int, default=100, help="shots per scene")
    parser.add_argument("--takes", type=int, default=3, help="takes per shot")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--keep", type=Path, help="make the film here (reused if there) and keep it"
    )
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="filmfs-bench-"))
    film = base / "film"
    try:
        if not (film / "film.yaml").exists():
            files = generate(film, args.scenes, args.shots, args.takes)
            stock_store(film)
            print(f"film: {files} manifests written to {film}")
        measure(film, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def measure(film: Path, repeat: int) -> None:
    py = sys.executable
    files = sum(1 for p in film.rglob("*.yaml") if ".filmfs" not in p.parts)
    size = sum(p.stat().st_size for p in film.rglob("*.yaml") if ".filmfs" not in p.parts)
    floor_cmd = [py, "-c", FLOOR, str(film)]
    validate_cmd = [py, "-m", "filmfs", "validate", str(film)]
    cache = cache_path(film)
    kept = result_path(film, "validate")
    victim = sorted(film.glob("shots/*/takes/*.yaml"))[-1]
    original = victim.read_text()

    def cold() -> tuple[float, int]:
        cache.unlink(missing_ok=True)
        kept.unlink(missing_ok=True)
        return run(validate_cmd)

    def changed() -> tuple[float, int]:
        text = victim.read_text()
        victim.write_text(text + "# edited\n" if text == original else original)
        return run(validate_cmd)

    run(floor_cmd)  # page cache warm for everyone
    floors, colds, warms, ones, peaks = [], [], [], [], []
    for _ in range(repeat):
        floors.append(run(floor_cmd)[0])
        spent, peak = cold()
        colds.append(spent)
        peaks.append(peak)
        time.sleep(2.1)  # let the files age past the cache's racy window
        run(validate_cmd)  # writes the entries the cold run left out
        warms.append(run(validate_cmd)[0])
        ones.append(changed()[0])
    victim.write_text(original)

    floor = statistics.median(floors)
    t_cold, t_warm, t_one = (statistics.median(x) for x in (colds, warms, ones))
    print(f"manifests: {files} files, {size / 1e6:.1f} MB; {os.cpu_count()} cores; "
          f"median of {repeat} runs each")  # fmt: skip
    rows = [
        ("CSafeLoader parse, one process (floor)", f"{floor:6.2f} s"),
        ("filmfs validate, cold (no cache)", f"{t_cold:6.2f} s"),
        ("  cold / floor", f"{t_cold / floor:6.2f}   (target <= 1.0)"),
        ("filmfs validate, warm (nothing changed)", f"{t_warm:6.2f} s   (target < 0.5 s)"),
        ("  warm / floor", f"{t_warm / floor:6.3f}"),
        ("filmfs validate, one take changed", f"{t_one:6.2f} s"),
        ("peak RSS of the largest process (cold)", f"{max(peaks) / 1024:6.0f} MiB (target < 1024)"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print("schema validators, per document:")
    print("\n".join(validators(film)))


if __name__ == "__main__":
    main()
