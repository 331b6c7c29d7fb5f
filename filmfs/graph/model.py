"""The film as a typed relationship graph: the nine relationship types of the shot-film model.

Pure: built from an already-loaded :class:`~filmfs.project.Project` (no file is read again).
Nodes are assets of the model's types with stable IDs: a uuid5 of the manifest's path relative
to the film (``shots/01A/shot.yaml``), or of a video's sha256, so the same file gets the same ID
on every machine and in every export.

Direction follows the model's table: parent -> child. ``contains_shot`` is emitted twice per
shot: Film -> Shot (sequence = position in the whole film, 1..N; the model's first SQL query
reads it) and Scene -> Shot (sequence = position within the scene). ``derived_from`` and
``variant_of`` point from the edited or alternative version to its source. The film's
``soundtrack`` is a ``uses_audio`` edge from the film.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ASSET_TYPES = (
    "film",
    "scene",
    "shot",
    "shot_take",
    "video",
    "audio",
    "image",
    "text",
    "character_ref",
)
RELATIONSHIP_TYPES = (
    "contains_shot",
    "uses_character",
    "uses_audio",
    "uses_asset",
    "generation_attempt",
    "generated_video",
    "final_edit",
    "derived_from",
    "variant_of",
)

# Fixed forever: changing it changes every ID in every export.
NAMESPACE = uuid.UUID("6f1c7a52-3e0b-5d5e-9a57-0f11f5f11a15")


_NS = NAMESPACE.bytes


def stable_id(key: str) -> str:
    """The ID of the asset kept at ``key`` (a film-relative path, or ``video:<sha256>``).

    Equal to ``str(uuid.uuid5(NAMESPACE, key))`` (RFC 4122 section 4.3), computed without
    building UUID objects: a third of the graph's build time went there.
    """
    raw = bytearray(hashlib.sha1(_NS + key.encode("utf-8")).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = raw.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


@dataclass(frozen=True, slots=True)
class Node:
    """One asset: the columns of the model's ``assets_v2`` table, plus where it lives."""

    id: str
    type: str
    name: str
    metadata: Mapping[str, Any]
    source: str  # the manifest (film-relative) that holds it
    key: str = ""  # the human handle: shot number, character/asset id, sha256, ...
    url: str | None = None
    duration: float | None = None
    generation_cost: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "key": self.key,
            "source": self.source,
            "url": self.url,
            "duration": self.duration,
            "generation_cost": self.generation_cost,
            "metadata": dict(self.metadata),
        }


@dataclass(frozen=True, slots=True)
class Edge:
    parent: str
    child: str
    type: str
    sequence: int | None = None


@dataclass
class Graph:
    """Nodes by ID and edges indexed both ways; query with :meth:`children` and :meth:`parents`."""

    film_id: str = ""
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    # Edges by node, then by relationship type, each list kept in sequence order.
    _down: dict[str, dict[str, list[Edge]]] = field(default_factory=dict)
    _up: dict[str, dict[str, list[Edge]]] = field(default_factory=dict)

    def add(self, node: Node) -> str:
        if node.id not in self.nodes:
            self.nodes[node.id] = node
            self.by_key[(node.type, node.key)] = node.id
        return node.id

    def link(self, parent: str, child: str, kind: str, sequence: int | None = None) -> None:
        edge = Edge(parent, child, kind, sequence)
        self.edges.append(edge)
        for index, node in ((self._down, parent), (self._up, child)):
            bucket = index.setdefault(node, {}).setdefault(kind, [])
            bucket.append(edge)
            if len(bucket) > 1 and _order(bucket[-2]) > _order(edge):
                bucket.sort(key=_order)  # rare: the builder links in sequence order

    def find(self, asset_type: str, key: str) -> Node | None:
        """The node of a type by its human handle (e.g. ``find("shot", "01A")``)."""
        found = self.by_key.get((asset_type, key))
        return self.nodes[found] if found else None

    def children(
        self, parent: str, relationship_type: str | None = None, asset_type: str | None = None
    ) -> list[Node]:
        """Children of ``parent``, ordered by sequence (unsequenced ones in insertion order)."""
        nodes = self.nodes
        found = [nodes[e.child] for e in _pick(self._down, parent, relationship_type)]
        return found if asset_type is None else [n for n in found if n.type == asset_type]

    def parents(
        self, child: str, relationship_type: str | None = None, asset_type: str | None = None
    ) -> list[Node]:
        nodes = self.nodes
        found = [nodes[e.parent] for e in _pick(self._up, child, relationship_type)]
        return found if asset_type is None else [n for n in found if n.type == asset_type]

    def edges_from(self, parent: str, relationship_type: str | None = None) -> list[Edge]:
        return list(_pick(self._down, parent, relationship_type))


def _order(edge: Edge) -> tuple[bool, int]:
    return (edge.sequence is None, edge.sequence or 0)


_NONE: list[Edge] = []


def _pick(index: dict[str, dict[str, list[Edge]]], node: str, kind: str | None) -> list[Edge]:
    by_type = index.get(node)
    if by_type is None:
        return _NONE
    if kind is not None:
        return by_type.get(kind, _NONE)
    if len(by_type) == 1:
        return next(iter(by_type.values()))
    return sorted((e for edges in by_type.values() for e in edges), key=_order)
