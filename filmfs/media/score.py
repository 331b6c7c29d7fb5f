"""An offline stand-in for a music model: a slow chord bed, determined by seed and prompt.

The testcard provider's counterpart for audio assets (a film's score, an ambience): it lets a
fresh machine run the whole pipeline with no account. Four chords of three sine voices with a
soft attack and release each, key and pace chosen by the seed; AAC in an .m4a, bit-exact, so the
same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from filmfs.media.ffmpeg import builder, command, run_ffmpeg

# Semitone offsets of four triads (I - vi - IV - V), a progression that loops without a seam.
_PROGRESSION = ((0, 4, 7), (-3, 0, 4), (-7, -3, 0), (-5, -1, 2))


def _key_and_span(seed: int, prompt: str) -> tuple[float, float]:
    digest = hashlib.sha256(f"{seed}:{prompt}".encode()).digest()
    root = 110.0 * 2 ** ((digest[0] % 12) / 12)  # any key from A2 upwards
    span = 3.0 + (digest[1] % 5) * 0.5  # 3 to 5 s a chord
    return root, span


def score_expression(seed: int, prompt: str) -> str:
    """An ffmpeg aevalsrc expression: one chord per span, each with a sine envelope."""
    root, span = _key_and_span(seed, prompt)
    terms = []
    for index, chord in enumerate(_PROGRESSION):
        voices = "+".join(f"sin(2*PI*{root * 2 ** (step / 12):.4f}*t)" for step in chord)
        gate = f"eq(mod(floor(t/{span}),{len(_PROGRESSION)}),{index})"
        terms.append(f"{gate}*({voices})")
    envelope = f"sin(PI*mod(t,{span})/{span})"
    return f"0.12*{envelope}*({'+'.join(terms)})"


def render_score(dest: Path, *, duration: float, seed: int, prompt: str = "") -> None:
    """Write ``duration`` seconds of the chord bed to ``dest`` (.m4a, AAC 48 kHz stereo)."""
    expression = score_expression(seed, prompt)
    source = builder().input(
        f"aevalsrc='{expression}|{expression}':s=48000:d={duration:.3f}", f="lavfi"
    )
    output = source.audio.output(
        str(dest),
        f="mp4",
        map_metadata=-1,
        fflags="+bitexact",
        **{"c:a": "aac", "b:a": "128k", "flags:a": "+bitexact"},
    )
    run_ffmpeg(command(output), what=f"render score ({duration:.1f} s)")
