"""The one redaction point: every string from a provider passes here before filmfs shows,
records or commits it.

Secrets are the API keys of every provider filmfs knows (read from the environment, plus any
key a provider was given directly, registered with :func:`add_secret`). :func:`scrub` replaces
each secret, masks the userinfo of any URL (``https://user:pass@host`` -> ``https://***@host``)
and drops query strings of URLs (signed download links carry tokens there). The runner calls it
on every error, progress line, task id and URL a provider hands back; the take file, the commit
message and ``-v`` output only ever see its result.
"""

from __future__ import annotations

import os
import re
import threading

KEY_VARIABLES = (
    "MINIMAX_API_KEY",
    "REPLICATE_API_TOKEN",
    "FAL_KEY",
    "RUNWAYML_API_SECRET",
    "LUMAAI_API_KEY",
)
MASK = "***"
_extra: set[str] = set()
_lock = threading.Lock()
# scheme://userinfo@ ; userinfo has no "/", "@" or whitespace.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")
_QUERY = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s?#]*)\?[^\s#'\"]*")
MIN_SECRET = 4
"""Shorter "secrets" are not masked: masking every "a" would garble every message."""


def add_secret(secret: str | None) -> None:
    """Mask ``secret`` from now on (a key given to a provider directly, not via the env)."""
    if secret and len(secret) >= MIN_SECRET:
        with _lock:
            _extra.add(secret)


def secrets() -> list[str]:
    """The secrets to mask, longest first (so a key containing another is masked whole)."""
    found = {os.environ.get(name, "") for name in KEY_VARIABLES}
    with _lock:
        found |= _extra
    return sorted((s for s in found if len(s) >= MIN_SECRET), key=len, reverse=True)


def scrub(text: str) -> str:
    """``text`` without secrets, URL userinfo or URL query strings."""
    if not text:
        return text
    for secret in secrets():
        text = text.replace(secret, MASK)
    text = _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    return _QUERY.sub(lambda m: m.group(1), text)


def scrub_value(value: object) -> object:
    """:func:`scrub` applied to every string inside lists and mappings (for take data)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub(str(k)): scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(v) for v in value]
    return value
