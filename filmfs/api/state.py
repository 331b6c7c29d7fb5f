"""What the Python API holds between calls: the loaded film, its graph, and takes and videos
not yet placed in a file. :class:`~filmfs.api.repo.FilmRepo` and :mod:`filmfs.api.links`
share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from filmfs.errors import FilmfsError
from filmfs.graph.build import build_graph
from filmfs.graph.model import Graph, Node
from filmfs.project import Project


@dataclass
class Pending:
    id: str
    type: str
    name: str
    metadata: dict[str, Any]
    generation_cost: Decimal | None = None
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


@dataclass
class RepoState:
    """The film under the API, reloaded lazily after each write."""

    root: Path
    pending: dict[str, Pending] = field(default_factory=dict)
    alias: dict[str, str] = field(default_factory=dict)
    _project: Project | None = None
    _graph: Graph | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            self._project = Project.load(self.root)
        return self._project

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = build_graph(self.project)
        return self._graph

    def changed(self) -> None:
        self._project = None
        self._graph = None

    def resolve(self, asset_id: str) -> str:
        while asset_id in self.alias:
            asset_id = self.alias[asset_id]
        return asset_id

    def node(self, asset_id: str, *types: str) -> Node:
        node = self.graph.nodes.get(self.resolve(asset_id))
        if node is None:
            if self.resolve(asset_id) in self.pending:
                raise FilmfsError(
                    f"asset {asset_id} is not placed in the film yet",
                    hint="link it first (generation_attempt, generated_video)",
                )
            raise FilmfsError(f"no asset {asset_id} in this film")
        if types and node.type not in types:
            raise FilmfsError(f"{node.name} is a {node.type}; expected {' or '.join(types)}")
        return node

    def path(self, node: Node) -> Path:
        return self.root / node.source
