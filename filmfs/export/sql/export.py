"""Exporting the relationship graph to the model's two tables, on SQLite or PostgreSQL.

One transaction: the graph is bulk-loaded into temporary staging tables (executemany on
SQLite, COPY on PostgreSQL), then four set-based statements shared by both dialects remove
what the files no longer have and upsert the rest. Rows that did not change keep their
``updated_at``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from filmfs.graph.model import Graph


@dataclass(frozen=True)
class Dialect:
    name: str
    id: str  # column type of asset ids
    json: str
    time: str
    real: str
    money: str  # exact decimal where the database has one
    distinct: str  # null-safe "differs"
    now: str
    param: str
    temp: str  # the schema of temporary tables: a DROP can never reach a user's own table


SQLITE = Dialect(
    "sqlite", "TEXT", "TEXT", "TEXT", "REAL", "NUMERIC", "IS NOT", "CURRENT_TIMESTAMP", "?", "temp"
)
POSTGRES = Dialect(
    "postgresql",
    "UUID",
    "JSONB",
    "TIMESTAMPTZ",
    "DOUBLE PRECISION",
    "NUMERIC",
    "IS DISTINCT FROM",
    "now()",
    "%s",
    "pg_temp",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS assets_v2 (
  id {d.id} PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  url TEXT,
  duration {d.real},
  generation_cost {d.money},
  metadata {d.json} NOT NULL,
  created_at {d.time} NOT NULL DEFAULT {d.now},
  updated_at {d.time} NOT NULL DEFAULT {d.now}
);
CREATE INDEX IF NOT EXISTS assets_v2_workspace_type ON assets_v2 (workspace_id, type);
CREATE TABLE IF NOT EXISTS asset_relationships (
  parent_asset_id {d.id} NOT NULL REFERENCES assets_v2 (id) ON DELETE CASCADE,
  child_asset_id {d.id} NOT NULL REFERENCES assets_v2 (id) ON DELETE CASCADE,
  relationship_type TEXT NOT NULL,
  sequence INTEGER,
  PRIMARY KEY (parent_asset_id, child_asset_id, relationship_type)
);
CREATE INDEX IF NOT EXISTS asset_relationships_child
  ON asset_relationships (child_asset_id, relationship_type);
DROP TABLE IF EXISTS {d.temp}.filmfs_stage_assets;
DROP TABLE IF EXISTS {d.temp}.filmfs_stage_edges;
CREATE TEMP TABLE filmfs_stage_assets (
  id {d.id} PRIMARY KEY, type TEXT, name TEXT, url TEXT, duration {d.real},
  generation_cost {d.money}, metadata {d.json}
);
CREATE TEMP TABLE filmfs_stage_edges (
  parent {d.id}, child {d.id}, relationship_type TEXT, sequence INTEGER,
  PRIMARY KEY (parent, child, relationship_type)
)
"""

ASSET_COLUMNS = ("id", "type", "name", "url", "duration", "generation_cost", "metadata")
EDGE_COLUMNS = ("parent", "child", "relationship_type", "sequence")

# (label, statement); {p} is the workspace parameter. Edges go first so no row points at a
# removed asset; inserts after deletes.
SYNC = (
    (
        "removed_relationships",
        """
DELETE FROM asset_relationships
WHERE parent_asset_id IN (SELECT id FROM assets_v2 WHERE workspace_id = {p})
  AND NOT EXISTS (
    SELECT 1 FROM filmfs_stage_edges s
    WHERE s.parent = asset_relationships.parent_asset_id
      AND s.child = asset_relationships.child_asset_id
      AND s.relationship_type = asset_relationships.relationship_type)""",
    ),
    (
        "removed_assets",
        """
DELETE FROM assets_v2
WHERE workspace_id = {p} AND id NOT IN (SELECT id FROM filmfs_stage_assets)""",
    ),
    (
        "changed_assets",
        """
INSERT INTO assets_v2 (id, workspace_id, type, name, url, duration, generation_cost, metadata)
SELECT id, {p}, type, name, url, duration, generation_cost, metadata
FROM filmfs_stage_assets WHERE true
ON CONFLICT (id) DO UPDATE SET
  workspace_id = excluded.workspace_id, type = excluded.type, name = excluded.name,
  url = excluded.url, duration = excluded.duration, generation_cost = excluded.generation_cost,
  metadata = excluded.metadata, updated_at = {d.now}
WHERE assets_v2.workspace_id {d.distinct} excluded.workspace_id
   OR assets_v2.type {d.distinct} excluded.type OR assets_v2.name {d.distinct} excluded.name
   OR assets_v2.url {d.distinct} excluded.url
   OR assets_v2.duration {d.distinct} excluded.duration
   OR assets_v2.generation_cost {d.distinct} excluded.generation_cost
   OR assets_v2.metadata {d.distinct} excluded.metadata""",
    ),
    (
        "changed_relationships",
        """
INSERT INTO asset_relationships (parent_asset_id, child_asset_id, relationship_type, sequence)
SELECT parent, child, relationship_type, sequence FROM filmfs_stage_edges WHERE true
ON CONFLICT (parent_asset_id, child_asset_id, relationship_type) DO UPDATE SET
  sequence = excluded.sequence
WHERE asset_relationships.sequence {d.distinct} excluded.sequence""",
    ),
)


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: Any, params: Sequence[Any] = ..., /) -> Any: ...


def asset_rows(graph: Graph) -> list[tuple[Any, ...]]:
    return [
        (
            n.id,
            n.type,
            n.name,
            n.url,
            n.duration,
            n.generation_cost,
            json.dumps(n.metadata, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        )
        for n in graph.nodes.values()
    ]


def edge_rows(graph: Graph) -> list[tuple[Any, ...]]:
    unique = {(e.parent, e.child, e.type): e.sequence for e in graph.edges}
    return [(p, c, t, s) for (p, c, t), s in unique.items()]


def statements(dialect: Dialect) -> Iterable[str]:
    return (s.strip() for s in SCHEMA.format(d=dialect).split(";") if s.strip())


def drop_stage(cursor: Cursor, dialect: Dialect) -> None:
    for table in ("filmfs_stage_assets", "filmfs_stage_edges"):
        cursor.execute(f"DROP TABLE {dialect.temp}.{table}")


def sync(cursor: Cursor, dialect: Dialect, workspace: str) -> dict[str, int]:
    """Apply the staged rows; returns how many rows each step touched."""
    counts = {}
    for label, sql in SYNC:
        uses = sql.count("{p}")
        cursor.execute(sql.format(d=dialect, p=dialect.param), (workspace,) * uses)
        counts[label] = max(cursor.rowcount, 0)
    return counts
