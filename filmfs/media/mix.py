"""Audio laid under the picture: a soundtrack over the whole cut, and per-clip overlays.

Mixing only touches audio, so the final pass stream-copies the video and re-encodes the audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmfs.media.conform import AUDIO_RATE


@dataclass(frozen=True)
class AudioBed:
    """An audio file starting at ``start`` seconds of the cut and lasting ``span`` at most."""

    path: Path
    start: float = 0.0
    span: float | None = None
    volume: float = 1.0


def mix_args(
    beds: list[AudioBed], *, first_input: int, base: str = "[0:a]"
) -> tuple[list[str], str]:
    """Extra ``-i`` arguments and a filter graph mixing ``beds`` under the ``base`` audio.

    Returns (args, graph); the graph's output label is ``[mix]``. ``normalize=0`` keeps the
    clips' own dialogue at its level instead of dividing every input by the input count.
    """
    args: list[str] = []
    graph: list[str] = []
    labels = [base]
    for n, bed in enumerate(beds):
        index = first_input + n
        args += ["-i", str(bed.path)]
        chain = f"[{index}:a]aresample={AUDIO_RATE},aformat=channel_layouts=stereo"
        if bed.span is not None:
            chain += f",atrim=0:{bed.span:.6f}"
        chain += f",volume={bed.volume}"
        if bed.start > 0:
            chain += f",adelay={round(bed.start * 1000)}:all=1"
        graph.append(f"{chain}[b{n}]")
        labels.append(f"[b{n}]")
    graph.append(f"{''.join(labels)}amix=inputs={len(labels)}:duration=first:normalize=0[mix]")
    return args, ";".join(graph)
