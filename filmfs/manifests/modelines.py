"""The ``# yaml-language-server: $schema=...`` line at the top of each manifest: found broken
(pointing at a file that is not there, e.g. a film copied away from the folder it named), and
repointed at the film's own copy of the schemas in .filmfs/schemas/."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from filmfs import layout
from filmfs.manifests.loader import Document, read_text
from filmfs.manifests.writer import atomic_write_text, ensure_schemas, modeline

FIX = "filmfs validate --fix-modelines"


def kind_of(root: Path, path: Path) -> str | None:
    """The schema kind of the manifest at ``path`` from where it sits in the film."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if parts == (layout.FILM_FILE,):
        return "film"
    top = {layout.SCENES_DIR: "scene", layout.CHARACTERS_DIR: "character"}
    top[layout.ASSETS_DIR] = "asset"
    if len(parts) == 2 and parts[0] in top:
        return top[parts[0]]
    if len(parts) == 3 and parts[0] == layout.SHOTS_DIR and parts[2] == layout.SHOT_FILE:
        return "shot"
    if len(parts) == 4 and parts[0] == layout.SHOTS_DIR and parts[2] == layout.TAKES_DIR:
        return "take"
    return None


def broken(documents: Mapping[Path, Document]) -> list[tuple[Path, str]]:
    """(path, where its modeline points) of every manifest whose schema file is not there."""
    found = []
    for path, document in documents.items():
        ref = document.schema_ref
        if ref and "://" not in ref and not (path.parent / ref).is_file():
            found.append((path, ref))
    return sorted(found)


def repoint(root: Path, paths: list[Path]) -> list[Path]:
    """Rewrite the modeline of each of ``paths`` to the schemas filmfs writes for this film
    (copied into .filmfs/schemas/ when missing); the rest of each file is kept byte for byte."""
    fixed = []
    for path in paths:
        kind = kind_of(root, path)
        if kind is None:
            continue
        ensure_schemas(root, kind)
        text = read_text(path, str(path))
        _, newline, rest = text.partition("\n")
        atomic_write_text(path, modeline(path, root, kind) + (rest if newline else ""))
        fixed.append(path)
    return fixed
