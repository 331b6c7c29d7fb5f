"""Film settings: ``.filmfs/config.yaml`` (committed) and ``config.local.yaml`` (git-ignored).

Like DVC's ``.dvc/config`` and ``config.local``: what every clone shares (remote names, URLs,
the default remote) is committed; secrets and per-machine overrides (credentials, a local
mirror's path) stay in the local file, which ``filmfs init`` git-ignores. The local file is
merged over the shared one, key by key::

    default_remote: storage
    remotes:
      storage:
        url: s3://my-bucket/films/harbour
        # any other key is passed to the fsspec filesystem (profile, endpoint_url, ...)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.manifests.loader import parse, read_text
from filmfs.manifests.writer import atomic_write_text

SHARED_FILE = "config.yaml"
LOCAL_FILE = "config.local.yaml"
_HEADER = {
    SHARED_FILE: "# filmfs settings shared through Git; secrets go in config.local.yaml\n",
    LOCAL_FILE: "# filmfs settings of this machine only (git-ignored): secrets, overrides\n",
}


class ConfigError(FilmfsError):
    """A config file is unreadable or names something that does not exist."""


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
    remotes = data.get("remotes", {})
    bad = (
        ("remotes",)
        if not isinstance(remotes, dict)
        else next((("remotes", k) for k, v in remotes.items() if not isinstance(v, dict)), None)
    )
    if bad is not None:
        line, col = document.where(bad)
        raise ConfigError(
            f"{shown}:{line}:{col}: `remotes` must map each name to its settings (url: ...)"
        )
    default = data.get("default_remote")
    if default is not None and not isinstance(default, str):
        line, col = document.where(("default_remote",))
        raise ConfigError(f"{shown}:{line}:{col}: default_remote must be a remote's name")
    return data


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
    remotes = {}
    for name, settings in merged.items():
        url = settings.pop("url", None)
        if not isinstance(url, str) or not url:
            raise ConfigError(
                f"remote {name!r} has no url",
                hint=f"set one with `filmfs remote add {name} URL`",
            )
        remotes[name] = RemoteSpec(name, url, settings)
    default = local.get("default_remote", shared.get("default_remote"))
    return Config(remotes, str(default) if default else None)
