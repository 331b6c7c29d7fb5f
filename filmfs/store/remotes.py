"""A remote media store through fsspec: ``<url>/objects/ab/cdef…``, mirroring the local store.

As DVC's remote mirrors its cache, so any URL fsspec opens works: a local or mounted path,
``file://``, ``s3://`` (s3fs), ``gs://`` (gcsfs), ``ssh://`` / ``sftp://`` (sshfs),
``az://`` (adlfs). Uploads are atomic: where the filesystem can rename, an object is written
under ``<url>/tmp/`` and renamed into place; object stores publish a key only once its upload
completes, so they are written directly. Downloads are hashed as they stream and refused when
the bytes do not match their name, so a corrupt remote object never enters the local store.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import fsspec
from fsspec.implementations.local import LocalFileSystem
from fsspec.registry import known_implementations
from fsspec.registry import registry as registered_implementations

from filmfs.errors import FilmfsError, StoreError
from filmfs.manifests.config import RemoteSpec
from filmfs.store.objects import CHUNK, CorruptObject, MediaStore, StoredObject, is_sha256
from filmfs.store.stamps import record_verified

# Object stores: a key appears whole when its upload completes, and a "rename" is a copy.
_OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss", "r2"})
# Which package gives fsspec each protocol, for the error a user sees when it is missing.
EXTRAS = {
    "s3": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "ssh": "sshfs",
    "sftp": "sshfs",
    "az": "adlfs",
    "abfs": "adlfs",
    "http": "aiohttp",
    "https": "aiohttp",
}


class RemoteError(FilmfsError):
    """A remote cannot be opened, read or written."""


def resolve_url(url: str, root: Path) -> str:
    """A plain relative path is relative to the film's directory, as DVC's are to its config.

    A ``file://`` URL becomes its path: fsspec would keep percent-escapes (``%20``) literally.
    """
    if url.startswith("file://"):
        try:
            return unquote(urlparse(url).path)
        except ValueError as exc:
            raise RemoteError(f"{url}: not a valid URL ({exc})") from None
    if "://" in url or os.path.isabs(url):
        return url
    return str((root / url).resolve())


def check_url(url: str) -> None:
    """Refuse, at `remote add`, a URL no push could ever use: empty, an unknown protocol, or
    a local path that is a file."""
    if not url.strip():
        raise RemoteError("the remote URL is empty", hint="give a directory, s3://, ssh://, ...")
    if "://" in url:
        try:
            urlparse(url)
        except ValueError as exc:  # "Invalid IPv6 URL"
            raise RemoteError(f"{url}: not a valid URL ({exc})") from None
        protocol = url.split("://", 1)[0]  # fsspec's protocols are case-sensitive
        if protocol not in known_implementations and protocol not in registered_implementations:
            raise RemoteError(
                f"{url}: unknown protocol {protocol!r}",
                hint="use a directory, file://, s3://, gs://, ssh://, sftp://, az:// or abfs://",
            )
        return
    if os.path.isfile(url):
        raise RemoteError(f"{url} is a file; a remote is a directory", hint="pass a directory")


@contextmanager
def _translated(name: str, what: str) -> Iterator[None]:
    try:
        yield
    except FilmfsError:
        raise
    except Exception as exc:  # the fsspec backends raise their own (botocore, asyncssh, ...)
        raise RemoteError(f"remote {name!r}: {what}: {type(exc).__name__}: {exc}") from None


class Remote:
    """One configured remote; safe to use from several threads at once."""

    def __init__(self, spec: RemoteSpec, root: Path) -> None:
        self.name = spec.name
        self.url = resolve_url(spec.url, root)
        protocol = self.url.split("://", 1)[0] if "://" in self.url else "file"
        try:
            fs, base = fsspec.core.url_to_fs(self.url, **dict(spec.options))
        except ImportError as exc:
            extra = EXTRAS.get(protocol, f"the fsspec package for {protocol}://")
            raise RemoteError(
                f"remote {self.name!r}: cannot open {spec.url}: {exc}",
                hint=f"install {extra} (pip install {extra})",
            ) from None
        except ValueError as exc:
            raise RemoteError(f"remote {self.name!r}: cannot open {spec.url}: {exc}") from None
        self.fs: Any = fs
        self.base = str(base).rstrip("/")
        protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
        self.renames = not any(p in _OBJECT_STORES for p in protocols)

    def object_path(self, sha256: str) -> str:
        return f"{self.base}/objects/{sha256[:2]}/{sha256[2:]}"

    def list_objects(self) -> dict[str, int]:
        """sha256 -> size of every object on the remote (one listing, as `dvc status -c`)."""
        found: dict[str, int] = {}
        with _translated(self.name, "listing objects"):
            try:
                entries = self.fs.find(f"{self.base}/objects", detail=True)
            except FileNotFoundError:
                return found
        for path, info in entries.items():
            parts = str(path).rstrip("/").split("/")
            sha = "".join(parts[-2:])
            if len(parts) >= 2 and len(parts[-2]) == 2 and is_sha256(sha):
                found[sha] = int(info.get("size") or 0)
        return found

    def upload(self, local: Path, sha256: str) -> None:
        """Publish ``local`` (already verified) as object ``sha256``, atomically."""
        final = self.object_path(sha256)
        with _translated(self.name, f"uploading {sha256[:12]}"):
            if not self.renames:
                self.fs.put_file(str(local), final)
                return
            tmp = f"{self.base}/tmp/{sha256[:12]}.{uuid.uuid4().hex}.tmp"
            self.fs.makedirs(posixpath.dirname(tmp), exist_ok=True)
            try:
                self.fs.put_file(str(local), tmp)
                if isinstance(self.fs, LocalFileSystem):
                    _fsync(tmp)  # the rename below must not publish bytes still in cache
                self.fs.makedirs(posixpath.dirname(final), exist_ok=True)
                try:
                    self.fs.mv(tmp, final)
                except OSError:
                    # SFTP's rename refuses an existing target: a concurrent push won.
                    if not self.fs.exists(final):
                        raise
                    self.fs.rm_file(tmp)
            except BaseException:
                if self.fs.exists(tmp):
                    self.fs.rm_file(tmp)
                raise

    def download(self, sha256: str, store: MediaStore) -> StoredObject:
        """Fetch object ``sha256`` into ``store``, refusing bytes that do not hash to it."""
        with (
            _translated(self.name, f"downloading {sha256[:12]}"),
            self.fs.open(self.object_path(sha256), "rb") as source,
        ):
            return receive(
                iter(lambda: source.read(CHUNK), b""), sha256, store, origin=f"remote {self.name!r}"
            )


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def receive(
    chunks: Iterator[bytes], sha256: str, store: MediaStore, *, origin: str
) -> StoredObject:
    """Write ``chunks`` to a temp file while hashing; publish into ``store`` only if they match."""
    digest = hashlib.sha256()
    with store.temp_path(".part") as tmp:
        try:
            with open(tmp, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:  # disk full (ENOSPC), quota, file size limit, I/O error
            raise StoreError(
                f"{origin}: cannot write object {sha256[:12]} into the store: "
                f"{exc.strerror or exc}; it was not stored (objects already stored are kept)",
                hint="free some disk space, then run the command again",
            ) from None
        got = digest.hexdigest()
        if got != sha256:
            raise CorruptObject(
                f"{origin}: object {sha256[:12]} is corrupt (its bytes hash to {got[:12]}); "
                "refused, not stored",
                hint="push a good copy from a clone that has it, or regenerate the take",
            )
        # The bytes were hashed on their way in: stored without a second read, and stamped
        # as verified, so the first `assemble` after a pull reads no media to trust them.
        stored = store.put_file(tmp, move=True, hashed=(got, os.path.getsize(tmp)))
        if stored.published:
            record_verified(store, got)
        return stored
