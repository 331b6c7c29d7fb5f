"""`filmfs export-sql`: the film's graph into the model's SQL tables."""

from __future__ import annotations

import time
from typing import Any

from filmfs.commands.loaded import Loaded
from filmfs.export.sql.backends import export, redact, sqlite_path
from filmfs.manifests.writer import check_output


def export_sql(loaded: Loaded, *, url: str, workspace: str | None = None) -> dict[str, Any]:
    """Upsert every asset and relationship, remove the ones the files no longer have."""
    workspace = workspace or loaded.project.root.name
    if url.startswith("sqlite:"):
        check_output(loaded.project.root, sqlite_path(url))
    started = time.perf_counter()
    counts = export(loaded.graph, url, workspace)
    return {
        "url": redact(url),
        "workspace": workspace,
        "film_id": loaded.graph.film_id,
        "assets": len(loaded.graph.nodes),
        "relationships": len({(e.parent, e.child, e.type) for e in loaded.graph.edges}),
        **counts,
        "seconds": round(time.perf_counter() - started, 3),
    }
