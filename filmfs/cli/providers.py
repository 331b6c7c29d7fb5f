"""`filmfs providers [--format text|json]`: which providers exist, and whether each can run here."""

from __future__ import annotations

from dataclasses import dataclass

import click

from filmfs.cli.output import emit, format_option
from filmfs.providers import registry
from filmfs.providers.registry import PluginWarning, ProviderInfo


@dataclass(frozen=True)
class Providers:
    providers: list[ProviderInfo]
    warnings: list[PluginWarning]


def render_text(found: Providers) -> str:
    rows = [("NAME", "DEFAULT MODEL", "STATE", "SOURCE")]
    for info in found.providers:
        state = "ready" if info.configured else f"not configured: {info.reason}"
        rows.append((info.name, info.default_model or "-", state, info.source))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        for row in rows
    ]
    for warning in found.warnings:
        lines.append(
            f"warning: plugin {warning.name} ({warning.source}) skipped: {warning.message}"
        )
    return "\n".join(lines)


@click.command("providers")
@format_option()
def command(fmt: str) -> Providers:
    """List the generation providers: built-in and plugins, and what each one still needs.

    A provider is ready when its API key variable is set (testcard needs nothing). A plugin
    that fails to load is listed as a warning and skipped; it never stops filmfs.
    """
    found = registry.discover()
    return emit(Providers(found.available(), found.warnings), fmt, render_text)
