"""Moving objects concurrently, and fetching an object from the URL a manifest gives for it."""

from __future__ import annotations

import stat
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlparse

from filmfs.errors import FilmfsError
from filmfs.store.download import Network, shown, stream
from filmfs.store.objects import CHUNK, MediaStore, StoredObject
from filmfs.store.remotes import RemoteError, receive

T = TypeVar("T")


@dataclass
class Transfer:
    """What a push or pull did; data for the CLI to print."""

    remote: str | None
    transferred: list[str] = field(default_factory=list)
    bytes: int = 0
    up_to_date: int = 0
    """Objects that were already where they were going."""
    unavailable: list[str] = field(default_factory=list)
    """Referenced objects found nowhere to send or fetch from."""
    failed: dict[str, str] = field(default_factory=dict)
    """sha256 -> why its transfer failed."""
    elapsed: float = 0.0

    def run(
        self, items: Iterable[str], work: Callable[[str], int], *, jobs: int, started: float
    ) -> Transfer:
        """Run ``work`` over ``items`` (see :func:`run_all`) and count what it did."""
        for sha, outcome in run_all(items, work, jobs=jobs):
            if isinstance(outcome, int):
                self.transferred.append(sha)
                self.bytes += outcome
            else:
                self.failed[sha] = str(outcome)
        self.elapsed = time.monotonic() - started
        return self

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unavailable


def run_all(
    items: Iterable[str], work: Callable[[str], int], *, jobs: int
) -> Iterator[tuple[str, int | FilmfsError]]:
    """Run ``work`` on each item with ``jobs`` threads; yields (item, bytes or the error).

    A FilmfsError fails one item, not the run; anything else is a bug and propagates.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = {pool.submit(work, item): item for item in items}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except FilmfsError as exc:
                yield futures[future], exc
    finally:
        # On Ctrl-C (or an error) drop the queued transfers; running ones finish, and every
        # transfer publishes by rename, so none is left half-done.
        pool.shutdown(wait=True, cancel_futures=True)


def fetch_url(
    url: str,
    sha256: str,
    store: MediaStore,
    *,
    root: Path,
    size: int | None = None,
    allowed: tuple[Network | str, ...] = (),
    timeout: float = 60.0,
) -> StoredObject:
    """Fetch an object from an http(s) URL (through :mod:`filmfs.store.download`: public
    hosts only unless ``allowed``, redirects re-checked, at most ``size`` bytes) or a
    ``file:`` URL inside the film; verify its hash."""
    try:
        parts = urlparse(url)
    except ValueError as exc:  # e.g. "Invalid IPv6 URL" for http://[::1/x
        raise RemoteError(f"{shown(url)}: not a valid URL ({exc})") from None
    scheme = parts.scheme
    if scheme == "file":
        local = Path(unquote(parts.path))
        local = (local if local.is_absolute() else root / local).resolve()
        if not local.is_relative_to(root.resolve()):
            raise RemoteError(f"{url}: points outside the film directory; refused")
        try:
            if not stat.S_ISREG(local.stat().st_mode):
                raise RemoteError(f"{url}: not a regular file; refused")
            with local.open("rb") as source:
                return receive(iter(lambda: source.read(CHUNK), b""), sha256, store, origin=url)
        except OSError as exc:
            raise RemoteError(f"{url}: {exc.strerror}") from None
    if scheme not in ("http", "https"):
        raise RemoteError(f"{shown(url)}: cannot fetch {scheme or 'a schemeless'} URL")
    chunks = stream(url, size=size, allowed=allowed, timeout=timeout)
    return receive(chunks, sha256, store, origin=shown(url))
