"""Film settings: ``.filmfs/config.yaml`` (committed) and ``config.local.yaml`` (git-ignored).

Like DVC's ``.dvc/config`` and ``config.local``: what every clone shares (remote names, URLs,
the default remote) is committed; secrets and per-machine overrides (credentials, a local
mirror's path) stay in the local file, which ``filmfs init`` git-ignores. The local file is
merged over the shared one, key by key::

    default_remote: storage
    remotes:
      storage:
        url: s3://my-bucket/films/harbour

A committed config comes with every pull request, so it is data, never capability: there a
remote has a ``url`` and nothing else. Filesystem options (``profile``, ``endpoint_url``,
and ``proxy_command``, which sshfs would run) come only from ``config.local.yaml`` or the
environment. URLs are allow-listed by protocol (a local path, ``file``, ``s3``, ``gs``,
``az``/``abfs``, ``ssh``/``sftp``); chained (``zip://…::file://…``), archive, memory, http
and the rest of fsspec's protocols need ``allow_protocols: [zip, …]`` in the local file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.manifests.loader import Document, parse, read_text
from filmfs.manifests.schema import check
from filmfs.manifests.writer import atomic_write_text

SHARED_FILE = "config.yaml"
LOCAL_FILE = "config.local.yaml"
# The shapes of the two files, as JSON Schemas in schemas/ (config.schema.json and
# config-local.schema.json); the rules of what a committed file may say are checked here.
SHARED_SCHEMA = "config"
LOCAL_SCHEMA = "config-local"
_SCHEMA_HINT = {
    False: "see the README's 'Config files'; `filmfs remote add|modify` writes this file",
    True: "see the README's 'Config files'; `filmfs remote add|modify --local` writes this file",
}
_HEADER = {
    SHARED_FILE: "# filmfs settings shared through Git; secrets go in config.local.yaml\n",
    LOCAL_FILE: "# filmfs settings of this machine only (git-ignored): secrets, overrides\n",
}


class ConfigError(FilmfsError):
    """A config file is unreadable or names something that does not exist."""


# What a committed remote URL may use. Chaining, archives (zip, tar), memory, http, ftp,
# data: and the rest need the local file's opt-in: a `zip://…::file:///x` with `mode: w`
# truncated /x, and `memory://` made a push report success while keeping nothing.
SAFE_PROTOCOLS = frozenset(
    {"file", "local", "s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "ssh", "sftp"}
)
OPT_IN_KEY = "allow_protocols"
PRIVATE_HOSTS_KEY = "allow_private_hosts"  # hosts an asset's url may reach besides public ones


def url_protocols(url: str) -> list[str]:
    """Every protocol fsspec would open ``url`` with, chained ones (``a::b``) included; a
    plain path is ``file``."""
    found = []
    for part in url.split("::"):
        head, sep, _ = part.partition("://")
        if sep and len(head) > 1:
            found.append(head)
        elif part.startswith("data:"):
            found.append("data")
        else:
            found.append("file")
    return found


def check_protocols(url: str, allowed: frozenset[str] = frozenset()) -> None:
    """ConfigError unless every protocol of ``url`` is safe or opted in by the local file."""
    if "://" in url:
        try:
            urlsplit(url)
        except ValueError as exc:  # "Invalid IPv6 URL": say that, not "chained" for its ::
            raise ConfigError(f"{url}: not a valid URL ({exc})") from None
    protocols = url_protocols(url)
    refused = [p for p in protocols if p not in SAFE_PROTOCOLS | allowed]
    if "::" in url and "chained" not in allowed:
        refused.insert(0, "chained (::) URLs")
    if refused:
        raise ConfigError(
            f"{url}: {', '.join(dict.fromkeys(refused))} refused for a remote "
            "(allowed: a directory, file://, s3://, gs://, az://, abfs://, ssh://, sftp://)",
            hint=f"to use it on this machine, list it under `{OPT_IN_KEY}:` in "
            f".filmfs/{LOCAL_FILE} (e.g. {OPT_IN_KEY}: [{protocols[0]}"
            + (", chained" if "::" in url else "")
            + "])",
        )


def config_path(root: Path, *, local: bool = False) -> Path:
    return layout.state_dir(root) / (LOCAL_FILE if local else SHARED_FILE)


@dataclass(frozen=True)
class RemoteSpec:
    """A named remote: its URL and the fsspec options (credentials, endpoints...)."""

    name: str
    url: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    remotes: Mapping[str, RemoteSpec]
    default_remote: str | None

    def remote(self, name: str | None) -> RemoteSpec:
        """The remote called ``name``, or the default one; ConfigError with the fix if none."""
        chosen = name or self.default_remote
        if chosen is None:
            if len(self.remotes) == 1:
                return next(iter(self.remotes.values()))
            raise ConfigError(
                "no remote given and no default remote set"
                + (f" (remotes: {', '.join(self.remotes)})" if self.remotes else ""),
                hint="add one with `filmfs remote add NAME URL --default`, or pass --remote",
            )
        try:
            return self.remotes[chosen]
        except KeyError:
            known = ", ".join(self.remotes) or "none"
            raise ConfigError(
                f"no remote named {chosen!r} (remotes: {known})",
                hint="see `filmfs remote list`; add one with `filmfs remote add NAME URL`",
            ) from None


def read_raw(root: Path, *, local: bool = False) -> dict[str, Any]:
    """One config file as plain data ({} when absent)."""
    path = config_path(root, local=local)
    if not path.exists():
        return {}
    shown = os.path.relpath(path, root)
    document = parse(read_text(path, shown), shown)
    data = document.data
    if not isinstance(data, dict):
        raise ConfigError(f"{shown}:1:1: expected a mapping of settings")
    if not local:
        _grants_nothing(document, shown)
    problems = check(document, LOCAL_SCHEMA if local else SHARED_SCHEMA)
    if problems:
        raise ConfigError(str(min(problems)), hint=_SCHEMA_HINT[local])
    if not local:
        _remotes_are_urls(document, shown)
    return data


def allowed_protocols(root: Path) -> frozenset[str]:
    """The protocols this machine's local config opts in to, beyond :data:`SAFE_PROTOCOLS`."""
    return frozenset(read_raw(root, local=True).get(OPT_IN_KEY, []))


def private_hosts(root: Path) -> list[str]:
    """Loopback/private hosts or networks this machine lets a manifest's url reach."""
    return list(read_raw(root, local=True).get(PRIVATE_HOSTS_KEY, []))


def _grants_nothing(document: Document, shown: str) -> None:
    """The committed file cannot widen what this machine allows (module docstring)."""
    for key in (OPT_IN_KEY, PRIVATE_HOSTS_KEY):
        if key in document.data:
            line, col = document.where((key,), key=True)
            raise ConfigError(
                f"{shown}:{line}:{col}: {key} is only read from .filmfs/{LOCAL_FILE}",
                hint="a committed file cannot widen what this machine allows; move the key",
            )


def _remotes_are_urls(document: Document, shown: str) -> None:
    """A committed remote names a URL and nothing else (module docstring)."""
    for name, settings in document.data.get("remotes", {}).items():
        for key in settings:
            if key != "url":
                line, col = document.where(("remotes", name, key), key=True)
                raise ConfigError(
                    f"{shown}:{line}:{col}: remote {name!r}: option {key!r} is not allowed in "
                    "the committed config (only url is; a pull request could set the rest)",
                    hint=f"move it to .filmfs/{LOCAL_FILE} (`filmfs remote modify {name} "
                    f"{key} VALUE --local`) or set it in the environment",
                )


def write_raw(root: Path, data: Mapping[str, Any], *, local: bool = False) -> Path:
    path = config_path(root, local=local)
    body = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=1_000_000)
    atomic_write_text(path, _HEADER[path.name] + body)
    return path


def load_config(root: Path) -> Config:
    """The shared config with the local one merged over it."""
    shared, local = read_raw(root), read_raw(root, local=True)
    merged: dict[str, dict[str, Any]] = {}
    for source in (shared, local):
        for name, settings in source.get("remotes", {}).items():
            merged.setdefault(str(name), {}).update(settings)
    allowed: frozenset[str] = frozenset(local.get(OPT_IN_KEY, []))
    remotes = {}
    for name, settings in merged.items():
        url = settings.pop("url", None)
        if not isinstance(url, str) or not url:
            raise ConfigError(
                f"remote {name!r} has no url",
                hint=f"set one with `filmfs remote add {name} URL`",
            )
        try:
            check_protocols(url, allowed)
        except ConfigError as exc:
            raise ConfigError(f"remote {name!r}: {exc.message}", hint=exc.hint) from None
        remotes[name] = RemoteSpec(name, url, settings)
    default = local.get("default_remote", shared.get("default_remote"))
    return Config(remotes, str(default) if default else None)
