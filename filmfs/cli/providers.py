"""`filmfs providers [--json]`: which providers exist, and whether each can run here."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from filmfs.providers import capabilities, registry
from filmfs.providers.capabilities import ModelCaps
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


def render_models(names: list[str]) -> str:
    lines = []
    for name in names:
        caps = capabilities.for_provider(name)
        cancel = {"none": "no cancel", "cancel": "cancel", "delete": "delete"}[caps.cancel_how]
        lines.append(
            f"{name}: default {caps.default_model or '-'}; polls every {caps.poll_min:g}-"
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


def models_json(names: list[str]) -> str:
    out = []
    for name in names:
        caps = capabilities.for_provider(name)
        out.append(
            {
                "provider": name,
                "default_model": caps.default_model,
                "poll": {"min": caps.poll_min, "max": caps.poll_max},
                "create_retry": sorted(caps.create_retry),
                "cancel": {"how": caps.cancel_how, "refund": caps.refund},
                "reports_cost": caps.reports_cost,
                "models": [m.as_data() for m in caps.models.values()],
            }
        )
    return json.dumps({"providers": out}, indent=2)


@click.command("providers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for tools.")
@click.option(
    "--models",
    "with_models",
    is_flag=True,
    help="List each provider's models and what they accept: inputs, durations, ratios, "
    "image inputs, price.",
)
def command(as_json: bool, with_models: bool) -> None:
    """List the generation providers: built-in and plugins, and what each one still needs.

    A provider is ready when its API key variable is set (testcard needs nothing). A plugin
    that fails to load is listed as a warning and skipped; it never stops filmfs.
    """
    found = registry.discover()
    if with_models:
        click.echo((models_json if as_json else render_models)(found.names()))
        return
    infos = found.available()
    click.echo((render_json if as_json else render_text)(infos, found.warnings))
