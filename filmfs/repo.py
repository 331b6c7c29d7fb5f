"""The Python API: the shot-film model's asset-service operations, over a film's files.

``filmfs.open(path)`` returns a :class:`FilmRepo`. Assets get the graph's stable IDs
(:func:`filmfs.graph.stable_id`), so an ID from ``create_asset`` is the one every query,
export and other machine sees. Where an asset lives follows the film's layout:

* a shot is ``shots/<ID>/shot.yaml`` as soon as it is created; a scene, character or library
  asset (audio, image, text, or a video with an ``id``) likewise gets its own file;
* a take is held in memory until ``generation_attempt`` links it to its shot, then becomes
  ``shots/<ID>/takes/<NNN>.yaml``; a video until ``generated_video`` (the take's ``video``
  block) or ``final_edit`` (film.yaml's ``final_edit``) places it. Their IDs then change to the
  stable ones; the provisional IDs keep working on this object.

Every write is schema-checked first and atomic. Selecting a take unselects the shot's other
takes, so the film stays valid after every call.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmfs import editing, layout
from filmfs import graph as graphs
from filmfs.errors import FilmfsError
from filmfs.graph import RELATIONSHIP_TYPES, Graph, Node, stable_id
from filmfs.project import Project
from filmfs.report import Problem

_FIXED = {"shot_number", "scene_number", "attempt_number", "id", "type", "sha256"}


@dataclass
class _Pending:
    id: str
    type: str
    name: str
    metadata: dict[str, Any]
    generation_cost: float | None = None
    url: str | None = None
    duration: float | None = None
    video: dict[str, Any] | None = None  # a take's video block, once linked
    video_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "url": self.url,
            "duration": self.duration,
            "generation_cost": self.generation_cost,
            "metadata": dict(self.metadata),
            "source": None,
        }


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64]
    if not slug:
        raise FilmfsError(f"cannot make an id from the name {name!r}; pass metadata['id']")
    return slug


class FilmRepo:
    """A film directory seen as assets and relationships (see the module docstring)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._project: Project | None = Project.load(self.root)
        self._graph: Graph | None = None
        self._pending: dict[str, _Pending] = {}
        self._alias: dict[str, str] = {}

    # --- state ---------------------------------------------------------------------------
    @property
    def project(self) -> Project:
        if self._project is None:
            self._project = Project.load(self.root)
        return self._project

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = graphs.build(self.project)
        return self._graph

    @property
    def film_id(self) -> str:
        return self.graph.film_id

    def _changed(self) -> None:
        self._project = None
        self._graph = None

    def problems(self) -> list[Problem]:
        """Every load, schema and integrity problem of the film as it is on disk now."""
        return self.project.all_problems()

    def find(self, asset_type: str, key: str) -> str:
        """The ID of an asset by its handle: ``find("shot", "01A")``, ``find("audio", "rain")``."""
        node = self.graph.find(asset_type, key)
        if node is None:
            raise FilmfsError(f"no {asset_type} {key!r} in this film")
        return node.id

    def _resolve(self, asset_id: str) -> str:
        while asset_id in self._alias:
            asset_id = self._alias[asset_id]
        return asset_id

    def _node(self, asset_id: str, *types: str) -> Node:
        node = self.graph.nodes.get(self._resolve(asset_id))
        if node is None:
            if self._resolve(asset_id) in self._pending:
                raise FilmfsError(
                    f"asset {asset_id} is not placed in the film yet",
                    hint="link it first (generation_attempt, generated_video)",
                )
            raise FilmfsError(f"no asset {asset_id} in this film")
        if types and node.type not in types:
            raise FilmfsError(f"{node.name} is a {node.type}; expected {' or '.join(types)}")
        return node

    def _path(self, node: Node) -> Path:
        return self.root / node.source

    # --- create --------------------------------------------------------------------------
    def create_asset(
        self,
        asset_type: str,
        name: str,
        metadata: dict[str, Any] | None = None,
        *,
        generation_cost: float | None = None,
        url: str | None = None,
        duration: float | None = None,
        workspace_id: str | None = None,
    ) -> str:
        """Create an asset; returns its ID. ``workspace_id`` is accepted and ignored (the film
        is the workspace)."""
        meta = dict(metadata or {})
        if generation_cost is not None and asset_type != "shot_take":
            raise FilmfsError("only a shot_take has a generation_cost")
        if asset_type == "shot_take" or (asset_type == "video" and "id" not in meta):
            pending = _Pending(
                str(uuid.uuid4()), asset_type, name, meta, generation_cost, url, duration
            )
            self._pending[pending.id] = pending
            return pending.id
        path, data = self._new_file(asset_type, name, meta, url=url, duration=duration)
        editing.create(path, data, root=self.root, kind=editing.KIND[asset_type])
        self._changed()
        return stable_id(path.relative_to(self.root).as_posix())

    def _new_file(
        self,
        kind: str,
        name: str,
        meta: dict[str, Any],
        *,
        url: str | None,
        duration: float | None,
    ) -> tuple[Path, dict[str, Any]]:
        root = self.root
        if kind == "scene":
            number = meta.get("scene_number")
            if not isinstance(number, int):
                raise FilmfsError("a scene needs metadata['scene_number'] (a whole number)")
            return layout.scene_file(root, number), {"heading": name, **meta}
        if kind == "shot":
            shot_id = meta.get("shot_number")
            if not isinstance(shot_id, str) or not layout.SHOT_ID.match(shot_id):
                raise FilmfsError("a shot needs metadata['shot_number'] like '01A'")
            scene = meta.pop("scene", None) or self._scene_for(shot_id)
            return layout.shot_file(root, shot_id), {"shot_number": shot_id, "scene": scene, **meta}
        ident = str(meta.pop("id", None) or _slug(name))
        if kind == "character_ref":
            return layout.character_file(root, ident), {"id": ident, "name": name, **meta}
        if kind in ("audio", "image", "text", "video"):
            data = {"id": ident, "type": kind, "name": name, **meta}
            if url is not None:
                data["url"] = url
            if duration is not None:
                data["duration"] = duration
            return layout.asset_file(root, ident), data
        if kind == "film":
            hint = "use update_asset(repo.film_id, ...)"
            raise FilmfsError("this film exists already", hint=hint)
        raise FilmfsError(f"unknown asset type {kind!r} (one of {', '.join(graphs.ASSET_TYPES)})")

    def _scene_for(self, shot_id: str) -> int:
        digits = int(shot_id.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        scenes = list(self.project.scenes)
        if digits in scenes:
            return digits
        if len(scenes) == 1:
            return scenes[0]
        raise FilmfsError(f"which scene is shot {shot_id} in?", hint="pass metadata['scene']")

    # --- relationships -------------------------------------------------------------------
    def create_relationship(
        self,
        parent_asset_id: str,
        child_asset_id: str,
        relationship_type: str,
        sequence: int | None = None,
    ) -> None:
        """Link two assets by writing the manifest field that carries the relationship."""
        if relationship_type not in RELATIONSHIP_TYPES:
            raise FilmfsError(
                f"unknown relationship type {relationship_type!r} "
                f"(one of {', '.join(RELATIONSHIP_TYPES)})"
            )
        from filmfs import linking

        parent, child = self._resolve(parent_asset_id), self._resolve(child_asset_id)
        linking.link(self, parent, child, relationship_type, sequence)
        self._changed()

    # --- update --------------------------------------------------------------------------
    def update_asset(
        self,
        asset_id: str,
        metadata: dict[str, Any] | None = None,
        *,
        name: str | None = None,
        generation_cost: float | None = None,
        url: str | None = None,
        duration: float | None = None,
    ) -> None:
        """Change an asset's fields. ``metadata`` keys are the manifest's field names."""
        from filmfs import linking

        changes = dict(metadata or {})
        rid = self._resolve(asset_id)
        pending = self._pending.get(rid)
        if pending is not None:
            pending.metadata.update(changes)
            pending.name = name or pending.name
            if generation_cost is not None:
                pending.generation_cost = generation_cost
            pending.url = url or pending.url
            pending.duration = duration if duration is not None else pending.duration
            return
        node = self._node(rid)
        fixed = _FIXED & set(changes)
        if fixed:
            raise FilmfsError(
                f"{', '.join(sorted(fixed))} names the file and cannot change through update_asset"
            )
        linking.update(
            self,
            node,
            changes,
            name=name,
            generation_cost=generation_cost,
            url=url,
            duration=duration,
        )
        self._changed()

    # --- queries -------------------------------------------------------------------------
    def get_asset(self, asset_id: str) -> dict[str, Any]:
        rid = self._resolve(asset_id)
        if rid in self._pending:
            return self._pending[rid].as_dict()
        return self._node(rid).as_dict()

    def get_child_assets(
        self,
        parent_asset_id: str,
        relationship_type: str | None = None,
        asset_type: str | None = None,
    ) -> list[dict[str, Any]]:
        """Children of an asset, ordered by sequence, as plain dicts (``id``, ``metadata``...)."""
        parent = self._resolve(parent_asset_id)
        return [n.as_dict() for n in self.graph.children(parent, relationship_type, asset_type)]

    def get_parent_assets(
        self,
        child_asset_id: str,
        relationship_type: str | None = None,
        asset_type: str | None = None,
    ) -> list[dict[str, Any]]:
        child = self._resolve(child_asset_id)
        return [n.as_dict() for n in self.graph.parents(child, relationship_type, asset_type)]
