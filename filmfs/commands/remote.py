"""`filmfs remote add|list|remove|modify`: named media remotes in .filmfs/config.yaml."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from filmfs import layout
from filmfs.errors import NotAFilmError
from filmfs.manifests.config import (
    ConfigError,
    allowed_protocols,
    check_protocols,
    load_config,
    read_raw,
    write_raw,
)
from filmfs.store.remotes import check_url

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class RemoteRow:
    name: str
    url: str
    default: bool


def _film(root: Path) -> Path:
    if not layout.film_file(root).exists():
        raise NotAFilmError(
            f"{root}: not a film (no {layout.FILM_FILE})", hint="pass the film's directory with -C"
        )
    return root.resolve()


def _require(root: Path, name: str) -> None:
    """The remote must exist in one of the config files. Read raw, not merged, so a remote
    whose settings are broken (no url) can still be repaired or removed."""
    known = [
        str(key)
        for local in (False, True)
        for key in read_raw(root, local=local).get("remotes", {})
    ]
    if name not in known:
        raise ConfigError(
            f"no remote named {name!r} (remotes: {', '.join(dict.fromkeys(known)) or 'none'})",
            hint="see `filmfs remote list`; add one with `filmfs remote add NAME URL`",
        )


def stored_url(url: str, root: Path) -> str:
    """A relative local path is kept relative to the film (so clones share it), from the cwd."""
    if "://" in url or os.path.isabs(url):
        return url
    return os.path.relpath(os.path.abspath(url), root)


def add_remote(
    root: Path,
    *,
    name: str,
    url: str,
    default: bool = False,
    local: bool = False,
    force: bool = False,
) -> Path:
    """Add (or with ``force`` replace) a remote; returns the config file written."""
    root = _film(root)
    if not _NAME.fullmatch(name):
        raise ConfigError(f"bad remote name {name!r}: use letters, digits, '.', '_' and '-'")
    check_url(url)
    check_protocols(url, allowed_protocols(root))
    data = read_raw(root, local=local)
    remotes = data.setdefault("remotes", {})
    exists = any(name in read_raw(root, local=flag).get("remotes", {}) for flag in (False, True))
    if exists and not force:
        raise ConfigError(
            f"remote {name!r} already exists",
            hint="pass --force to replace it, or `filmfs remote remove` it first",
        )
    remotes[name] = {**remotes.get(name, {}), "url": stored_url(url, root)}
    if default:
        data["default_remote"] = name
    return write_raw(root, data, local=local)


def modify_remote(
    root: Path, *, name: str, option: str, value: object, local: bool = False
) -> Path:
    """Set (or with value None unset) one fsspec option of a remote, e.g. ``profile``."""
    root = _film(root)
    _require(root, name)
    if not option:
        raise ConfigError(
            "the option name is empty", hint="e.g. `filmfs remote modify NAME profile work`"
        )
    if option == "url":
        if value is None:
            raise ConfigError(
                "a remote cannot lose its url", hint=f"use `filmfs remote remove {name}`"
            )
        if not isinstance(value, str):
            raise ConfigError(f"the url must be text, not {value!r}")
        check_url(value)
        check_protocols(value, allowed_protocols(root))
        value = stored_url(value, root)
    elif not local:
        raise ConfigError(
            f"option {option!r} goes in .filmfs/config.local.yaml, not the committed config "
            "(a pull request could change what it does)",
            hint=f"pass --local: `filmfs remote modify {name} {option} VALUE --local`",
        )
    data = read_raw(root, local=local)
    settings = data.setdefault("remotes", {}).setdefault(name, {})
    if value is None:
        settings.pop(option, None)
    else:
        settings[option] = value
    return write_raw(root, data, local=local)


def remove_remote(root: Path, *, name: str) -> list[Path]:
    """Remove a remote from both config files; returns the files changed."""
    root = _film(root)
    _require(root, name)
    changed = []
    for local in (False, True):
        data = read_raw(root, local=local)
        touched = data.get("remotes", {}).pop(name, None) is not None
        if data.get("default_remote") == name:
            del data["default_remote"]
            touched = True
        if touched:
            changed.append(write_raw(root, data, local=local))
    return changed


def list_remotes(root: Path) -> list[RemoteRow]:
    config = load_config(_film(root))
    return [
        RemoteRow(spec.name, spec.url, spec.name == config.default_remote)
        for spec in config.remotes.values()
    ]
