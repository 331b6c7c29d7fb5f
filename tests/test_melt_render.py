"""An exported timeline rendered by an editor filmfs does not control: MLT's ``melt``, through
the OTIO MLT adapter, frame for frame against the cut ``filmfs assemble`` made."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import av
import opentimelineio as otio
import pytest

from tests.editorial import generated_film, run


def _lumas(path: Path) -> list[bytes]:
    lumas = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            plane = frame.planes[0]
            data = bytes(plane)
            lumas.append(
                b"".join(
                    data[row * plane.line_size : row * plane.line_size + plane.width]
                    for row in range(plane.height)
                )
            )
    return lumas


def _difference(a: bytes, b: bytes) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


@pytest.mark.skipif(
    shutil.which("melt") is None and not os.environ.get("CI"),
    reason="MLT's melt is not installed (apt-get install melt; CI installs it)",
)
def test_melt_renders_the_exported_timeline_as_the_cut(tmp_path: Path) -> None:
    film = generated_film(tmp_path / "film")
    run("assemble", "--no-commit", "-C", str(film))
    run("export", str(tmp_path / "edit" / "cut.otio"), "-C", str(film))
    timeline = otio.adapters.read_from_file(str(tmp_path / "edit" / "cut.otio"))
    timeline.tracks[:] = [timeline.tracks[0]]  # the picture is compared
    mlt = tmp_path / "edit" / "cut.mlt"
    otio.adapters.write_to_file(timeline, str(mlt), adapter_name="mlt_xml")
    render = tmp_path / "edit" / "render.mp4"
    subprocess.run(
        ["melt", "-quiet", str(mlt), "-profile", "atsc_720p_24", "-consumer",
         f"avformat:{render}", "vcodec=libx264", "preset=ultrafast", "width=320",
         "height=180", "an=1"],
        cwd=mlt.parent, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    cut, rendered = _lumas(film / "cut.mp4"), _lumas(render)
    assert len(rendered) == len(cut) == round(timeline.duration().to_seconds() * 24)
    for i in range(0, len(cut), 3):
        assert _difference(cut[i], rendered[i]) < 6.5, f"frame {i}"
    # Through each dissolve, frame by frame: closer to the same frame than to one 4 earlier.
    video = timeline.video_tracks()[0]
    items = list(video)
    for n, item in enumerate(items):
        if isinstance(item, otio.schema.Transition):
            edit = int(video.range_of_child(items[n + 1]).start_time.value)
            for i in range(edit - int(item.in_offset.value) + 4, edit + int(item.out_offset.value)):
                assert _difference(cut[i], rendered[i]) < _difference(cut[i], rendered[i - 4])
