"""Benchmark: a synthetic 10,000-shot film, from YAML parse to SQL export.

    python bench/graph.py [--scenes 100] [--shots 100] [--takes 2] [--pg URL] [--keep DIR]

Prints, from one run: the bare YAML parse time of every manifest (yaml.load with the loader
filmfs composes with), filmfs's load time (Project.load + validation), the graph build time and
its ratio to the parse time (target <= 0.2), each query's time after load (target < 100 ms),
the SQLite export time and, with --pg, the PostgreSQL export time (target < 30 s).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml
from bytecode import compile_package

from filmfs.cli import queries as render
from filmfs.cli import status as render_status
from filmfs.cli.output import to_json
from filmfs.commands import diagram, queries
from filmfs.commands.export_sql import export_sql
from filmfs.commands.loaded import Loaded, load_project
from filmfs.commands.status import status
from filmfs.graph.build import build_graph
from filmfs.manifests.loader import COMPOSER

CHARACTERS = ("ada", "ben", "cleo", "dov", "eli")


def letters(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index // 26] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index % 26]


def generate(root: Path, scenes: int, shots: int, takes: int) -> int:
    """Write the film; returns the number of manifest files."""
    for folder in ("scenes", "shots", "characters", "assets"):
        (root / folder).mkdir(parents=True)
    (root / "film.yaml").write_text(
        "filmfs: 1\ntitle: Bench\nformat: {width: 1280, height: 720, fps: 24}\n"
    )
    files = 1
    for char in CHARACTERS:
        (root / "characters" / f"{char}.yaml").write_text(f"id: {char}\nname: {char.title()}\n")
        files += 1
    for scene in range(1, scenes + 1):
        (root / "scenes" / f"{scene:02d}.yaml").write_text(
            f"scene_number: {scene}\nheading: INT. ROOM {scene} - DAY\nsetting: a room\n"
        )
        files += 1
        for index in range(shots):
            shot = f"{scene:03d}{letters(index)}"
            folder = root / "shots" / shot
            (folder / "takes").mkdir(parents=True)
            cast = [CHARACTERS[(scene + index) % 5], CHARACTERS[(scene + 2 * index) % 5]]
            (folder / "shot.yaml").write_text(
                f"shot_number: {shot}\nscene: {scene}\ndescription: Shot {shot} of scene "
                f"{scene}.\ncamera_angle: medium shot\nduration_target: 4\n"
                f"prompt: a person in room {scene}, take care with the light, shot {shot}\n"
                f"characters: [{', '.join(sorted(set(cast)))}]\nstatus: ready\n"
            )
            files += 1
            for attempt in range(1, takes + 1):
                chosen = "true" if attempt == takes else "false"
                sha = hashlib.sha256(f"{shot}/{attempt}".encode()).hexdigest()
                (folder / "takes" / f"{attempt:03d}.yaml").write_text(
                    f"attempt_number: {attempt}\nselected: {chosen}\n"
                    f"generation_params:\n  provider: testcard\n  model: bars\n  seed: {attempt}\n"
                    f"generation_cost: 0.25\nquality_score: {5 + attempt}\n"
                    f"director_notes: attempt {attempt}\nvideo:\n  sha256: {sha}\n  size: 100000\n"
                    f"  duration: 4.04\n  width: 1280\n  height: 720\n  fps: 24\n  codec: h264\n"
                    f"  format: mp4\n"
                )
                files += 1
    return files


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=100)
    parser.add_argument("--shots", type=int, default=100, help="shots per scene")
    parser.add_argument("--takes", type=int, default=2, help="takes per shot")
    parser.add_argument("--pg", help="postgresql:// URL to export to as well")
    parser.add_argument("--keep", type=Path, help="write the film here and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="filmfs-bench-"))
    try:
        run(base, args)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def run(base: Path, args: argparse.Namespace) -> None:
    root = base / "film"
    spent, files = timed(lambda: generate(root, args.scenes, args.shots, args.takes))
    total_shots = args.scenes * args.shots
    print(
        f"film: {total_shots} shots, {total_shots * args.takes} takes, {files} manifests "
        f"written in {spent:.1f}s to {root}"
    )

    paths = sorted(root.rglob("*.yaml"))
    parse, _ = timed(lambda: [yaml.load(p.read_text("utf-8"), Loader=COMPOSER) for p in paths])
    print(f"YAML parse (bare yaml.load, {COMPOSER.__name__}): {parse:.2f}s")

    load_time, project = timed(lambda: load_project(root))
    print(
        f"filmfs load (Project.load + require_valid, as the commands do): {load_time:.2f}s; "
        f"load/parse = {load_time / parse:.2f} (parsing with positions, schema and "
        "cross-file checks of every manifest)"
    )
    build_time, graph = timed(lambda: build_graph(project))
    print(
        f"graph build: {build_time * 1000:.0f} ms ({len(graph.nodes)} nodes, "
        f"{len(graph.edges)} edges); graph/parse = {build_time / parse:.3f} (target <= 0.2)"
    )

    loaded = Loaded(project, graph)
    gc.freeze()  # as filmfs.commands.loaded.load does
    shot = next(iter(project.shots))
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("tree", lambda: render.render_tree(queries.tree(loaded))),
        ("tree --json", lambda: to_json(queries.tree(loaded))),
        (f"show {shot}", lambda: render.render_show(queries.show(loaded, shot))),
        (f"query takes {shot}", lambda: render.render_takes(queries.takes(loaded, shot))),
        (
            f"query selected-video {shot}",
            lambda: render.render_video(queries.selected_video(loaded, shot)),
        ),
        (f"query characters {shot}", lambda: to_json(queries.characters(loaded, shot))),
        ("query shots --json", lambda: to_json(queries.shots(loaded))),
        ("query cost", lambda: to_json(queries.cost(loaded))),
        ("status", lambda: render_status.render(status(loaded))),
        ("status --json", lambda: to_json(status(loaded))),
        ("graph --format mermaid", lambda: diagram.diagram(loaded, fmt="mermaid")),
    ]
    for label, check in checks:
        spent, _ = timed(check)
        verdict = "ok" if spent < 0.1 else "SLOW"
        print(f"  {label:<32} {spent * 1000:7.1f} ms  {verdict}")

    db = base / "film.db"
    spent, result = timed(lambda: export_sql(loaded, url=f"sqlite:///{db}"))
    print(
        f"SQLite export: {spent:.2f}s ({result['assets']} assets, "
        f"{result['relationships']} relationships)"
    )
    spent, _ = timed(lambda: export_sql(loaded, url=f"sqlite:///{db}"))
    print(f"SQLite re-export (no changes): {spent:.2f}s")
    if args.pg:
        spent, _ = timed(lambda: export_sql(loaded, url=args.pg))
        print(f"PostgreSQL export: {spent:.2f}s (target < 30 s)")
        spent, _ = timed(lambda: export_sql(loaded, url=args.pg))
        print(f"PostgreSQL re-export (no changes): {spent:.2f}s")


if __name__ == "__main__":
    main()
