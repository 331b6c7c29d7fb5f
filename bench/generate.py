"""Benchmark of `filmfs generate --jobs 8` against a fake provider with 1.0 s tasks.

    /work/venv/bin/python bench/generate.py [--shots 64 --jobs 8 --latency 1.0]
        [--provider minimax] [--poll-interval S]

A fake MiniMax server (tests/providers/fakes.py, real HTTP on 127.0.0.1) finishes every task
``--latency`` seconds after it is created and serves many at once. A synthetic film of
``--shots`` shots is made with `filmfs init` plus scene and shot manifests; then
`python -m filmfs generate --all --jobs J --provider minimax --no-commit` runs as a real
process. Ideal wall time is ceil(shots / jobs) x latency; the target is a ratio <= 1.3.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bytecode import compile_package  # noqa: E402  (bench/ is the script's folder)

from tests.providers.fakes import FAKES, sample_video  # noqa: E402

KEY_ENV = {"minimax": "MINIMAX_API_KEY", "replicate": "REPLICATE_API_TOKEN", "fal": "FAL_KEY"}


def make_film(root: Path, shots: int, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "filmfs", "init", str(root), "--width", "320", "--height", "180"],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    per_scene = 8
    for index in range(shots):
        scene, letter = divmod(index, per_scene)
        scene += 1
        scene_file = root / "scenes" / f"{scene:02d}.yaml"
        if not scene_file.exists():
            scene_file.write_text(f"scene_number: {scene}\nsetting: bench scene {scene}\n")
        shot_id = f"{scene:02d}{'ABCDEFGH'[letter]}"
        folder = root / "shots" / shot_id
        folder.mkdir(parents=True)
        (folder / "shot.yaml").write_text(
            f"shot_number: {shot_id}\nscene: {scene}\nduration_target: 6\n"
            f"prompt: benchmark shot {shot_id}, a slow pan across a harbour at dawn\n"
        )


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=int, default=64)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per fake task")
    # Replicate polls from 1 s; MiniMax's documented 10 s cadence would dominate 1 s fake tasks.
    parser.add_argument("--provider", choices=sorted(KEY_ENV), default="replicate")
    parser.add_argument("--poll-interval", type=float, help="passed to filmfs generate")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="filmfs-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        video = sample_video(work / "sample.mp4")
        film = work / "film"
        make_film(film, args.shots, env)
        with FAKES[args.provider](video, latency=args.latency) as fake:
            env[f"FILMFS_{args.provider.upper()}_BASE_URL"] = fake.api_base
            env[KEY_ENV[args.provider]] = fake.api_key
            argv = [
                sys.executable, "-m", "filmfs", "generate", "--all", "--jobs", str(args.jobs),
                "--provider", args.provider, "--no-commit", "-C", str(film),
            ]  # fmt: skip
            if args.poll_interval is not None:
                argv += ["--poll-interval", str(args.poll_interval)]
            started = time.perf_counter()
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - started
            polls = len(fake.calls("/v1/query", "GET")) if args.provider == "minimax" else None
        if proc.returncode != 0:
            sys.exit(f"generate failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        takes = len(list(film.glob("shots/*/takes/001.yaml")))
        found = re.search(r"generated in ([0-9.]+) s", proc.stdout)
        inner = float(found.group(1)) if found else float("nan")

    ideal = math.ceil(args.shots / args.jobs) * args.latency
    rows = [
        ("shots / takes written", f"{args.shots} / {takes}"),
        ("jobs, task latency", f"{args.jobs}, {args.latency:g} s"),
        ("ideal (ceil(shots/jobs) x latency)", f"{ideal:.2f} s"),
        ("wall time, whole process", f"{wall:.2f} s"),
        ("  ratio to ideal", f"{wall / ideal:.2f}"),
        ("generation time (as filmfs reports)", f"{inner:.2f} s"),
        ("  ratio to ideal", f"{inner / ideal:.2f}"),
    ]
    if polls is not None:
        rows.append(("status polls sent", f"{polls} ({polls / args.shots:.1f} per task)"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    print("target: ratio <= 1.3 -> " + ("met" if wall / ideal <= 1.3 else "MISSED"))


if __name__ == "__main__":
    main()
