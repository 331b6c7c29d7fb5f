from __future__ import annotations

import base64
from pathlib import Path

import pytest

from filmfs.errors import ProviderError
from filmfs.providers.http.download import download
from filmfs.providers.http.transport import error_detail, parse_retry_after, redact, strip_query
from filmfs.providers.video import check_video, sniff


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("-2", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("Wed, 25 Nov 2026 00:00:30 GMT", 30.0),
        ("Wed, 25 Nov 2026 00:00:00 GMT", 0.0),
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    now = 1795564800.0  # 2026-11-25T00:00:00Z
    assert parse_retry_after(value, now=now) == expected


def test_error_detail_shapes() -> None:
    assert error_detail({"title": "T", "detail": "throttled", "status": 429}) == "throttled"
    assert error_detail({"detail": [{"loc": ["body"], "msg": "bad prompt"}]}) == "bad prompt"
    assert error_detail({"base_resp": {"status_code": 1, "status_msg": "nope"}}) == "nope"
    assert error_detail("<html>502</html>") == "<html>502</html>"


def test_redact_and_strip() -> None:
    assert redact("key sk-1 echoed", "sk-1") == "key *** echoed"
    assert redact("text", None) == "text"
    assert strip_query("https://x/y.mp4?Signature=abc") == "https://x/y.mp4"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x20ftypisom", "mp4"),
        (b"\x00\x00\x00\x08wide\x00\x00", "mp4"),
        (b"\x1a\x45\xdf\xa3\x9f", "webm"),
        (b"<!DOCTYPE html>", None),
        (b'{"a":1}', None),
        (b"", None),
    ],
)
def test_sniff(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


def test_check_video_names_what_it_got(tmp_path: Path) -> None:
    page = tmp_path / "x.mp4"
    page.write_bytes(b"  <html>expired</html>")
    with pytest.raises(ProviderError, match=r"not a video \(an HTML/XML page\)"):
        check_video(page, provider="p")


def test_data_uri_download(tmp_path: Path, sample_mp4: Path) -> None:
    uri = "data:video/mp4;base64," + base64.b64encode(sample_mp4.read_bytes()).decode()
    n = download(uri, tmp_path / "v.mp4", provider="p", max_bytes=10**7)
    assert n == sample_mp4.stat().st_size
    assert (tmp_path / "v.mp4").read_bytes() == sample_mp4.read_bytes()
    with pytest.raises(ProviderError, match="larger than the limit"):
        download(uri, tmp_path / "w.mp4", provider="p", max_bytes=100)


def test_unreachable_host_is_retryable(tmp_path: Path) -> None:
    with pytest.raises(ProviderError) as info:
        download(
            "http://127.0.0.1:9/v.mp4", tmp_path / "v.mp4", provider="p", max_bytes=100, timeout=2
        )
    assert info.value.retryable and "could not connect (ConnectError)" in info.value.message
