"""`filmfs export-sql [URL]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from filmfs.cli.options import film_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.export_sql import export_sql
from filmfs.commands.loaded import load


@click.command("export-sql")
@click.argument("url", default="sqlite:///film.db", required=False)
@film_option
@click.option("--workspace", help="workspace_id of the rows (default: the film folder's name).")
@format_option()
def command(url: str, root: Path, workspace: str | None, fmt: str) -> Any:
    """Export the film's assets and relationships to SQLite or PostgreSQL.

    URL is sqlite:///film.db (the default; relative to the working directory) or
    postgresql://user:password@host:port/db. Re-running upserts changed rows and removes rows
    the files no longer have, in one transaction.
    """
    return emit(export_sql(load(root), url=url, workspace=workspace), fmt, render)


def render(data: dict[str, Any]) -> str:
    return (
        f"{data['url']}: workspace {data['workspace']}, {data['assets']} assets, "
        f"{data['relationships']} relationships ({data['changed_assets']} assets and "
        f"{data['changed_relationships']} relationships written, {data['removed_assets']} "
        f"assets and {data['removed_relationships']} relationships removed) "
        f"in {data['seconds']:.2f}s\nfilm_id {data['film_id']}"
    )
