"""What a written manifest depends on, so a commit of it is a film (its references exist in
the same commit) and reproduces what was made from the working tree.

filmfs commits the manifests a write depends on together with it: a take generated from an
edited prompt is committed with that shot.yaml, a cut with every manifest it was cut from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from filmfs import layout, vcs
from filmfs.film.model import Asset, Character, Film, Scene, Shot

MANIFEST_PARTS = (
    layout.FILM_FILE,
    layout.SCENES_DIR,
    layout.SHOTS_DIR,
    layout.CHARACTERS_DIR,
    layout.ASSETS_DIR,
)


class Loaded(Protocol):
    """What is read of a loaded film (:class:`filmfs.project.Project` provides it)."""

    root: Path
    film: Film | None
    scenes: dict[int, Scene]
    shots: dict[str, Shot]
    characters: dict[str, Character]
    assets: dict[str, Asset]


def shot_dependencies(project: Loaded, shot_ids: Iterable[str]) -> list[Path]:
    """film.yaml and, for each shot, its shot.yaml, scene, characters and assets, following
    references (a character's images, an asset's derived_from and variant_of) to the end."""
    paths: dict[Path, None] = {layout.film_file(project.root): None}
    film = project.film
    todo: list[tuple[str, str]] = []  # ("asset" | "character", id), followed to the end
    if film is not None and film.soundtrack:
        todo.append(("asset", film.soundtrack))
    for shot_id in shot_ids:
        shot = project.shots.get(shot_id)
        if shot is None:
            continue
        paths[shot.path] = None
        scene = project.scenes.get(shot.scene) if shot.scene is not None else None
        if scene is not None:
            paths[scene.path] = None
        todo += [("character", c) for c in shot.characters]
        todo += [("asset", a) for a in (*shot.audio, *shot.assets)]
    seen: set[tuple[str, str]] = set()
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        kind, ident = item
        if kind == "character" and ident in project.characters:
            char = project.characters[ident]
            paths[char.path] = None
            todo += [("asset", a) for a in char.references]
            todo += [("character", c) for c in (char.variant_of,) if c]
        elif kind == "asset" and ident in project.assets:
            asset = project.assets[ident]
            paths[asset.path] = None
            todo += [("asset", a) for a in (asset.derived_from, asset.variant_of) if a]
    return list(paths)


def film_manifests_edited(root: Path) -> list[Path]:
    """Every manifest of the film that differs from HEAD (new, changed or deleted)."""
    return [
        path
        for path in vcs.uncommitted(root, [root / part for part in MANIFEST_PARTS])
        if path.suffix == ".yaml"
    ]
