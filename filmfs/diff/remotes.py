"""Remotes, before and after: a change of where media is pushed and pulled is its own line.

A pull request that points ``origin`` somewhere else changes where CI fetches media from and
sends it to; the reviewer must see that, not just the shots. Pure: takes the two config texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from filmfs.errors import ManifestError
from filmfs.manifests.loader import parse

DEFAULT = "default_remote"


@dataclass(frozen=True)
class RemoteChange:
    """Remote ``name``'s URL (or, for ``default_remote``, the default's name), old -> new;
    None where absent."""

    name: str
    old: str | None
    new: str | None


def remote_settings(text: str | None, display: str) -> dict[str, str]:
    """name -> url, and ``default_remote`` -> its name, read as plain data from a config."""
    if text is None:
        return {}
    try:
        data: Any = parse(text, display).data
    except ManifestError as exc:
        return {"(config)": f"does not parse: {exc.detail}"}
    if not isinstance(data, dict):
        return {"(config)": "not a mapping"}
    found = {}
    remotes = data.get("remotes")
    if isinstance(remotes, dict):
        for name, settings in remotes.items():
            url = settings.get("url") if isinstance(settings, dict) else None
            found[str(name)] = str(url) if url is not None else "(no url)"
    if data.get(DEFAULT) is not None:
        found[DEFAULT] = str(data[DEFAULT])
    return found


def compare_remotes(old: dict[str, str], new: dict[str, str]) -> tuple[RemoteChange, ...]:
    names = sorted(set(old) | set(new), key=lambda n: (n == DEFAULT, n))
    return tuple(
        RemoteChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )
