"""`filmfs providers [--json]`: which providers exist, and whether each can run here."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from filmfs.providers import registry
from filmfs.providers.registry import PluginWarning, ProviderInfo


def render_text(infos: list[ProviderInfo], warnings: list[PluginWarning]) -> str:
    rows = [("NAME", "DEFAULT MODEL", "STATE", "SOURCE")]
    for info in infos:
        state = "ready" if info.configured else f"not configured: {info.reason}"
        rows.append((info.name, info.default_model or "-", state, info.source))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        for row in rows
    ]
    for warning in warnings:
        lines.append(
            f"warning: plugin {warning.name} ({warning.source}) skipped: {warning.message}"
        )
    return "\n".join(lines)


def render_json(infos: list[ProviderInfo], warnings: list[PluginWarning]) -> str:
    return json.dumps(
        {
            "providers": [asdict(i) for i in infos],
            "warnings": [asdict(w) for w in warnings],
        },
        indent=2,
    )


@click.command("providers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for tools.")
def command(as_json: bool) -> None:
    """List the generation providers: built-in and plugins, and what each one still needs.

    A provider is ready when its API key variable is set (testcard needs nothing). A plugin
    that fails to load is listed as a warning and skipped; it never stops filmfs.
    """
    found = registry.discover()
    infos = found.available()
    click.echo((render_json if as_json else render_text)(infos, found.warnings))
