from __future__ import annotations

import array
import hashlib
from pathlib import Path

import av
import pytest

from filmfs.errors import FilmfsError, StoreError, ToolError
from filmfs.film.model import Format, Transition
from filmfs.media.assembly import AssemblyResult, Clip, Soundtrack, assemble
from filmfs.media.conform import conform_reasons
from filmfs.media.ffmpeg import ffmpeg_exe, find_ffmpeg, run_ffmpeg
from filmfs.media.probe import probe
from filmfs.store.objects import MediaStore
from tests.media.conftest import MakeVideo

FMT = Format(320, 180, 24)


def clip(label: str, path: Path, **kwargs: object) -> Clip:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return Clip(label, path, sha, **kwargs)  # type: ignore[arg-type]


def decode_all(path: Path) -> tuple[int, float]:
    """Decode every frame (raises on a broken stream); returns (video frames, audio seconds)."""
    frames, audio = 0, 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            assert (frame.width, frame.height) == (FMT.width, FMT.height)
            frames += 1
    with av.open(str(path)) as container:
        for aframe in container.decode(audio=0):
            audio += aframe.samples / aframe.sample_rate
    return frames, audio


def rms(path: Path) -> float:
    total, count = 0.0, 0
    with av.open(str(path)) as container:
        for aframe in container.decode(audio=0):
            assert aframe.format.name == "fltp"  # AAC decodes to planar float32
            for plane in aframe.planes:
                samples = array.array("f", bytes(plane)[: aframe.samples * 4])
                total += sum(x * x for x in samples)
                count += len(samples)
    return (total / count) ** 0.5


def run(tmp_path: Path, clips: list[Clip], **kwargs: object) -> AssemblyResult:
    store = MediaStore(tmp_path / ".filmfs")
    return assemble(clips, FMT, tmp_path / "out" / "cut.mp4", store=store, **kwargs)  # type: ignore[arg-type]


def test_matching_clips_are_stream_copied(tmp_path: Path, make_video: MakeVideo) -> None:
    clips = [clip(f"s{i}", make_video(f"{i}.mp4", seconds=1, freq=300 + i)) for i in range(3)]
    result = run(tmp_path, clips)
    assert result.encoded == [] and result.reused == ["s0", "s1", "s2"]
    assert len(result.argv) == 1 and "copy" in result.argv[0]
    assert result.duration == pytest.approx(3.0, abs=0.05)
    frames, audio = decode_all(result.output)
    assert frames == 72
    assert audio == pytest.approx(3.0, abs=0.1)
    assert [p.name for p in result.output.parent.iterdir()] == ["cut.mp4"]  # no temp left


def test_off_format_clips_are_conformed_once(tmp_path: Path, make_video: MakeVideo) -> None:
    ok = clip("ok", make_video("ok.mp4"))
    rate = clip("rate", make_video("r.mp4", fps=25))
    size = clip("size", make_video("s.mp4", size="640x480"))
    mute = clip("mute", make_video("m.mp4", audio=False))
    vp8 = clip("vp8", make_video("v.webm", codec="libvpx", audio=False))
    clips = [ok, rate, size, mute, vp8]

    first = run(tmp_path, clips)
    assert first.encoded == ["rate", "size", "mute", "vp8"] and first.reused == ["ok"]
    assert "no audio" in first.conform_reasons["mute"]
    assert sorted(first.conformed.values()) == sorted(c.sha256 for c in clips[1:])
    store = MediaStore(tmp_path / ".filmfs")
    for sha in first.conformed:
        info = probe(store.require(sha))
        assert (info.width, info.height, info.fps, info.codec) == (320, 180, 24.0, "h264")
        assert info.audio_codec == "aac" and info.audio_rate == 48000
    assert first.duration == pytest.approx(5.0, abs=0.1)
    frames, audio = decode_all(first.output)
    assert frames == pytest.approx(120, abs=2)
    assert audio == pytest.approx(5.0, abs=0.15)  # silence was added for the mute takes
    assert conform_reasons(probe(first.output), FMT) == []  # a cut is itself in the format

    second = run(tmp_path, clips)
    assert second.encoded == [] and len(second.argv) == 1
    assert second.conformed == first.conformed

    changed = clip("rate", make_video("r2.mp4", fps=30))
    third = run(tmp_path, [ok, changed, size, mute, vp8])
    assert third.encoded == ["rate"]


def frame_hashes(path: Path) -> list[str]:
    with av.open(str(path)) as container:
        return [hashlib.md5(bytes(f.planes[0])).hexdigest() for f in container.decode(video=0)]


def test_crossfade_reencodes_only_around_the_cut(tmp_path: Path, make_video: MakeVideo) -> None:
    a, b, c = (clip(n, make_video(f"{n}.mp4", seconds=2, freq=f)) for n, f in
               [("a", 300), ("b", 400), ("c", 500)])  # fmt: skip
    b = Clip(b.label, b.path, b.sha256, transition_in=Transition("crossfade", 0.5))
    result = run(tmp_path, [a, b, c])
    assert result.encoded == ["a", "b"] and result.reused == ["c"]
    # Keyframes every second: a is copied up to 1 s, b from 1 s; 2 of 4 s are encoded.
    assert result.encoded_seconds == pytest.approx(2.0, abs=0.01)
    assert result.duration == pytest.approx(5.5, abs=0.05)
    frames, audio = decode_all(result.output)
    assert frames == 132
    assert audio == pytest.approx(5.5, abs=0.1)
    out, src_a, src_b = (frame_hashes(p) for p in (result.output, a.path, b.path))
    assert out[:24] == src_a[:24]  # copied, bit for bit
    assert out[60:84] == src_b[24:48]  # b starts at 1.5 s; its copy from its 1 s keyframe
    assert out[40] not in (src_a[40], src_b[4])  # inside the crossfade: a mix of both
    again = run(tmp_path, [a, b, c])
    assert again.encoded == [] and again.encoded_seconds == 0


def test_short_clip_between_two_transitions_joins_whole(
    tmp_path: Path, make_video: MakeVideo
) -> None:
    a = clip("a", make_video("a.mp4", seconds=2))
    b = clip(
        "b", make_video("b.mp4", seconds=1, freq=500), transition_in=Transition("crossfade", 0.5)
    )
    c = clip("c", make_video("c.mp4", seconds=2, freq=700), transition_in=Transition("fade", 0.4))
    result = run(tmp_path, [a, b, c])
    assert result.encoded == ["a", "b", "c"]
    assert len([argv for argv in result.argv if "-filter_complex" in argv]) == 2  # 1 join + mux
    assert result.encoded_seconds == pytest.approx(1.0 + 1.0 + 1.0, abs=0.01)
    assert result.duration == pytest.approx(4.1, abs=0.05)
    frames, audio = decode_all(result.output)
    assert frames == pytest.approx(98, abs=1)
    assert audio == pytest.approx(4.1, abs=0.1)


def test_soundtrack_and_overlay_mixed_video_copied(tmp_path: Path, make_video: MakeVideo) -> None:
    music = tmp_path / "music.m4a"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=880:duration=10", str(music)], what="t")
    a = clip("a", make_video("a.mp4", seconds=1))
    b = clip("b", make_video("b.mp4", seconds=1), audio=music, audio_volume=0.5)
    plain_rms = rms(run(tmp_path, [a, b]).output)
    result = run(tmp_path, [a, b], soundtrack=Soundtrack(music, volume=0.3))
    argv = result.argv[-1]
    assert argv[argv.index("-c:v") + 1] == "copy" and "amix" in " ".join(argv)
    assert "adelay=1000" in " ".join(argv)  # the overlay starts under clip b
    assert result.duration == pytest.approx(2.0, abs=0.05)
    _, audio = decode_all(result.output)
    assert audio == pytest.approx(2.0, abs=0.1)  # the 10 s soundtrack is cut to the picture
    assert rms(result.output) > plain_rms * 1.1  # the beds are audible on top


def test_missing_clip_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="filmfs pull"):
        run(tmp_path, [Clip("gone", tmp_path / "gone.mp4", "ab" * 32)])


def test_ffmpeg_failure_is_a_tool_error(tmp_path: Path, make_video: MakeVideo) -> None:
    a = clip("a", make_video("a.mp4"))
    with pytest.raises(ToolError) as info:
        assemble([a], FMT, tmp_path / "cut.nosuchformat", store=MediaStore(tmp_path / ".s"))
    assert info.value.argv and info.value.returncode not in (None, 0)
    assert "ffmpeg failed" in str(info.value)
    assert not (tmp_path / "cut.nosuchformat").exists()


def test_fade_in_on_the_first_clip_keeps_the_length(tmp_path: Path, make_video: MakeVideo) -> None:
    a = clip("a", make_video("a.mp4", seconds=1), transition_in=Transition("fade", 0.5))
    b = clip("b", make_video("b.mp4", seconds=1, freq=600))
    result = run(tmp_path, [a, b])
    assert result.encoded == ["a"] and result.reused == ["b"]
    assert result.duration == pytest.approx(2.0, abs=0.05)
    with av.open(str(result.output)) as container:
        first = next(container.decode(video=0))
        assert max(bytes(first.planes[0])) < 40  # starts from black


def test_transition_longer_than_a_clip_is_refused(tmp_path: Path, make_video: MakeVideo) -> None:
    a = clip("a", make_video("a.mp4", seconds=1))
    b = clip("b", make_video("b.mp4", seconds=1), transition_in=Transition("crossfade", 1.5))
    with pytest.raises(FilmfsError, match="shorten the transition"):
        run(tmp_path, [a, b])
    with pytest.raises(FilmfsError, match="unknown transition"):
        Transition("wipe", 1.0)  # type: ignore[arg-type]


def test_transition_with_soundtrack(tmp_path: Path, make_video: MakeVideo) -> None:
    music = tmp_path / "music.m4a"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=880:duration=10", str(music)], what="t")
    a = clip("a", make_video("a.mp4", seconds=2))
    b = clip("b", make_video("b.mp4", seconds=2), transition_in=Transition("crossfade", 1.0))
    result = run(tmp_path, [a, b], soundtrack=Soundtrack(music, volume=0.3))
    graph = " ".join(result.argv[-1])
    assert "acrossfade=d=1.0" in graph and "amix" in graph
    assert result.duration == pytest.approx(3.0, abs=0.05)
    _, audio = decode_all(result.output)
    assert audio == pytest.approx(3.0, abs=0.1)


def test_audio_first_file_is_rewritten(tmp_path: Path, make_video: MakeVideo) -> None:
    src = make_video("a.mp4")
    swapped = tmp_path / "swapped.mp4"
    run_ffmpeg(["-i", str(src), "-map", "0:a", "-map", "0:v", "-c", "copy", str(swapped)], what="t")
    assert probe(swapped).streams == ("audio", "video")
    b = clip("b", make_video("b.mp4"))
    result = run(tmp_path, [b, clip("swapped", swapped)])
    assert result.encoded == ["swapped"]
    assert "streams audio+video != video+audio" in result.conform_reasons["swapped"]
    frames, audio = decode_all(result.output)
    assert frames == 48 and audio == pytest.approx(2.0, abs=0.1)


def luma(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(f.planes[0]) for f in container.decode(video=0)]


def mad(x: bytes, y: bytes) -> float:
    return sum(abs(p - q) for p, q in zip(x, y, strict=True)) / len(x)


def test_join_lines_up_with_the_copy_on_a_shifted_input(
    tmp_path: Path, make_video: MakeVideo
) -> None:
    # A cut made by filmfs starts its picture ~21 ms in (AAC priming edit list); using it as
    # a clip, the re-encoded join must continue exactly where the copied part stops.
    inner = run(tmp_path / "inner", [clip(n, make_video(f"{n}.mp4", seconds=2)) for n in "ab"])
    previous = clip("previous", inner.output)
    c = clip("c", make_video("c.mp4", seconds=2, freq=900), transition_in=Transition("fade", 0.5))
    result = run(tmp_path, [previous, c])
    out, src = luma(result.output), luma(previous.path)
    assert out[:72] == src[:72]  # copied up to the keyframe at 3 s
    # Frames 72.. are encoded (lossy): each must be closest to its own source frame.
    for n in (72, 75, 80):
        here = mad(out[n], src[n])
        assert here < mad(out[n], src[n - 1]) and here < mad(out[n], src[n + 1])


def test_a_take_used_twice_is_read_once_and_split(tmp_path: Path, make_video: MakeVideo) -> None:
    # ffmpeg-python merges equal inputs into one node; a stream feeds one filter only, so
    # the same file under two shots (and the same music as soundtrack and overlay) is split.
    music = tmp_path / "music.m4a"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=880:duration=10", str(music)], what="t")
    a = clip("a", make_video("a.mp4", seconds=2))
    again = Clip("a2", a.path, a.sha256, transition_in=Transition("crossfade", 0.5), audio=music)
    result = run(tmp_path, [a, again], soundtrack=Soundtrack(music, volume=0.3))
    final = result.argv[-1]
    assert final.count(str(a.path)) == 1 and final.count(str(music)) == 1
    graph = final[final.index("-filter_complex") + 1]
    assert "asplit=2" in graph and "acrossfade=d=0.5" in graph
    join = next(argv for argv in result.argv if "xfade" in " ".join(argv))
    assert "split=2" in join[join.index("-filter_complex") + 1]
    assert result.duration == pytest.approx(3.5, abs=0.05)
    frames, audio = decode_all(result.output)
    assert frames == 84
    assert audio == pytest.approx(3.5, abs=0.1)


def _left_column_luma(path: Path) -> int:
    """Brightest luma in the first frame's leftmost 4 columns (a black bar is 16 throughout)."""
    with av.open(str(path)) as container:
        frame = next(iter(container.decode(video=0)))
        luma = frame.planes[0]  # yuv420p: the Y plane, rows line_size bytes apart
        data = bytes(luma)
        rows = [data[y * luma.line_size : y * luma.line_size + 4] for y in range(frame.height)]
    return max(max(row) for row in rows)


def test_a_take_made_to_be_cropped_is_cropped_not_padded(
    tmp_path: Path, make_video: MakeVideo
) -> None:
    # A 4:3 take in a 16:9 film: padded, it gets black bars left and right; a take whose
    # record says the film wanted it cropped fills the frame (its top and bottom cut off).
    square = make_video("square.mp4", size="320x240")
    padded = run(tmp_path / "pad", [clip("a", square)])
    cropped = run(tmp_path / "crop", [clip("a", square, crop=True)])
    assert _left_column_luma(padded.output) < 24
    assert _left_column_luma(cropped.output) > 60  # the picture reaches the edge
    for result in (padded, cropped):
        frames, _ = decode_all(result.output)
        assert frames == 24
    # Cached apart: the same source conformed both ways is two objects.
    assert set(padded.conformed) != set(cropped.conformed)


def test_the_crop_note_preflight_writes_is_read_back() -> None:
    from filmfs.film.model import GenerationParams
    from filmfs.providers.capabilities import for_provider
    from filmfs.providers.preflight import Fit, plan

    caps = next(
        m
        for name in ("runway", "luma", "minimax", "fal", "replicate")
        for m in for_provider(name).models.values()
        if m.ratios and "21:9" not in m.ratios
    )
    notes = {}
    for how in ("crop", "pad"):
        fitted = plan(
            caps, prompt="x", negative_prompt=None, seed=None, seed_chosen=False,
            duration=5, width=2100, height=900, fit=Fit(ratio=how, duration="nearest"),
            first_frame=False, last_frame=False, reference_images=0, audio=None,
        )  # fmt: skip
        notes[how] = fitted.adjustments
    assert GenerationParams("runway", fit=notes["crop"]).crops
    assert not GenerationParams("runway", fit=notes["pad"]).crops


def test_takes_with_one_h264_configuration_are_joined_packet_for_packet(
    tmp_path: Path, make_video: MakeVideo
) -> None:
    clips = [clip(f"s{i}", make_video(f"{i}.mp4", freq=300 + i)) for i in range(3)]
    assert len({probe(c.path).video_config for c in clips}) == 1
    result = run(tmp_path, clips)
    (argv,) = result.argv
    assert argv[argv.index("-auto_convert") + 1] == "0"
    assert frame_hashes(result.output) == [h for c in clips for h in frame_hashes(c.path)]


def test_takes_with_other_h264_configurations_keep_their_own(
    tmp_path: Path, make_video: MakeVideo
) -> None:
    # x264's ultrafast preset codes with CAVLC, its medium one with CABAC: other PPS.
    clips = [
        clip("fast", make_video("fast.mp4")),
        clip("slow", make_video("s.mp4", preset="medium")),
    ]
    assert probe(clips[0].path).video_config != probe(clips[1].path).video_config
    assert conform_reasons(probe(clips[1].path), FMT) == []  # still copied, not re-encoded
    result = run(tmp_path, clips)
    assert result.reused == ["fast", "slow"] and "-auto_convert" not in result.argv[0]
    # Every frame decodes to the take's own picture: the second take's PPS travels with it.
    assert frame_hashes(result.output) == [h for c in clips for h in frame_hashes(c.path)]


def test_an_ffmpeg_without_per_file_options_gets_the_same_cut(
    tmp_path: Path, make_video: MakeVideo, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = [clip(f"s{i}", make_video(f"{i}.mp4", freq=300 + i)) for i in range(3)]
    new = run(tmp_path / "new", clips)
    # FFmpeg 4.x, in front of the real binary: it refuses a concat script's "option" lines
    # with the message concatdec.c prints, and runs anything else.
    old = tmp_path / "ffmpeg-4"
    old.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in *.txt) if grep -q "^option " "$a"; then\n'
        "  echo \"[concat @ 0x1] Line 3: unknown keyword 'option'\" >&2; exit 1; fi;; esac; done\n"
        f'exec "{ffmpeg_exe()}" "$@"\n'
    )
    old.chmod(0o755)
    monkeypatch.setenv("FILMFS_FFMPEG", str(old))
    find_ffmpeg.cache_clear()
    try:
        older = run(tmp_path / "old", clips)
    finally:
        find_ffmpeg.cache_clear()
    assert len(new.argv) == 1 and len(older.argv) == 2  # refused once, then without options
    digest = [hashlib.sha256(r.output.read_bytes()).hexdigest() for r in (new, older)]
    assert digest[0] == digest[1]


def test_a_clip_off_the_format_says_how_in_the_cut_checks_words(make_video: MakeVideo) -> None:
    """A clip's conform reasons name size, rate and codec as the cut's own check does."""
    off = probe(make_video("off.webm", size="160x90", fps=25, codec="libvpx", audio=False))
    reasons = conform_reasons(off, FMT)
    assert reasons[:3] == [
        "size 160x90, the film's is 320x180",
        "frame rate 25, the film's is 24",
        "video codec vp8, expected h264",
    ]
    same_rate = probe(make_video("tb.mp4", fps=24))
    assert conform_reasons(same_rate, Format(320, 180, 24)) == []
