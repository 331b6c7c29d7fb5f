"""The Python API: the shot-film model's asset-service operations, over a film's files.

``filmfs.open(path)`` returns a :class:`FilmRepo`. Assets get the graph's stable IDs
(:func:`filmfs.graph.model.stable_id`), so an ID from ``create_asset`` is the one every query,
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
from decimal import Decimal
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.api import links
from filmfs.api.state import Pending, RepoState
from filmfs.errors import FilmfsError
from filmfs.film.model import money
from filmfs.graph.model import ASSET_TYPES, RELATIONSHIP_TYPES, Graph, stable_id
from filmfs.manifests import edit as editing
from filmfs.manifests.problems import Problem
from filmfs.project import Project

_FIXED = {"shot_number", "scene_number", "attempt_number", "id", "type", "sha256"}


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64]
    if not slug:
        raise FilmfsError(f"cannot make an id from the name {name!r}; pass metadata['id']")
    return slug


class FilmRepo:
    """A film directory seen as assets and relationships (see the module docstring)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._state = RepoState(self.root, _project=Project.load(self.root))

    # --- state ---------------------------------------------------------------------------
    @property
    def project(self) -> Project:
        return self._state.project

    @property
    def graph(self) -> Graph:
        return self._state.graph

    @property
    def film_id(self) -> str:
        return self.graph.film_id

    def problems(self) -> list[Problem]:
        """Every load, schema and integrity problem of the film as it is on disk now."""
        return self.project.all_problems()

    def find(self, asset_type: str, key: str) -> str:
        """The ID of an asset by its handle: ``find("shot", "01A")``, ``find("audio", "rain")``."""
        node = self.graph.find(asset_type, key)
        if node is None:
            raise FilmfsError(f"no {asset_type} {key!r} in this film")
        return node.id

    # --- create --------------------------------------------------------------------------
    def create_asset(
        self,
        asset_type: str,
        name: str,
        metadata: dict[str, Any] | None = None,
        *,
        generation_cost: Decimal | float | str | None = None,
        url: str | None = None,
        duration: float | None = None,
        workspace_id: str | None = None,
    ) -> str:
        """Create an asset; returns its ID. ``workspace_id`` is accepted and ignored (the film
        is the workspace)."""
        meta = dict(metadata or {})
        cost = _cost(generation_cost)
        if cost is not None and asset_type != "shot_take":
            raise FilmfsError("only a shot_take has a generation_cost")
        if asset_type == "shot_take" or (asset_type == "video" and "id" not in meta):
            pending = Pending(str(uuid.uuid4()), asset_type, name, meta, cost, url, duration)
            self._state.pending[pending.id] = pending
            return pending.id
        path, data = self._new_file(asset_type, name, meta, url=url, duration=duration)
        editing.create(path, data, root=self.root, kind=editing.KIND[asset_type])
        self._state.changed()
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
            if not isinstance(shot_id, str) or not layout.SHOT_ID.fullmatch(shot_id):
                raise FilmfsError("a shot needs metadata['shot_number'] like '01A'")
            scene = meta.pop("scene", None) or self._scene_for(shot_id)
            placed = {"scene": scene} if scene is not None else {}
            return layout.shot_file(root, shot_id), {"shot_number": shot_id, **placed, **meta}
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
        raise FilmfsError(f"unknown asset type {kind!r} (one of {', '.join(ASSET_TYPES)})")

    def _scene_for(self, shot_id: str) -> int | None:
        digits = int(shot_id.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        scenes = list(self.project.scenes)
        if not scenes:
            return None  # a film without scenes: the shot hangs from the film
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
        parent, child = self._state.resolve(parent_asset_id), self._state.resolve(child_asset_id)
        links.link(self._state, parent, child, relationship_type, sequence)
        self._state.changed()

    # --- update --------------------------------------------------------------------------
    def update_asset(
        self,
        asset_id: str,
        metadata: dict[str, Any] | None = None,
        *,
        name: str | None = None,
        generation_cost: Decimal | float | str | None = None,
        url: str | None = None,
        duration: float | None = None,
    ) -> None:
        """Change an asset's fields. ``metadata`` keys are the manifest's field names."""
        changes = dict(metadata or {})
        cost = _cost(generation_cost)
        rid = self._state.resolve(asset_id)
        pending = self._state.pending.get(rid)
        if pending is not None:
            pending.metadata.update(changes)
            pending.name = name or pending.name
            if cost is not None:
                pending.generation_cost = cost
            pending.url = url or pending.url
            pending.duration = duration if duration is not None else pending.duration
            return
        node = self._state.node(rid)
        fixed = _FIXED & set(changes)
        if fixed:
            raise FilmfsError(
                f"{', '.join(sorted(fixed))} names the file and cannot change through update_asset"
            )
        links.update(
            self._state,
            node,
            changes,
            name=name,
            generation_cost=cost,
            url=url,
            duration=duration,
        )
        self._state.changed()

    # --- queries -------------------------------------------------------------------------
    def get_asset(self, asset_id: str) -> dict[str, Any]:
        rid = self._state.resolve(asset_id)
        if rid in self._state.pending:
            return self._state.pending[rid].as_dict()
        return self._state.node(rid).as_dict()

    def get_child_assets(
        self,
        parent_asset_id: str,
        relationship_type: str | None = None,
        asset_type: str | None = None,
    ) -> list[dict[str, Any]]:
        """Children of an asset, ordered by sequence, as plain dicts (``id``, ``metadata``...)."""
        parent = self._state.resolve(parent_asset_id)
        return [n.as_dict() for n in self.graph.children(parent, relationship_type, asset_type)]

    def get_parent_assets(
        self,
        child_asset_id: str,
        relationship_type: str | None = None,
        asset_type: str | None = None,
    ) -> list[dict[str, Any]]:
        child = self._state.resolve(child_asset_id)
        return [n.as_dict() for n in self.graph.parents(child, relationship_type, asset_type)]


def _cost(value: Decimal | float | str | None) -> Decimal | None:
    """A generation cost given to the API, as exact money (a float as written: 0.1 is 0.1)."""
    if value is None:
        return None
    amount = money(value)
    if amount is None or amount < 0:
        raise FilmfsError(f"generation_cost must be an amount of USD, 0 or more, not {value!r}")
    return amount
