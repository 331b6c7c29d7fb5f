"""The final cut: clips in order, in one target format, with transitions and sound beds.

Cost model: a clip already in the target format is stream-copied (ffmpeg concat demuxer,
``-c copy``); any other clip is re-encoded once and cached in the store (see normalise.py);
clips joined by a transition are rendered as one cached segment (see transition.py); sound
beds re-encode the audio only. The output is written beside its destination and moved into
place with ``os.replace``, so a killed assembly never leaves a half-written cut.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from filmfs.errors import StoreError, ToolError
from filmfs.media.ffmpeg import run_ffmpeg
from filmfs.media.mix import AudioBed, mix_args
from filmfs.media.normalise import Format, cache_key, mismatches, normalise_argv
from filmfs.media.probe import VideoInfo, probe
from filmfs.media.probe_cache import probe_known
from filmfs.media.store import MediaStore
from filmfs.media.transition import Piece, Transition, segment_argv, segment_key


@dataclass(frozen=True)
class Clip:
    """One selected take in cut order; ``audio`` is laid under this clip's span."""

    label: str
    path: Path
    sha256: str
    transition_in: Transition | None = None
    audio: Path | None = None
    audio_volume: float = 1.0


@dataclass(frozen=True)
class Soundtrack:
    path: Path
    volume: float = 1.0


@dataclass
class AssemblyResult:
    output: Path
    duration: float
    reencoded: list[str] = field(default_factory=list)  # labels encoded in this run
    reused: list[str] = field(default_factory=list)  # stream-copied or taken from the cache
    derived: dict[str, str] = field(default_factory=dict)  # normalised sha -> source sha
    mismatched: dict[str, list[str]] = field(default_factory=dict)  # label -> reasons
    argv: list[list[str]] = field(default_factory=list)  # every ffmpeg command run


def assemble(
    clips: Sequence[Clip],
    fmt: Format,
    output: Path,
    *,
    store: MediaStore,
    soundtrack: Soundtrack | None = None,
) -> AssemblyResult:
    """Render ``clips`` to ``output`` (an .mp4 or .mov) in ``fmt``; see the module docstring."""
    if not clips:
        raise StoreError("nothing to assemble: the cut has no clips")
    result = AssemblyResult(output=Path(output), duration=0.0)
    for clip in clips:
        if not clip.path.is_file():
            raise StoreError(
                f"{clip.label}: media {clip.sha256} is missing ({clip.path})",
                hint="run `filmfs pull` to fetch it, or regenerate the take",
            )
    # Opening containers is most of the overhead over a bare ffmpeg concat; PyAV releases
    # the GIL while it reads, so probing in threads cuts a cold 50-clip probe by about 3x.
    with ThreadPoolExecutor(max_workers=8) as pool:
        infos = list(pool.map(lambda c: probe_known(store, c.path, c.sha256), clips))
    pieces = [_prepare(c, i, fmt, store, result) for c, i in zip(clips, infos, strict=True)]
    parts = _join_groups(pieces, fmt, store, result)
    starts = _starts(pieces)
    beds = [
        AudioBed(clip.audio, start=start, span=piece.duration, volume=clip.audio_volume)
        for clip, piece, start in zip(clips, pieces, starts, strict=True)
        if clip.audio is not None
    ]
    if soundtrack is not None:
        beds.insert(0, AudioBed(soundtrack.path, volume=soundtrack.volume))
    for bed in beds:
        if not bed.path.is_file():
            raise StoreError(f"audio {bed.path} is missing", hint="run `filmfs pull`")
    with store.temp_path(".txt") as listing, _atomic_output(result.output) as tmp_out:
        listing.write_text("".join(f"file {_quote(p)}\n" for p in parts))
        args = ["-f", "concat", "-safe", "0", "-i", str(listing)]
        if beds:
            extra, graph = mix_args(beds, first_input=1)
            args += [*extra, "-filter_complex", graph, "-map", "0:v", "-map", "[mix]"]
            args += ["-c:v", "copy", "-c:a", "aac", "-b:a", "192k"]
        else:
            args += ["-map", "0:v", "-map", "0:a", "-c", "copy"]
        _run(result, [*args, str(tmp_out)], what="assembling the cut")
    result.duration = probe(result.output).duration
    return result


def _prepare(
    clip: Clip, info: VideoInfo, fmt: Format, store: MediaStore, result: AssemblyResult
) -> Piece:
    """The clip as a file in the target format: itself, a cached or a fresh normalisation."""
    reasons = mismatches(info, fmt)
    if not reasons:
        result.reused.append(clip.label)
        return Piece(clip.label, clip.path, clip.sha256, info.duration, clip.transition_in)
    result.mismatched[clip.label] = reasons
    key = cache_key(clip.sha256, fmt)
    sha = store.index_get("normalised", key)
    if sha is None:
        with store.temp_path(".mp4") as tmp:
            _run(
                result, normalise_argv(clip.path, info, fmt, tmp), what=f"normalising {clip.label}"
            )
            sha = store.put_file(tmp, move=True).sha256
        store.index_set("normalised", key, sha)
        result.reencoded.append(clip.label)
    else:
        result.reused.append(clip.label)
    result.derived[sha] = clip.sha256
    path = store.path_of(sha)
    return Piece(clip.label, path, sha, probe_known(store, path, sha).duration, clip.transition_in)


def _join_groups(
    pieces: list[Piece], fmt: Format, store: MediaStore, result: AssemblyResult
) -> list[Path]:
    """Files to concatenate: runs of pieces joined by transitions become one segment."""
    groups: list[list[Piece]] = []
    for i, piece in enumerate(pieces):
        if i > 0 and piece.transition_in is not None:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    parts = []
    for group in groups:
        if len(group) == 1 and group[0].transition_in is None:
            parts.append(group[0].path)
            continue
        key = segment_key(group, fmt)
        sha = store.index_get("transitions", key)
        labels = [p.label for p in group]
        if sha is None:
            with store.temp_path(".mp4") as tmp:
                _run(result, segment_argv(group, fmt, tmp), what=f"transitions {labels}")
                sha = store.put_file(tmp, move=True).sha256
            store.index_set("transitions", key, sha)
            for label in labels:
                # Their cut now comes from a fresh encode, whatever _prepare found.
                if label in result.reused:
                    result.reused.remove(label)
                if label not in result.reencoded:
                    result.reencoded.append(label)
        parts.append(store.path_of(sha))
    return parts


def _starts(pieces: list[Piece]) -> list[float]:
    """Start of each clip on the cut's timeline; a transition overlaps it with the previous."""
    starts: list[float] = []
    t = 0.0
    for piece in pieces:
        if starts and piece.transition_in is not None:
            t -= piece.transition_in.duration
        starts.append(max(t, 0.0))
        t += piece.duration
    return starts


def _run(result: AssemblyResult, args: list[str], *, what: str) -> None:
    try:
        result.argv.append(run_ffmpeg(args, what=what))
    except ToolError as exc:
        result.argv.append(exc.argv)
        raise


def _quote(path: Path) -> str:
    # concat demuxer syntax: single-quoted, a quote written as '\''
    return "'" + str(Path(path).resolve()).replace("'", "'\\''") + "'"


@contextlib.contextmanager
def _atomic_output(dest: Path) -> Iterator[Path]:
    """A temp file beside ``dest`` (same filesystem), moved over it only on success."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=dest.suffix, dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
