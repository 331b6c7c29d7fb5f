"""Which media objects the manifests reference, in the working tree or in any commit.

Every mapping with a ``sha256`` key names an object: a take's ``video``, an asset, film.yaml's
``final_edit``. A ``url`` next to it is another place to fetch it from. The sha256 values in
``derived_from`` lists are provenance: garbage collection keeps them, transfers do not need
them. Documents are walked as plain data, so a manifest with a schema error still counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from filmfs import vcs
from filmfs.errors import FilmfsError, ManifestError
from filmfs.manifests.loader import Document, load, parse
from filmfs.manifests.problems import Problem
from filmfs.store.objects import is_sha256


class Manifests(Protocol):
    """What reference walking reads of a loaded film (:class:`filmfs.project.Project`)."""

    @property
    def root(self) -> Path: ...
    @property
    def documents(self) -> Mapping[Path, Document]: ...
    @property
    def unreadable(self) -> list[Problem]: ...


@dataclass(frozen=True)
class Reference:
    sha256: str
    file: str
    """The manifest, relative to the film's directory."""
    field: str
    """Where in it, e.g. ``video.sha256``."""
    url: str | None = None
    size: int | None = None
    provenance: bool = False
    """A ``derived_from`` entry: kept by gc, never transferred."""


def document_references(file: str, data: Any, at: tuple[str, ...] = ()) -> Iterator[Reference]:
    """Every reference in one parsed manifest."""
    if isinstance(data, dict):
        sha = data.get("sha256")
        if isinstance(sha, str) and is_sha256(sha):
            url, size = data.get("url"), data.get("size")
            yield Reference(
                sha,
                file,
                ".".join((*at, "sha256")),
                url if isinstance(url, str) else None,
                size if isinstance(size, int) and not isinstance(size, bool) else None,
            )
        for key, value in data.items():
            if key == "derived_from" and isinstance(value, list):
                for item in value:
                    if isinstance(item, str) and is_sha256(item):
                        yield Reference(item, file, ".".join((*at, key)), provenance=True)
            else:
                yield from document_references(file, value, (*at, str(key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from document_references(file, item, (*at, str(index)))


def workspace_references(project: Manifests) -> list[Reference]:
    """References of the manifests in the working tree.

    A manifest that does not parse stops the caller: its media would silently look
    unreferenced (not pushed, not pulled, "0 objects: ok").
    """
    if project.unreadable:
        listed = "\n".join(f"  {problem}" for problem in project.unreadable[:20])
        raise FilmfsError(
            f"cannot tell which media these manifests reference:\n{listed}",
            hint="fix them (see `filmfs validate`), then run this again",
        )
    found: list[Reference] = []
    for path, document in project.documents.items():
        found.extend(document_references(path.relative_to(project.root).as_posix(), document.data))
    return found


def tree_references(root: Path) -> list[Reference]:
    """References of every YAML file under ``root`` (hidden folders aside), for deletion.

    Wider than :func:`workspace_references`: a manifest in an unexpected place still
    protects its media, and one that does not parse stops the caller instead of letting
    its media look unreferenced.
    """
    found: list[Reference] = []
    for path in sorted(root.rglob("*.y*ml")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        try:
            data = load(path, rel.as_posix()).data
        except ManifestError as exc:
            raise FilmfsError(
                f"{exc}: cannot tell which media it references; nothing was deleted",
                hint="fix the file (see `filmfs validate`), then run gc again",
            ) from None
        found.extend(document_references(rel.as_posix(), data))
    return found


def history_references(project: Manifests) -> Iterator[Reference]:
    """References of the manifests in every commit of the film's repository.

    Each distinct file version is parsed once; versions that no longer parse are skipped
    (they cannot name an object anyone could still need).
    """
    for file, text in vcs.iter_history_files(project.root, suffix=".yaml"):
        try:
            data = parse(text, file).data
        except ManifestError:
            continue
        yield from document_references(file, data)


def transferable(references: Iterable[Reference]) -> dict[str, list[Reference]]:
    """sha256 -> its references, leaving out provenance-only ones, in first-seen order."""
    grouped: dict[str, list[Reference]] = {}
    for ref in references:
        if not ref.provenance:
            grouped.setdefault(ref.sha256, []).append(ref)
    return grouped
