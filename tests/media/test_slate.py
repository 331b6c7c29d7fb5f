from __future__ import annotations

from pathlib import Path

import av
import pytest

from filmfs.film.model import Format
from filmfs.media.assembly import Clip, assemble
from filmfs.media.conform import conform_reasons
from filmfs.media.probe import probe
from filmfs.media.slate import make_slate, stored_slate
from filmfs.store.objects import MediaStore

FMT = Format(320, 180, 24)


def test_slate_matches_the_target_format(tmp_path: Path) -> None:
    out = tmp_path / "slate.mp4"
    with_text = make_slate("Shot 01A: it's [missing], 50% done; a\\b", 1.5, FMT, out)
    assert with_text  # this ffmpeg has drawtext and a font
    with av.open(str(out)) as container:
        frame = next(container.decode(video=0))
        luma = bytes(frame.planes[0])
    assert max(luma) > 200 and min(luma) < 50  # white text on the dark slate
    info = probe(out)
    assert conform_reasons(info, FMT) == []  # so it stream-copies into a cut
    assert info.duration == pytest.approx(1.5, abs=0.05)


def test_slate_without_drawtext_falls_back_to_plain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filmfs.media import slate

    real = slate.slate_argv

    def broken(text: Path | None, duration: float, fmt: Format, out: Path) -> list[str]:
        argv = real(text, duration, fmt, out)
        return [a.replace("drawtext=", "nosuchfilter=") for a in argv]

    monkeypatch.setattr(slate, "slate_argv", broken)
    out = tmp_path / "slate.mp4"
    assert make_slate("x", 1.0, FMT, out) is False
    assert conform_reasons(probe(out), FMT) == []


def test_stored_slate_goes_into_a_cut_without_encoding(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    slate = stored_slate(store, "01B: no take", 1.0, FMT)
    assert stored_slate(store, "01B: no take", 1.0, FMT) == slate  # rendered once
    assert store.verify(slate.sha256)
    result = assemble([Clip("01B", slate.path, slate.sha256)], FMT, tmp_path / "c.mp4", store=store)
    assert result.encoded == [] and result.duration == pytest.approx(1.0, abs=0.05)
