"""The two export targets: SQLite (stdlib) and PostgreSQL (psycopg 3, imported on demand).

Database errors are translated here into FilmfsErrors that name the database (never its
password) and the failing step.
"""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from filmfs.errors import FilmfsError
from filmfs.export.sql.export import (
    ASSET_COLUMNS,
    EDGE_COLUMNS,
    POSTGRES,
    SQLITE,
    asset_rows,
    drop_stage,
    edge_rows,
    statements,
    sync,
)
from filmfs.graph.model import Graph


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:  # unparseable (an unclosed IPv6 bracket): mask user:password@ by hand
        return re.sub(r"(://[^/@]*?:)[^/@]*@", r"\1***@", url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def sqlite_path(url: str) -> Path:
    """``sqlite:///film.db`` (relative to the working directory) or ``sqlite:////abs/film.db``."""
    rest = url.removeprefix("sqlite://")
    if not rest.startswith("/") or len(rest) < 2:
        raise FilmfsError(f"bad SQLite URL {url!r}", hint="write sqlite:///film.db")
    return Path(rest[1:])


def export(graph: Graph, url: str, workspace: str) -> dict[str, int]:
    """Export ``graph`` to the database at ``url`` in one transaction; returns row counts."""
    try:
        scheme = urlsplit(url).scheme
    except ValueError as exc:
        raise FilmfsError(
            f"bad database URL {redact(url)!r}: {exc}",
            hint="use sqlite:///film.db or postgresql://user@host/db",
        ) from None
    if scheme == "sqlite":
        return _sqlite(graph, sqlite_path(url), workspace)
    if scheme in ("postgresql", "postgres"):
        return _postgres(graph, url, workspace)
    raise FilmfsError(
        f"unsupported database URL {redact(url)!r}",
        hint="use sqlite:///film.db or postgresql://user@host/db",
    )


def _sqlite(graph: Graph, path: Path, workspace: str) -> dict[str, int]:
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise FilmfsError(f"cannot open SQLite database {path}: {exc}") from None
    try:
        cur = conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("BEGIN IMMEDIATE")
        for sql in statements(SQLITE):
            cur.execute(sql)
        marks = ", ".join("?" * len(ASSET_COLUMNS))
        # SQLite has no exact decimal: a cost goes in as its text and is stored NUMERIC.
        rows = [
            tuple(str(v) if isinstance(v, Decimal) else v for v in r) for r in asset_rows(graph)
        ]
        cur.executemany(f"INSERT INTO filmfs_stage_assets VALUES ({marks})", rows)
        marks = ", ".join("?" * len(EDGE_COLUMNS))
        cur.executemany(f"INSERT INTO filmfs_stage_edges VALUES ({marks})", edge_rows(graph))
        counts = sync(cur, SQLITE, workspace)
        drop_stage(cur, SQLITE)
        cur.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise FilmfsError(f"SQLite export to {path} failed: {exc}") from None
    finally:
        conn.close()
    return counts


def _postgres(graph: Graph, url: str, workspace: str) -> dict[str, int]:
    import psycopg

    try:
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            cur.execute("SET LOCAL client_min_messages = warning")  # quiet IF NOT EXISTS notices
            for sql in statements(POSTGRES):
                cur.execute(sql)
            _copy(cur, "filmfs_stage_assets", ASSET_COLUMNS, asset_rows(graph))
            _copy(cur, "filmfs_stage_edges", EDGE_COLUMNS, edge_rows(graph))
            counts = sync(cur, POSTGRES, workspace)
            drop_stage(cur, POSTGRES)
            # Leaving the `with` commits; an exception rolls everything back.
    except psycopg.Error as exc:
        raise FilmfsError(f"PostgreSQL export to {redact(url)} failed: {exc}".strip()) from None
    return counts


def _copy(cur: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
