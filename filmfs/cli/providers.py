"""`filmfs providers [--models] [--format text|json]`: which providers exist, whether each can
run here, and (``--models``) what each model accepts and costs."""

from __future__ import annotations

from dataclasses import dataclass

import click

from filmfs.cli.output import emit, format_option
from filmfs.providers import capabilities, registry
from filmfs.providers.capabilities import ModelCaps, ProviderCaps
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


@dataclass(frozen=True)
class Models:
    providers: list[ProviderCaps]


def _seconds(caps: ModelCaps) -> str:
    if caps.durations is None:
        return "any length"
    return "/".join(str(d) for d in caps.durations) + " s"


def _ratios(values: tuple[str, ...] | None) -> str:
    return "any ratio" if values is None else ",".join(values)


def _price(caps: ModelCaps) -> str:
    price = caps.price
    if price is None:
        return "price unknown"
    if price.table:
        text = " ".join(f"{k} ${v}" for k, v in price.table.items())
    elif price.per_second is not None:
        text = f"${price.per_second}/s"
    else:
        text = f"${price.per_video}/video"
    if price.audio_per_second:
        text += f" (+${price.audio_per_second}/s audio)"
    return text


def model_line(caps: ModelCaps, default: bool) -> str:
    """One model's capabilities on one line."""
    takes = [name for name in ("seed", "negative_prompt", "audio") if getattr(caps, name)]
    images = [name for name in ("first_frame", "last_frame") if getattr(caps, name)]
    if caps.reference_images:
        images.append(f"{caps.reference_images} reference(s) as {caps.reference_field}")
    prompt = f"prompt <= {caps.prompt_max} {caps.prompt_unit}" if caps.prompt_max else "prompt"
    parts = [
        f"{caps.model}{' (default)' if default else ''}",
        "+".join(sorted(caps.modes, reverse=True)) + "-to-video",
        _seconds(caps),
        _ratios(caps.ratios),
        prompt,
        "takes " + (", ".join(takes) or "no seed, no negative prompt"),
        "images: " + (", ".join(images) + f" ({caps.image_transport})" if images else "none"),
        _price(caps) + (f" [{caps.price_source}]" if caps.price_source else ""),
    ]
    if caps.deprecated:
        parts.append(f"DEPRECATED: {caps.deprecated}")
    return "  " + "; ".join(parts)


def render_models(found: Models) -> str:
    lines = []
    for caps in found.providers:
        cancel = {"none": "no cancel", "cancel": "cancel", "delete": "delete"}[caps.cancel_how]
        lines.append(
            f"{caps.name}: default {caps.default_model or '-'}; polls every {caps.poll_min:g}-"
            f"{caps.poll_max:g} s; create re-sent only after HTTP "
            + (",".join(str(s) for s in sorted(caps.create_retry)) or "nothing")
            + f"; {cancel} ({caps.refund})"
            + ("; reports its cost" if caps.reports_cost else "; cost is an estimate")
        )
        if not caps.models:
            lines.append("  (no capability data: a plugin; nothing is checked before a run)")
        for model in caps.models.values():
            lines.append(model_line(model, model.model == caps.default_model))
    return "\n".join(lines)


@click.command("providers")
@click.option(
    "--models",
    "with_models",
    is_flag=True,
    help="List each provider's models and what they accept: inputs, durations, ratios, "
    "image inputs, price.",
)
@format_option()
def command(fmt: str, with_models: bool) -> Providers | Models:
    """List the generation providers: built-in and plugins, and what each one still needs.

    A provider is ready when its API key variable is set (testcard needs nothing). A plugin
    that fails to load is listed as a warning and skipped; it never stops filmfs.
    """
    found = registry.discover()
    if with_models:
        models = Models([capabilities.for_provider(name) for name in found.names()])
        return emit(models, fmt, render_models)
    return emit(Providers(found.available(), found.warnings), fmt, render_text)
