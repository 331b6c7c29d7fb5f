"""Benchmark: `filmfs add-take` of one ~3 MB clip against its floor, start-up plus copy-and-hash.

    python bench/add_take.py [--repeat 9] [--seconds 5]

The floor of one run is measured in the same loop: a process `python -c "import yaml, click"`
(what any click CLI pays to start), plus copying the clip into a folder and hashing it with
sha256 (what storing it content-addressed must do). Each ``add-take --no-commit`` adds a
distinct copy of the clip (a metadata tag changes its bytes), so the store never already has
it. ``filmfs validate`` of the film, run after each add-take, is filmfs's own start-up with the
film loaded and checked, which add-take also needs before it writes; a second ratio puts
add-take against that plus copy-and-hash. Medians of ``--repeat`` runs, interleaved. Target:
add-take within start-up plus copy-and-hash, so the ratio near 1; it also lists add-take's
slowest imports (``python -X importtime``). ``--seconds 120`` makes the clip that long (the
5 s clip looped, ~70 MB), where copying and hashing outweigh start-up. On a machine shared
with other work, the CPU time (user + sys) of the same runs is printed beside the wall time:
it moves less with the load. add-take's CPU time includes its probe's child process, which
runs beside it on another core.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bytecode import compile_package
from startup import imports, slowest

from filmfs import layout
from filmfs.commands.init import init
from filmfs.manifests.writer import write_new
from filmfs.media.ffmpeg import run_ffmpeg


def render(out: Path) -> None:
    """Five seconds of 1080p24 with sound, about 3 MB."""
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=24:duration=5",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=5",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "4500k", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-ar", "48000", "-ac", "2", str(out),
        ],
        what="bench render",
    )  # fmt: skip


def tagged(base: Path, dest: Path, tag: str, loops: int) -> Path:
    """``base`` played ``loops`` times, stream-copied, with a tag that makes its bytes new."""
    run_ffmpeg(
        ["-stream_loop", str(loops - 1), "-i", str(base), "-map", "0", "-c", "copy",
         "-metadata", f"comment={tag}", str(dest)],
        what="bench copy",
    )  # fmt: skip
    return dest


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)  # reaped here, with its resource usage
    spent = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{out.decode(errors='replace')}")
    return spent, usage.ru_utime + usage.ru_stime


def copy_and_hash(clip: Path, folder: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """(wall, CPU) of copying and hashing ``clip``, then of syncing the copy to disk (which
    the store does before a take may name the object)."""
    start, cpu = time.perf_counter(), time.process_time()
    dest = folder / clip.name
    shutil.copyfile(clip, dest)
    digest = hashlib.sha256()
    with clip.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    copied = (time.perf_counter() - start, time.process_time() - cpu)
    start, cpu = time.perf_counter(), time.process_time()
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    synced = (time.perf_counter() - start, time.process_time() - cpu)
    dest.unlink()
    return copied, synced


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall and the median CPU time of ``runs``."""
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seconds", type=int, default=5, help="clip length, a multiple of 5")
    args = parser.parse_args()
    py = sys.executable
    compile_package()
    work = Path(tempfile.mkdtemp(prefix="filmfs-add-take-"))
    try:
        film = work / "film"
        init(film, title="Bench", width=1920, height=1080, fps=24)
        write_new(
            layout.shot_file(film, "01A"),
            {"shot_number": "01A", "prompt": "bench", "duration_target": 5},
            root=film,
            kind="shot",
        )
        base = work / "base.mp4"
        render(base)
        loops = max(1, args.seconds // 5)
        clips = [
            tagged(base, work / f"clip{i:03d}.mp4", f"c{i}", loops) for i in range(args.repeat + 1)
        ]
        scratch = work / "scratch"
        scratch.mkdir()
        size = clips[0].stat().st_size
        # A first run warms the page cache and writes the manifest cache, as in daily use.
        timed([py, "-m", "filmfs", "add-take", "01A", str(clips[0]), "--no-commit"], film)
        starts, copies, syncs, adds, validates = [], [], [], [], []
        for clip in clips[1:]:
            starts.append(timed([py, "-c", "import yaml, click"], film))
            copied, synced = copy_and_hash(clip, scratch)
            copies.append(copied)
            syncs.append(synced)
            adds.append(
                timed([py, "-m", "filmfs", "add-take", "01A", str(clip), "--no-commit"], film)
            )
            # filmfs's own start-up on this film, which the take just added has changed: the
            # CLI, the film loaded and checked, as before any command's work.
            validates.append(timed([py, "-m", "filmfs", "validate"], film))
        start, copy, add = medians(starts), medians(copies), medians(adds)
        validate, sync = medians(validates), medians(syncs)
        floor = (start[0] + copy[0], start[1] + copy[1])
        own = (validate[0] + copy[0], validate[1] + copy[1])
        print(f"one clip of {size / 1e6:.1f} MB, median of {args.repeat} runs each (wall, CPU)")
        rows = [
            ('python -c "import yaml, click"', start),
            ("copy + sha256 of the clip", copy),
            ("  then fsync of that copy", sync),
            ("floor (start-up + copy-and-hash)", floor),
            ("filmfs validate (filmfs's start-up)", validate),
            ("filmfs validate + copy-and-hash", own),
            ("filmfs add-take --no-commit", add),
        ]
        for label, (wall, cpu) in rows:
            print(f"  {label:<38} {wall * 1000:6.0f} ms  {cpu * 1000:6.0f} ms CPU")
        print(f"  add-take / floor: {add[0] / floor[0]:.2f}x wall, {add[1] / floor[1]:.2f}x CPU")
        print(
            f"  add-take / (filmfs validate + copy-and-hash): {add[0] / own[0]:.2f}x wall, "
            f"{add[1] / own[1]:.2f}x CPU"
        )
        argv = [py, "-m", "filmfs", "add-take", "01A", str(clips[0]), "--no-commit"]
        # PyAV is imported by the probe's child process (filmfs.media.probe.probe_ahead), whose
        # -X importtime lines come on the same stderr.
        found = imports(argv, film)
        print(f"  add-take's slowest imports, both processes: {slowest(found, 5)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
