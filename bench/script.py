"""Benchmark: a feature-length Fountain script (124 scenes) imported, then re-imported unchanged.

    python bench/script.py [--scenes 124] [--repeat 3]

Prints, from one run, the best of ``--repeat`` times of: parsing the script alone (the
baseline: fountain-py through filmfs's adapter), `import-script` into a new film (parse,
plan, write ~260 manifests, validate the result; no Git commit), and the re-import of the
same script (a no-op: nothing written; the sync stamp answers it) and the same without the
stamp (the full load, match and field-by-field compare); and each as a ratio to the parse.
Targets: import < 2 s, re-import < 1 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bytecode import compile_package

from filmfs.commands.import_script import import_script
from filmfs.script.parse import read_script
from tests.scripts.feature import feature_script


def best(repeat: int, run: Callable[[], object], setup: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        setup()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=124)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="filmfs-bench-script-"))
    try:
        script = work / "feature.fountain"
        script.write_text(feature_script(args.scenes))
        film = work / "film"
        parsed = read_script(script, "feature.fountain")
        lines = sum(len(s.dialogue) for s in parsed.scenes)
        print(f"{len(parsed.scenes)} scenes, {len(parsed.speakers)} speakers, {lines} lines")
        parse = best(args.repeat, lambda: read_script(script, "feature.fountain"))

        def fresh() -> None:
            shutil.rmtree(film, ignore_errors=True)
            film.mkdir()
            (film / ".git").mkdir()  # keeps init from running `git init` (not what is timed)

        def first() -> object:
            return import_script(film, script=script, commit=False)

        imported = best(args.repeat, first, fresh)
        again = best(args.repeat, lambda: import_script(film, script=script, commit=False))
        assert import_script(film, script=script, commit=False).changes == []
        stamp = film / ".filmfs" / "cache" / "script-sync.json"
        full = best(
            args.repeat,
            lambda: import_script(film, script=script, commit=False),
            lambda: stamp.unlink(missing_ok=True),
        )
        print(f"parse alone        {parse * 1000:8.1f} ms   1.00")
        print(
            f"import (new film)  {imported * 1000:8.1f} ms  {imported / parse:5.2f}x parse"
            f"   target < 2 s: {'ok' if imported < 2 else 'MISSED'}"
        )
        print(
            f"re-import, no-op   {again * 1000:8.1f} ms  {again / parse:5.2f}x parse"
            f"   target < 1 s: {'ok' if again < 1 else 'MISSED'}"
        )
        print(
            f"  same, no stamp   {full * 1000:8.1f} ms  {full / parse:5.2f}x parse"
            "   (load the film, parse, match, compare every field)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
