"""The final cut: clips in order, in one target format, with transitions and sound beds.

Cost model: a clip already in the target format is stream-copied (ffmpeg concat demuxer,
``-c copy``); any other clip is re-encoded once and cached in the store (see conform.py);
a transition re-encodes only the picture between the keyframes around its cut, cached as a
"join" (see transition.py, splice.py); transitions and sound beds re-encode the audio only.
The output is written beside its destination and moved into place with ``os.replace``, so a
killed assembly never leaves a half-written cut.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from filmfs.errors import StoreError, ToolError
from filmfs.film.model import Format, Transition
from filmfs.manifests.writer import make_folder, write_error
from filmfs.media.conform import cache_key, conform_argv, conform_reasons, frame_count
from filmfs.media.ffmpeg import builder, command, run_ffmpeg, sources
from filmfs.media.mix import AudioBed, mix
from filmfs.media.probe import ProbeError, VideoInfo, probe
from filmfs.media.probe_cache import probe_known
from filmfs.media.splice import CutPoints, copy_video, cut_points
from filmfs.media.transition import Copy, Piece, film_audio, join_argv, plan, rendered
from filmfs.media.verify import check_encoded
from filmfs.store.objects import MediaStore

# What an ffmpeg older than 5.0 says of the concat script's per-file options.
_UNKNOWN_OPTION = "unknown keyword 'option'"


@dataclass(frozen=True)
class Clip:
    """One selected take in cut order; ``audio`` is laid under this clip's span."""

    label: str
    path: Path
    sha256: str
    transition_in: Transition | None = None
    audio: Path | None = None
    audio_volume: float = 1.0
    start: float = 0.0  # seconds into the take (its `in`)
    end: float | None = None  # seconds into the take (its `out`); None: to its end
    crop: bool = False  # another ratio is cropped to the film's frame (else padded)

    @property
    def trimmed(self) -> bool:
        return self.start > 0 or self.end is not None


@dataclass(frozen=True)
class Soundtrack:
    path: Path
    volume: float = 1.0


@dataclass
class AssemblyResult:
    output: Path
    duration: float
    encoded: list[str] = field(default_factory=list)  # labels encoded in this run
    reused: list[str] = field(default_factory=list)  # stream-copied or taken from the cache
    conformed: dict[str, str] = field(default_factory=dict)  # conformed sha -> source sha
    conform_reasons: dict[str, list[str]] = field(default_factory=dict)  # label -> why
    argv: list[list[str]] = field(default_factory=list)  # every ffmpeg command run
    encoded_seconds: float = 0.0  # source seconds of picture encoded for transitions


def assemble(
    clips: Sequence[Clip],
    fmt: Format,
    output: Path,
    *,
    store: MediaStore,
    soundtrack: Soundtrack | None = None,
    before_encoding: Callable[[], None] = lambda: None,
) -> AssemblyResult:
    """Render ``clips`` to ``output`` (an .mp4 or .mov) in ``fmt``; see the module docstring.

    ``before_encoding`` runs before any clip is encoded into the store's caches (a conformed
    copy, a join): the caller's chance to finish checking the inputs' bytes first. A stream
    copy alone does not call it; its caller checks the inputs before keeping the output.
    """
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
        infos = list(pool.map(lambda c: _probe_clip(store, c), clips))
    pieces = [
        _prepare(c, i, fmt, store, result, before_encoding)
        for c, i in zip(clips, infos, strict=True)
    ]
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
    with contextlib.ExitStack() as stack:
        transitions = any(p.transition_in for p in pieces)
        if transitions:
            before_encoding()
        files = _video_parts(pieces, fmt, store, result, stack) if transitions else None
        listing = stack.enter_context(store.temp_path(".txt"))
        parts = files or [p.path for p in pieces]
        listing.write_text(_listing(parts, per_file_options=True))
        # copyts: the concat demuxer already lays the files end to end from 0; without it
        # the cut is shifted by the first file's AAC priming (video starting 21 ms late).
        ff = builder()
        demuxer: dict[str, object] = {"f": "concat", "safe": 0, "copyts": None}
        if not transitions and _one_configuration(store, pieces, clips, infos):
            demuxer["auto_convert"] = 0
        joined = ff.input(str(listing), **demuxer)
        sound, options = joined.audio, {"c": "copy"}
        # Audio is rebuilt from whole clips when transitions cut the picture (transition.py).
        clip_sounds = [p.path for p in pieces] if transitions else []
        streams = sources([*clip_sounds, *(bed.path for bed in beds)], "audio")
        if transitions:
            sound = film_audio(pieces, streams[: len(pieces)])
        if beds:
            sound = mix(sound, beds, streams[len(clip_sounds) :])
        if transitions or beds:
            options = {"c:v": "copy", "c:a": "aac", "b:a": "192k"}
        tmp_out = stack.enter_context(_atomic_output(result.output))
        output = ff.output(joined.video, sound, str(tmp_out), **options)
        try:
            _run(result, command(output), what="assembling the cut")
        except ToolError as exc:
            if _UNKNOWN_OPTION not in exc.stderr:
                raise
            # An ffmpeg before 5.0 refuses the script's per-file options before it writes
            # anything: the same cut without them.
            listing.write_text(_listing(parts, per_file_options=False))
            _run(result, command(output), what="assembling the cut")
    result.duration = probe(result.output).duration
    return result


def _prepare(
    clip: Clip,
    info: VideoInfo,
    fmt: Format,
    store: MediaStore,
    result: AssemblyResult,
    before_encoding: Callable[[], None],
) -> Piece:
    """The clip as a file in the target format: itself, a cached or a fresh conformed copy."""
    reasons = conform_reasons(info, fmt)
    if not reasons and not clip.trimmed:
        result.reused.append(clip.label)
        return Piece(
            clip.label, clip.path, clip.sha256, info.duration, rendered(clip.transition_in)
        )
    # A trimmed clip is re-encoded alone (cached like a conformed take): its in/out points
    # rarely fall on keyframes, and only that clip pays for it.
    result.conform_reasons[clip.label] = reasons or [f"trimmed to {clip.start:g}-{clip.end} s"]
    key = cache_key(clip.sha256, fmt, start=clip.start, end=clip.end, crop=clip.crop)
    sha = store.index_get("conformed", key)
    if sha is None:
        before_encoding()
        with store.temp_path(".mp4") as tmp:
            argv = conform_argv(
                clip.path, info, fmt, tmp, start=clip.start, end=clip.end, crop=clip.crop
            )
            _run(result, argv, what=f"conforming {clip.label}")
            check_encoded(tmp, what=f"conforming {clip.label}", frames=frame_count(argv))
            sha = store.put_file(tmp, move=True).sha256
        store.index_set("conformed", key, sha)
        result.encoded.append(clip.label)
    else:
        result.reused.append(clip.label)
    result.conformed[sha] = clip.sha256
    path = store.path_of(sha)
    return Piece(
        clip.label, path, sha, probe_known(store, path, sha).duration, rendered(clip.transition_in)
    )


def _video_parts(
    pieces: list[Piece],
    fmt: Format,
    store: MediaStore,
    result: AssemblyResult,
    stack: contextlib.ExitStack[bool | None],
) -> list[Path]:
    """Files whose concatenation is the cut's picture: copied parts and cached joins."""
    # Only clips next to a transition are cut; the others are copied whole, unscanned.
    near = [
        bool(p.transition_in or (i + 1 < len(pieces) and pieces[i + 1].transition_in))
        for i, p in enumerate(pieces)
    ]
    points = [
        cut_points(p.path) if n else CutPoints([], []) for p, n in zip(pieces, near, strict=True)
    ]
    files = []
    for part in plan(pieces, points, fmt):
        if isinstance(part, Copy):
            tmp = stack.enter_context(store.temp_path(".mp4"))
            copy_video(part.piece.path, part.piece.start, part.piece.end, tmp)
            files.append(tmp)
            continue
        key = part.key(fmt)
        sha = store.index_get("joins", key)
        if sha is None:
            labels = [p.label for p in part.pieces]
            with store.temp_path(".mp4") as tmp:
                _run(result, join_argv(part.pieces, fmt, tmp), what=f"transitions {labels}")
                check_encoded(tmp, what=f"the transitions of {labels}")
                sha = store.put_file(tmp, move=True).sha256
            store.index_set("joins", key, sha)
            for piece in part.pieces:
                result.encoded_seconds += piece.length
                # Part of this clip now comes from a fresh encode, whatever _prepare found.
                if piece.label in result.reused:
                    result.reused.remove(piece.label)
                if piece.label not in result.encoded:
                    result.encoded.append(piece.label)
        files.append(store.path_of(sha))
    return files


def _probe_clip(store: MediaStore, clip: Clip) -> VideoInfo:
    try:
        return probe_known(store, clip.path, clip.sha256)
    except ProbeError as exc:
        # Name the take, not only the object: the path alone does not say which shot is bad.
        raise StoreError(
            f"shot {clip.label}: its video {clip.sha256[:12]} is not readable: {exc.message}",
            hint="`filmfs media fsck` quarantines corrupt objects; then `filmfs pull` "
            "or generate the take again",
        ) from exc


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


def _listing(paths: Sequence[Path], *, per_file_options: bool) -> str:
    """The concat demuxer's script for ``paths``.

    The demuxer opens each file when it reaches it and probes its streams, which for H.264
    means decoding a frame: most of its CPU time over a plain copy of one file. The first
    file alone sets the output's streams; for a stream copy the others give only packets.
    So each later file is opened with a 32-byte probe (a per-file option, which FFmpeg reads
    since 5.0): its header is still read whole, and the output is byte-identical.
    """
    lines = []
    for i, path in enumerate(paths):
        lines.append(f"file {_quote(path)}\n")
        if i and per_file_options:
            lines.append("option probesize 32\n")
    return "".join(lines)


def _one_configuration(
    store: MediaStore, pieces: Sequence[Piece], clips: Sequence[Clip], infos: Sequence[VideoInfo]
) -> bool:
    """Every piece's video has the same decoder configuration (H.264: the same SPS and PPS).

    Then the concat demuxer may pass the packets on as they are (``-auto_convert 0``), as for
    one file. Otherwise, or when a piece's is unknown, it keeps FFmpeg's default: H.264 is
    rewritten to carry each file's SPS and PPS in-band (about 0.2 s of CPU per 400 MB, both
    ways), which joins files encoded with different parameters correctly.
    """
    known = {clip.sha256: info for clip, info in zip(clips, infos, strict=True)}
    configs = {
        (known.get(p.sha256) or probe_known(store, p.path, p.sha256)).video_config for p in pieces
    }
    return len(configs) == 1 and "" not in configs


def _quote(path: Path) -> str:
    # concat demuxer syntax: single-quoted, a quote written as '\''
    return "'" + str(Path(path).resolve()).replace("'", "'\\''") + "'"


@contextlib.contextmanager
def _atomic_output(dest: Path) -> Iterator[Path]:
    """A temp file beside ``dest`` (same filesystem), moved over it only on success."""
    make_folder(dest.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=dest.suffix, dir=dest.parent)
    except OSError as exc:
        raise write_error(dest, exc) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
