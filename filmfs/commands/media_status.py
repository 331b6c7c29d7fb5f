"""`filmfs media status`: each referenced object, local and on the remote (`dvc status -c`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from filmfs.commands.pull import source_remote
from filmfs.project import Project
from filmfs.store.refs import transferable, workspace_references

State = Literal["ok", "not pushed", "missing locally", "missing everywhere"]
STATES: tuple[State, ...] = ("ok", "not pushed", "missing locally", "missing everywhere")


@dataclass(frozen=True)
class ObjectStatus:
    sha256: str
    local: bool
    remote: bool | None
    """None when no remote is configured."""
    url: str | None
    files: tuple[str, ...]
    state: State


@dataclass
class MediaStatus:
    remote: str | None
    objects: list[ObjectStatus] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(obj.state for obj in self.objects)
        return {state: found[state] for state in STATES}

    @property
    def ok(self) -> bool:
        return all(obj.state == "ok" for obj in self.objects)

    def as_dict(self) -> dict[str, Any]:
        return {
            "remote": self.remote,
            "ok": self.ok,
            "counts": self.counts(),
            "objects": [
                {
                    "sha256": o.sha256,
                    "state": o.state,
                    "local": o.local,
                    "remote": o.remote,
                    "url": o.url,
                    "files": list(o.files),
                }
                for o in self.objects
            ],
        }


def media_status(project: Project, *, remote: str | None = None) -> MediaStatus:
    store = project.store
    target = source_remote(project, remote)
    on_remote = target.list_objects() if target else None
    result = MediaStatus(remote=target.name if target else None)
    for sha, refs in transferable(workspace_references(project)).items():
        local = store.has(sha)
        there = None if on_remote is None else sha in on_remote
        url = next((ref.url for ref in refs if ref.url), None)
        state: State
        if local:
            state = "not pushed" if there is False else "ok"
        else:
            state = "missing locally" if there or url else "missing everywhere"
        files = tuple(dict.fromkeys(ref.file for ref in refs))
        result.objects.append(ObjectStatus(sha, local, there, url, files, state))
    return result
