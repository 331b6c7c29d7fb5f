"""HTTP plumbing shared by the HTTP providers: requests with time-outs, error translation.

Every httpx failure becomes a :class:`~filmfs.errors.ProviderError` carrying URL and status,
with ``retryable`` set for rate limits, 5xx and network trouble. The API key is sent only in
request headers and is scrubbed from any text a server echoes back, so it cannot reach an
error message, a manifest or a log.
"""

from __future__ import annotations

import email.utils
import functools
import json
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from filmfs.errors import ProviderError
from filmfs.providers.redact import scrub

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` replaced, then through the one redaction point."""
    return scrub(text.replace(secret, "***") if secret else text)


def strip_query(url: str) -> str:
    """A URL without its query string: signed download links carry tokens there."""
    return url.split("?", 1)[0]


@dataclass(frozen=True)
class Response:
    """What a provider needs from an HTTP answer."""

    status: int
    headers: Mapping[str, str]
    body: Any
    """Parsed JSON, or the text when the body is not JSON."""
    url: str


def error_detail(body: Any) -> str:
    """A one-line message from the error bodies the providers send (RFC 7807, fal, MiniMax)."""
    if isinstance(body, dict):
        detail = body.get("detail") or body.get("error") or body.get("message")
        if isinstance(detail, list):  # fal / FastAPI validation errors
            return "; ".join(
                str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail
            )
        if detail:
            return str(detail)
        if body.get("title"):
            return str(body["title"])
        base = body.get("base_resp")
        if isinstance(base, dict) and base.get("status_msg"):
            return str(base["status_msg"])
    text = str(body).strip()
    return text[:300] or "(empty body)"


@functools.cache
def _tls() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # certifi's CAs, or $SSL_CERT_FILE as httpx does


def new_client() -> httpx.Client:
    """A fresh httpx.Client. Each request gets its own, so nothing needs closing later and
    threads share nothing; the TLS context (the costly part, ~20 ms) is made once."""
    return httpx.Client(verify=_tls(), follow_redirects=True)


class Api:
    """A small JSON-over-HTTP client for one provider; thread-safe (a client per request)."""

    def __init__(
        self,
        *,
        provider: str,
        headers: Mapping[str, str],
        secret: str,
        timeout: float,
    ) -> None:
        self.provider = provider
        self._headers = dict(headers)
        self._secret = secret
        self.timeout = timeout

    def redact(self, text: str) -> str:
        return redact(text, self._secret)

    def request(
        self, method: str, url: str, *, json_body: Any = None, ok: tuple[int, ...] = ()
    ) -> Response:
        """Send one request; raise ProviderError for transport failures and HTTP errors.

        Statuses in ``ok`` are returned even when they are errors, for callers that read the
        error body themselves (fal reports a failed task as an error at result fetch).
        """
        shown = strip_query(url)
        try:
            with new_client() as client:
                resp = client.request(
                    method, url, headers=self._headers, json=json_body, timeout=self.timeout
                )
        except httpx.TimeoutException as exc:
            raise ProviderError(
                f"{method} timed out after {self.timeout:g} s",
                provider=self.provider,
                url=shown,
                retryable=True,
            ) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            # A malformed base URL will not heal on retry (it was retried 5 times as "down").
            raise ProviderError(
                f"{method} to an unusable URL: {self.redact(str(exc)) or type(exc).__name__}",
                provider=self.provider,
                url=shown,
                retryable=False,
                hint=f"check FILMFS_{self.provider.upper()}_BASE_URL, if it is set",
            ) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(
                f"{method} failed: {self.redact(str(exc)) or type(exc).__name__}",
                provider=self.provider,
                url=shown,
                retryable=True,
            ) from exc
        try:
            body: Any = resp.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = resp.text
        answer = Response(resp.status_code, resp.headers, body, shown)
        if resp.is_success or resp.status_code in ok:
            return answer
        raise self.http_error(answer)

    def http_error(self, resp: Response, what: str = "request refused") -> ProviderError:
        """The ProviderError for an HTTP error answer, with a fix for the common ones."""
        hint = None
        if resp.status in (401, 403):
            hint = "check the provider's API key environment variable"
        elif resp.status == 429:
            hint = "rate limited; wait or lower the number of parallel generations"
        return ProviderError(
            f"{what}: {self.redact(error_detail(resp.body))}",
            provider=self.provider,
            url=resp.url,
            status=resp.status,
            retryable=resp.status in RETRYABLE_STATUS,
            retry_after=parse_retry_after(resp.headers.get("retry-after")),
            hint=hint,
        )
