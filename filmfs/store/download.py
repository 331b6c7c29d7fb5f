"""Fetching bytes from an http(s) URL a manifest names, without letting it aim anywhere.

A manifest's ``url`` comes from whoever wrote the pull request, and ``filmfs pull`` runs in
CI, next to cloud metadata services and internal hosts. So every request:

- goes only to a public address: loopback, private, link-local, multicast and reserved
  addresses (and host names that resolve to one) are refused unless this machine opts in
  (``allow_private_hosts`` in ``.filmfs/config.local.yaml`` or ``pull --allow-private-host``);
- connects to the address that was checked (the request is pinned to it; TLS still verifies
  the host name), so a DNS answer cannot change between the check and the connection;
- follows at most MAX_REDIRECTS redirects, each checked as the first URL was;
- stops at the declared ``size`` (and at MAX_DOWNLOAD_BYTES when none is declared);
- names the URL in messages without its ``user:password@`` or query string.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from filmfs.errors import FilmfsError
from filmfs.escape import mask_userinfo

MAX_REDIRECTS = 5
MAX_DOWNLOAD_BYTES = 4 << 30  # 4 GiB: a film's asset; anything bigger is not one
CHUNK = 1 << 20

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class DownloadError(FilmfsError):
    """A URL was refused, or its download failed or went over its size."""


def shown(url: str) -> str:
    """``url`` for a message: no userinfo, no query string or fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket: show it as written, less any secrets
        return mask_userinfo(url.split("?", 1)[0].split("#", 1)[0])
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if _port(parts) else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _port(parts: object) -> int | None:
    try:
        return parts.port  # type: ignore[attr-defined, no-any-return]
    except ValueError:
        return None


def parse_allowed(entries: Iterable[str]) -> tuple[Network | str, ...]:
    """Opt-ins as networks (``127.0.0.1``, ``10.0.0.0/8``, ``::1``) or host names."""
    found: list[Network | str] = []
    for entry in entries:
        try:
            found.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            found.append(entry.strip().lower().rstrip("."))
    return tuple(found)


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    address: Address


def check_url(url: str, *, allowed: tuple[Network | str, ...] = ()) -> Target:
    """The address ``url`` may be fetched from; DownloadError when it is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise DownloadError(f"{shown(url)}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise DownloadError(f"{shown(url)}: only http and https URLs are downloaded")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise DownloadError(f"{shown(url)}: the URL has no host")
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise DownloadError(f"{shown(url)}: cannot resolve {host} ({exc})") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    for address in addresses:
        if not _public(address) and not _opted_in(host, address, allowed):
            raise DownloadError(
                f"{shown(url)}: refused: {host} is a {_kind(address)} address ({address}); "
                "a manifest's URL may only name public hosts",
                hint="if this host is yours, allow it on this machine: `allow_private_hosts: "
                f"[{address}]` in .filmfs/config.local.yaml, or pull --allow-private-host "
                f"{address}",
            )
    return Target(url, host, addresses[0])


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return _public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


def _kind(address: Address) -> str:
    for name in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return "non-public"


def _opted_in(host: str, address: Address, allowed: tuple[Network | str, ...]) -> bool:
    return any(
        (isinstance(entry, str) and entry == host)
        or (not isinstance(entry, str) and address in entry)
        for entry in allowed
    )


def stream(
    url: str,
    *,
    size: int | None = None,
    allowed: tuple[Network | str, ...] = (),
    timeout: float = 60.0,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> Iterator[bytes]:
    """The body of ``url`` in chunks, within the rules above; DownloadError otherwise,
    including when the connection is lost part way."""
    limit = min(size, max_bytes) if size is not None else max_bytes
    what = "its declared size" if size is not None and size <= max_bytes else "the download cap"
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            target = check_url(url, allowed=allowed)
            try:
                with client.stream(**_pinned(target)) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        url = urljoin(url, resp.headers["location"])
                        continue
                    if not resp.is_success:
                        raise DownloadError(f"{shown(target.url)}: HTTP {resp.status_code}")
                    declared = resp.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise DownloadError(
                            f"{shown(target.url)}: {declared} bytes is more than {what} "
                            f"({limit} bytes); not downloaded"
                        )
                    got = 0
                    for chunk in resp.iter_bytes(CHUNK):
                        got += len(chunk)
                        if got > limit:
                            raise DownloadError(
                                f"{shown(target.url)}: the body goes past {what} ({limit} "
                                "bytes); stopped"
                            )
                        yield chunk
                    return
            except httpx.HTTPError as exc:
                raise DownloadError(
                    f"{shown(target.url)}: {type(exc).__name__}: the download failed part way "
                    "or could not start; nothing was stored",
                    hint="run `filmfs pull` again; objects already fetched are kept",
                ) from None
    raise DownloadError(f"{shown(url)}: more than {MAX_REDIRECTS} redirects; refused")


def _pinned(target: Target) -> dict[str, Any]:
    """Request arguments that connect to the checked address, not a fresh DNS answer."""
    parts = urlsplit(target.url)
    ip = str(target.address)
    netloc = (f"[{ip}]" if ":" in ip else ip) + (f":{parts.port}" if parts.port else "")
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1]}
    extensions = {"sni_hostname": target.host} if parts.scheme == "https" else {}
    url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    # Credentials in the URL go to this URL's host only (a redirect elsewhere drops them).
    auth = (unquote(parts.username), unquote(parts.password or "")) if parts.username else None
    return {
        "method": "GET",
        "url": url,
        "headers": headers,
        "extensions": extensions,
        "auth": auth,
    }
