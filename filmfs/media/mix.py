"""Audio laid under the picture: a soundtrack over the whole cut, and per-clip overlays.

Mixing only touches audio, so the final pass stream-copies the video and re-encodes the audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmfs.media.conform import AUDIO_RATE
from filmfs.media.ffmpeg import Stream, builder


@dataclass(frozen=True)
class AudioBed:
    """An audio file starting at ``start`` seconds of the cut and lasting ``span`` at most."""

    path: Path
    start: float = 0.0
    span: float | None = None
    volume: float = 1.0


def mix(base: Stream, beds: list[AudioBed], sounds: list[Stream]) -> Stream:
    """``base`` with each bed's sound (``sounds``, one stream per bed) laid under it.

    ``normalize=0`` keeps the clips' own dialogue at its level instead of dividing every input
    by the input count.
    """
    ff = builder()
    layers = [base]
    for bed, sound in zip(beds, sounds, strict=True):
        layer = sound.filter("aresample", AUDIO_RATE).filter("aformat", channel_layouts="stereo")
        if bed.span is not None:
            layer = layer.filter("atrim", 0, f"{bed.span:.6f}")
        layer = layer.filter("volume", bed.volume)
        if bed.start > 0:
            layer = layer.filter("adelay", round(bed.start * 1000), all=1)
        layers.append(layer)
    return ff.filter(layers, "amix", inputs=len(layers), duration="first", normalize=0)
