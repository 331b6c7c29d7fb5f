"""SQL for the export (``filmfs export-sql``) and the shot-film model's queries over it.

``film_shots``, ``shot_characters``, ``selected_take_video`` and ``film_cost`` are the model's
four query patterns, verbatim; ``film_cost_total`` is the recursive query that gives the true
total (see its comment). Named parameters (``:film_id``) are bound with :func:`bind`.
"""

from __future__ import annotations

import re
from pathlib import Path

QUERIES = (
    "film_shots",
    "shot_characters",
    "selected_take_video",
    "film_cost",
    "film_cost_total",
)
_NAMED = re.compile(r"(?<![:\w]):([a-z_]+)\b")


def query(name: str) -> str:
    """The text of one of :data:`QUERIES`."""
    if name not in QUERIES:
        raise KeyError(name)
    return (Path(__file__).parent / f"{name}.sql").read_text("utf-8")


def bind(sql: str, dialect: str) -> str:
    """Rewrite ``:name`` parameters for psycopg (``%(name)s``); SQLite takes them as they are."""
    if dialect == "sqlite":
        return sql
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
