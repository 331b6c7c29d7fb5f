"""Streaming a finished video to disk, with a size limit and a content check.

Shared by the HTTP providers. The body goes to ``dest`` chunk by chunk, never whole in
memory. A body that stops early (connection dropped, fewer bytes than Content-Length) is a
*retryable* ProviderError; one that is not a video, or too big, is not.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
from pathlib import Path

import httpx

from filmfs.errors import ProviderError
from filmfs.providers.http.transport import new_client, strip_query
from filmfs.providers.video import check_video

CHUNK = 1 << 16


def _too_big(provider: str, url: str, max_bytes: int, size: int | str) -> ProviderError:
    return ProviderError(
        f"video is larger than the limit of {max_bytes} bytes ({size} bytes)",
        provider=provider,
        url=url,
        hint="raise the download size limit if this video is expected",
    )


def _data_uri(url: str, dest: Path, *, provider: str, max_bytes: int) -> None:
    # Replicate may answer with data: URIs when a prediction is created with Prefer: wait.
    _, _, payload = url.partition(",")
    if ";base64" not in url.split(",", 1)[0]:
        raise ProviderError("unsupported non-base64 data: URI", provider=provider)
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ProviderError("malformed base64 data: URI", provider=provider) from exc
    if len(raw) > max_bytes:
        raise _too_big(provider, "data:", max_bytes, len(raw))
    dest.write_bytes(raw)


def download(
    url: str,
    dest: Path,
    *,
    provider: str,
    max_bytes: int,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
) -> int:
    """Stream ``url`` to ``dest``; return the byte count. No auth header is ever sent.

    ``client`` is a shared connection pool to reuse (one is made and closed if None).

    Raises ProviderError: retryable for network errors, 5xx and truncated bodies; not
    retryable for other HTTP errors, over-size bodies and bodies that are not a video.
    """
    if url.startswith("data:"):
        _data_uri(url, dest, provider=provider, max_bytes=max_bytes)
        check_video(dest, provider=provider)
        return dest.stat().st_size
    shown = strip_query(url)
    written = 0
    expected: int | None = None
    started = False
    try:
        with (
            contextlib.ExitStack() as stack,
            (client or stack.enter_context(new_client())).stream(
                "GET", url, timeout=timeout
            ) as resp,
        ):
            if not resp.is_success:
                raise ProviderError(
                    "video download refused",
                    provider=provider,
                    url=shown,
                    status=resp.status_code,
                    retryable=resp.status_code >= 500 or resp.status_code == 429,
                    hint="download links expire; generate again if this one is old",
                )
            started = True
            length = resp.headers.get("content-length")
            expected = int(length) if length and length.isdigit() else None
            if expected is not None and expected > max_bytes:
                raise _too_big(provider, shown, max_bytes, expected)
            with dest.open("wb") as fh:
                for chunk in resp.iter_raw(CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise _too_big(provider, shown, max_bytes, f"more than {max_bytes}")
                    fh.write(chunk)
    except httpx.TimeoutException as exc:
        raise ProviderError(
            f"video download timed out after {written} bytes",
            provider=provider,
            url=shown,
            retryable=True,
        ) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        # The provider answered with a link nothing can fetch; retrying will not change it.
        raise ProviderError(
            f"the video link is not a usable URL ({exc})",
            provider=provider,
            url=shown,
        ) from exc
    except httpx.HTTPError as exc:
        # httpx raises RemoteProtocolError when the peer closes before Content-Length.
        of = f" of {expected}" if expected is not None else ""
        what = f"stopped after {written}{of} bytes" if started else "could not connect"
        raise ProviderError(
            f"video download {what} ({type(exc).__name__})",
            provider=provider,
            url=shown,
            retryable=True,
        ) from exc
    if expected is not None and written != expected:
        raise ProviderError(
            f"video download stopped after {written} of {expected} bytes",
            provider=provider,
            url=shown,
            retryable=True,
        )
    check_video(dest, provider=provider, url=shown)
    return written
