from __future__ import annotations

from pathlib import Path

import pytest

from filmfs.media import probe_cache
from filmfs.media.probe import probe
from filmfs.store.objects import MediaStore
from tests.media.conftest import MakeVideo


def test_second_probe_reads_the_cache(
    tmp_path: Path, make_video: MakeVideo, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    obj = store.put_file(make_video("a.mp4", fps=25))
    first = probe_cache.probe_known(store, obj.path, obj.sha256)
    assert first == probe(obj.path)

    def fail(path: Path) -> None:
        raise AssertionError("probed again")

    monkeypatch.setattr(probe_cache, "probe", fail)
    assert probe_cache.probe_known(store, obj.path, obj.sha256) == first


def test_unreadable_entry_is_reprobed(tmp_path: Path, make_video: MakeVideo) -> None:
    store = MediaStore(tmp_path / ".filmfs")
    obj = store.put_file(make_video("a.mp4"))
    info = probe_cache.probe_known(store, obj.path, obj.sha256)
    (entry,) = (store.cache / f"probe-v{probe_cache.PROBE_CACHE_VERSION}").iterdir()
    entry.write_text("{not json")
    assert probe_cache.probe_known(store, obj.path, obj.sha256) == info
