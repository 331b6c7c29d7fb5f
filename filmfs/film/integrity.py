"""Cross-file checks: what no single file's schema can see. Pure: reads only loaded data."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

from filmfs import layout
from filmfs.film.cut_rules import check_cut_rules
from filmfs.film.model import Character, Scene, Shot
from filmfs.film.take_checks import Checked, check_final_edit, check_takes
from filmfs.manifests.loader import Document
from filmfs.manifests.problems import Problem


class Project(Checked, Protocol):
    """What the checks read of a loaded film (:class:`filmfs.project.Project` provides it)."""

    scenes: dict[int, Scene]
    shots: dict[str, Shot]
    characters: dict[str, Character]
    documents: dict[Path, Document]
    unreadable_paths: list[Path]

    def contains(self, path: Path) -> bool: ...


def check_integrity(project: Project) -> list[Problem]:
    """Every cross-file problem of a loaded film."""
    found: list[Problem] = []
    _check_film(project, found)
    _check_scenes(project, found)
    for shot in project.shots.values():
        _check_shot(project, shot.shot_number, found)
    # Every shot folder's takes, also when its shot.yaml has errors: one pass shows all.
    for folder, takes in project.shot_takes.items():
        check_takes(project, folder, takes, found)
    check_final_edit(project, found)
    _check_library(project, found)
    _check_cycles(project, found)
    found.extend(check_cut_rules(project))
    return found


def _check_film(project: Project, found: list[Problem]) -> None:
    film = project.film
    if film is None or film.soundtrack is None:
        return
    _reference(project, found, film.path, ("soundtrack",), film.soundtrack, kinds={"audio"})


def _scene_documents(project: Project) -> list[tuple[Path, Document]]:
    # String work, not Path.parent: this looks at every document of a 40,000-file film.
    prefix = str(project.root / layout.SCENES_DIR) + os.sep
    return sorted(
        (p, d)
        for p, d in project.documents.items()
        if str(p).startswith(prefix) and os.sep not in str(p)[len(prefix) :]
    )


def _check_scenes(project: Project, found: list[Problem]) -> None:
    # Count shots whose file failed its schema too: their scene is not really empty.
    used = {
        doc.data.get("scene")
        for path, doc in project.documents.items()
        if path.name == layout.SHOT_FILE and isinstance(doc.data, dict)
    }
    first_file: dict[int, Path] = {}
    for path, doc in _scene_documents(project):
        number = doc.data.get("scene_number") if isinstance(doc.data, dict) else None
        if not isinstance(number, int) or isinstance(number, bool):
            continue
        if number in first_file:
            found.append(
                project.make_problem(
                    path,
                    f"scene_number {number} is also scenes/{first_file[number].name}; "
                    "each scene has one file",
                    at=("scene_number",),
                )
            )
        first_file.setdefault(number, path)
    for number, scene in project.scenes.items():
        # Any zero padding names the scene: scenes/1.yaml, 01.yaml and 001.yaml are scene 1.
        if not scene.path.stem.isdigit() or int(scene.path.stem) != number:
            found.append(
                project.make_problem(
                    scene.path,
                    f"scene_number {number} does not match the file name {scene.path.name}; "
                    f"rename it to scenes/{layout.scene_stem(number)}.yaml",
                    at=("scene_number",),
                )
            )
        if number not in used:
            found.append(project.make_problem(scene.path, "scene has no shots", severity="warning"))


def _missing_scene(project: Project, number: int) -> str:
    """Why scene ``number`` is not in the film: its file has errors, or there is none."""
    for path, doc in _scene_documents(project):
        named = path.stem.isdigit() and int(path.stem) == number
        data = doc.data if isinstance(doc.data, dict) else {}
        if named or data.get("scene_number") == number:
            return f"scene {number} is in scenes/{path.name}, which has errors (see them above)"
    for path in project.unreadable_paths:
        in_scenes = path.parent.name == layout.SCENES_DIR and path.stem.isdigit()
        if in_scenes and int(path.stem) == number:
            return f"scene {number} is in scenes/{path.name}, which cannot be read"
    return f"scene {number} does not exist (no scenes/{layout.scene_stem(number)}.yaml)"


def _check_shot(project: Project, shot_id: str, found: list[Problem]) -> None:
    shot = project.shots[shot_id]
    path = shot.path
    if shot.path.parent.name != shot.shot_number:
        found.append(
            project.make_problem(
                path,
                f"shot_number {shot.shot_number!r} does not match its folder "
                f"shots/{shot.path.parent.name}/; they must be the same",
                at=("shot_number",),
            )
        )
    if shot.scene is not None and shot.scene not in project.scenes:
        found.append(project.make_problem(path, _missing_scene(project, shot.scene), at=("scene",)))
    first = next(iter(project.shots)) == shot_id
    if first and shot.transition_in and shot.transition_in.kind != "cut":
        found.append(
            project.make_problem(
                path,
                "the film's first shot has no previous shot to transition from",
                at=("transition_in",),
                severity="warning",
            )
        )
    for index, char_id in enumerate(shot.characters):
        if char_id not in project.characters:
            found.append(
                project.make_problem(
                    path,
                    f"character {char_id!r} does not exist (no characters/{char_id}.yaml)",
                    at=("characters", index),
                )
            )
    for index, line in enumerate(shot.dialogue):
        if line.character not in project.characters:
            found.append(
                project.make_problem(
                    path,
                    f"dialogue speaker {line.character!r} does not exist "
                    f"(no characters/{line.character}.yaml)",
                    at=("dialogue", index, "character"),
                )
            )
    for index, asset_id in enumerate(shot.audio):
        _reference(project, found, path, ("audio", index), asset_id, kinds={"audio"})
    for index, asset_id in enumerate(shot.assets):
        _reference(project, found, path, ("assets", index), asset_id, kinds=None)
    _check_frames(project, shot_id, found)


def _check_frames(project: Project, shot_id: str, found: list[Problem]) -> None:
    """first_frame / last_frame name an image asset, or a neighbour that exists."""
    shot = project.shots[shot_id]
    if shot.first_frame is None and shot.last_frame is None:
        return  # most shots: no need for the film's order (building it per shot was O(n^2))
    order = [s.shot_number for s in project.shots.values() if s.status != "omitted"]
    for field, chain, step in (
        ("first_frame", "previous_shot", -1),
        ("last_frame", "next_shot", 1),
    ):
        value = getattr(shot, field)
        if isinstance(value, str):
            _reference(project, found, shot.path, (field,), value, kinds={"image"})
        elif value is not None and shot_id in order:
            index = order.index(shot_id) + step
            if not 0 <= index < len(order):
                where = "first" if step < 0 else "last"
                found.append(
                    project.make_problem(
                        shot.path,
                        f"{field} chains to the {chain.replace('_', ' ')}, but {shot_id} is the "
                        f"film's {where} shot",
                        at=(field, chain),
                    )
                )


def _check_library(project: Project, found: list[Problem]) -> None:
    for char_id, char in project.characters.items():
        _stem_matches(project, found, char.path, char_id)
        for index, ref in enumerate(char.references):
            _reference(project, found, char.path, ("references", index), ref, kinds={"image"})
        if char.variant_of and char.variant_of not in project.characters:
            found.append(
                project.make_problem(
                    char.path,
                    f"variant_of {char.variant_of!r}: no such character",
                    at=("variant_of",),
                )
            )
    for asset_id, asset in project.assets.items():
        _stem_matches(project, found, asset.path, asset_id)
        for field in ("derived_from", "variant_of"):
            target = getattr(asset, field)
            if target:
                _reference(project, found, asset.path, (field,), target, kinds=None)
        if asset.url and asset.url.startswith("file:"):
            try:
                local = Path(unquote(urlparse(asset.url).path))
            except ValueError as exc:  # "Invalid IPv6 URL"
                found.append(
                    project.make_problem(asset.path, f"url is not a valid URL ({exc})", at=("url",))
                )
                continue
            if not local.is_absolute():
                local = project.root / local
            if not project.contains(local):
                found.append(
                    project.make_problem(
                        asset.path,
                        "url points outside the film directory; refusing it",
                        at=("url",),
                    )
                )


def _stem_matches(project: Project, found: list[Problem], path: Path, ident: str) -> None:
    if path.stem != ident:
        found.append(
            project.make_problem(
                path,
                f"id {ident!r} does not match the file name {path.name}; they must be the same",
                at=("id",),
            )
        )


def _reference(
    project: Project,
    found: list[Problem],
    path: Path,
    at: tuple[str | int, ...],
    asset_id: str,
    *,
    kinds: set[str] | None,
) -> None:
    asset = project.assets.get(asset_id)
    if asset is None:
        found.append(
            project.make_problem(
                path, f"asset {asset_id!r} does not exist (no assets/{asset_id}.yaml)", at=at
            )
        )
    elif kinds is not None and asset.type not in kinds:
        wanted = " or ".join(sorted(kinds))
        found.append(
            project.make_problem(
                path, f"asset {asset_id!r} is {asset.type}, but {wanted} is needed here", at=at
            )
        )


def _check_cycles(project: Project, found: list[Problem]) -> None:
    variant = {a.id: [a.variant_of] for a in project.assets.values() if a.variant_of}
    derived = {a.id: [a.derived_from] for a in project.assets.values() if a.derived_from}
    chars = {c.id: [c.variant_of] for c in project.characters.values() if c.variant_of}
    for relation, edges, where in (
        ("variant_of", variant, {a.id: a.path for a in project.assets.values()}),
        ("derived_from", derived, {a.id: a.path for a in project.assets.values()}),
        ("variant_of", chars, {c.id: c.path for c in project.characters.values()}),
    ):
        for cycle in find_cycles(edges):
            found.append(
                project.make_problem(
                    where[cycle[0]],
                    f"{relation} forms a cycle: {' -> '.join([*cycle, cycle[0]])}",
                    at=(relation,),
                )
            )
    videos: dict[str, list[str]] = {}
    owner: dict[str, Path] = {}
    for shot in project.shots.values():
        for take in shot.takes:
            if take.video and take.video.derived_from:
                videos[take.video.sha256] = list(take.video.derived_from)
                owner[take.video.sha256] = take.path
    film = project.film
    if film and film.final_edit and film.final_edit.derived_from:
        videos[film.final_edit.sha256] = list(film.final_edit.derived_from)
        owner[film.final_edit.sha256] = film.path
    for cycle in find_cycles(videos):
        short = " -> ".join(sha[:12] for sha in [*cycle, cycle[0]])
        found.append(
            project.make_problem(
                owner[cycle[0]], f"derived_from forms a cycle: {short}", at=("video",)
            )
        )


def find_cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Each cycle once (rotated to start at its smallest node), by iterative depth-first search."""
    cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in sorted(edges):
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(iter(children), None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(child) == 1:
                cycle = path[path.index(child) :]
                low = cycle.index(min(cycle))
                cycles.add(tuple(cycle[low:] + cycle[:low]))
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(edges.get(child, ())))))
    return [list(c) for c in sorted(cycles)]
