"""What each provider's models accept and cost, as data (``capabilities.yaml``).

The YAML beside this module is the one place that knows, per provider and model: which inputs
the model takes (prompt length in the provider's units, negative prompt, seed, audio), the
durations, ratios and resolutions it makes, its image inputs (first frame, last frame,
reference images and how images travel), its price formula (USD as Decimal), how often to poll
it, and after which answers a create request may be sent again. The file's shape is
``capabilities.schema.json`` (:func:`check`). A model the file does not list gets its provider's
conservative ``unknown_model`` entry and a warning; a provider it does not list (a plugin)
gets :data:`PERMISSIVE`, which checks nothing.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import yaml

HERE = Path(__file__).resolve().parent
Mode = Literal["text", "image"]
Transport = Literal["url", "data_uri", "upload", "none"]


@dataclass(frozen=True)
class Resolution:
    """A named output size (``768P``, ``1080p``, ``4k``) by its short side, and its durations."""

    name: str
    short_side: int
    durations: tuple[int, ...]


@dataclass(frozen=True)
class Price:
    """A price formula in USD: flat per video, per second, or a table keyed ``RES/SECONDS``."""

    per_video: Decimal | None = None
    per_second: Decimal | None = None
    table: Mapping[str, Decimal] = field(default_factory=dict)
    audio_per_second: Decimal = Decimal(0)

    def estimate(
        self, *, seconds: int | Decimal, resolution: str | None, audio: bool
    ) -> Decimal | None:
        """USD for one video of ``seconds`` at ``resolution``; None when there is no entry."""
        secs = Decimal(seconds)
        extra = self.audio_per_second * secs if audio else Decimal(0)
        if self.table:
            price = self.table.get(f"{resolution}/{seconds}")
            return None if price is None else price + extra
        if self.per_second is not None:
            return self.per_second * secs + extra
        if self.per_video is not None:
            return self.per_video + extra
        return None


@dataclass(frozen=True)
class ModelCaps:
    """What one model accepts. ``durations``/``ratios`` None mean "any"."""

    provider: str
    model: str
    known: bool
    """False for a model missing from the capability file (its provider's defaults apply)."""
    modes: frozenset[str]
    prompt_max: int | None
    prompt_unit: Literal["chars", "utf16"]
    negative_prompt: bool
    seed: bool
    audio: bool
    durations: tuple[int, ...] | None
    duration_sent: bool
    duration_format: Literal["int", "string", "seconds_suffix"]
    ratios: tuple[str, ...] | None
    image_ratios: tuple[str, ...] | None
    resolutions: tuple[Resolution, ...]
    first_frame: bool
    last_frame: bool
    reference_images: int
    reference_field: str | None
    first_frame_field: str | None
    last_frame_field: str | None
    image_transport: Transport
    price: Price | None
    price_source: str
    deprecated: str | None = None

    @property
    def text_to_video(self) -> bool:
        return "text" in self.modes

    @property
    def image_to_video(self) -> bool:
        return "image" in self.modes

    def prompt_length(self, text: str) -> int:
        """``text``'s length in the provider's unit (Runway counts UTF-16 code units)."""
        if self.prompt_unit == "utf16":
            return len(text.encode("utf-16-le")) // 2
        return len(text)

    def ratios_for(self, *, first_frame: bool) -> tuple[str, ...] | None:
        return self.image_ratios if first_frame else self.ratios

    def as_data(self) -> dict[str, Any]:
        """A JSON-ready description, for ``filmfs providers --models``."""
        price = self.price
        return {
            "provider": self.provider,
            "model": self.model,
            "known": self.known,
            "modes": sorted(self.modes),
            "prompt": {"max": self.prompt_max, "unit": self.prompt_unit},
            "negative_prompt": self.negative_prompt,
            "seed": self.seed,
            "audio": self.audio,
            "durations": list(self.durations) if self.durations is not None else "any",
            "ratios": list(self.ratios) if self.ratios is not None else "any",
            "image_ratios": list(self.image_ratios) if self.image_ratios is not None else "any",
            "resolutions": {r.name: list(r.durations) for r in self.resolutions},
            "first_frame": self.first_frame,
            "last_frame": self.last_frame,
            "reference_images": self.reference_images,
            "reference_field": self.reference_field,
            "image_transport": self.image_transport,
            "price": None
            if price is None
            else {
                "per_video": _money(price.per_video),
                "per_second": _money(price.per_second),
                "table": {k: str(v) for k, v in price.table.items()},
                "audio_per_second": _money(price.audio_per_second),
            },
            "price_source": self.price_source,
            "deprecated": self.deprecated,
        }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class ProviderCaps:
    """A provider's models, its fallback for unknown ones, and how to drive its tasks."""

    name: str
    default_model: str
    poll_min: float
    poll_max: float
    create_retry: frozenset[int]
    """HTTP statuses after which a create may be re-sent: answers meaning nothing was created."""
    cancel_how: Literal["none", "cancel", "delete"]
    refund: str
    """What the service says happens to the money of a cancelled task, for the user."""
    reports_cost: bool
    models: Mapping[str, ModelCaps]
    remote: bool
    unknown: ModelCaps

    def model(self, name: str | None) -> ModelCaps:
        """The capabilities of ``name`` (default model when None); unknown -> conservative."""
        name = name or self.default_model
        found = self.models.get(name) or self.models.get(name.partition(":")[0])
        if found is not None:
            return found if found.model == name else replace(found, model=name)
        return replace(self.unknown, model=name)

    def warning(self, model: str) -> str | None:
        """Why ``model``'s capabilities are a guess or stale, or None."""
        caps = self.model(model)
        if not caps.known and self.models:
            return (
                f"{self.name} model {model!r} is not in filmfs's capability list; "
                "conservative defaults apply (no seed, no negative prompt, "
                f"{_list(caps.durations)} s, ratios {_list(caps.ratios)}); known models: "
                + ", ".join(sorted(self.models))
            )
        if caps.deprecated:
            return f"{self.name} model {model!r}: {caps.deprecated}"
        return None


def _list(values: tuple[Any, ...] | None) -> str:
    return "any" if values is None else "/".join(str(v) for v in values)


def _model(provider: str, name: str, raw: Mapping[str, Any], *, known: bool) -> ModelCaps:
    def opt_tuple(key: str, default: Any = None) -> tuple[Any, ...] | None:
        value = raw.get(key, default)
        return None if value in (None, "any") else tuple(value)

    price_raw = raw.get("price")
    price = None
    if price_raw:
        price = Price(
            per_video=Decimal(price_raw["per_video"]) if "per_video" in price_raw else None,
            per_second=Decimal(price_raw["per_second"]) if "per_second" in price_raw else None,
            table={k: Decimal(v) for k, v in (price_raw.get("table") or {}).items()},
            audio_per_second=Decimal(price_raw.get("audio_per_second", "0")),
        )
    ratios = opt_tuple("ratios")
    resolutions = tuple(
        Resolution(res, int(spec["short_side"]), tuple(spec["durations"]))
        for res, spec in (raw.get("resolutions") or {}).items()
    )
    return ModelCaps(
        provider=provider,
        model=name,
        known=known,
        modes=frozenset(raw["modes"]),
        prompt_max=raw["prompt"]["max"],
        prompt_unit=raw["prompt"]["unit"],
        negative_prompt=bool(raw["negative_prompt"]),
        seed=bool(raw["seed"]),
        audio=bool(raw["audio"]),
        durations=opt_tuple("durations"),
        duration_sent=bool(raw.get("duration_sent", True)),
        duration_format=raw.get("duration_format", "int"),
        ratios=ratios,
        image_ratios=opt_tuple("image_ratios", raw.get("ratios")),
        resolutions=resolutions,
        first_frame=bool(raw["first_frame"]),
        last_frame=bool(raw["last_frame"]),
        reference_images=int(raw["reference_images"]),
        reference_field=raw.get("reference_field"),
        first_frame_field=raw.get("first_frame_field"),
        last_frame_field=raw.get("last_frame_field"),
        image_transport=raw["image_transport"],
        price=price,
        price_source=str(raw.get("price_source", "")),
        deprecated=raw.get("deprecated"),
    )


def parse(data: Mapping[str, Any]) -> dict[str, ProviderCaps]:
    """Build the capability objects from the (schema-checked) YAML data."""
    found = {}
    for name, raw in data["providers"].items():
        found[name] = ProviderCaps(
            name=name,
            default_model=raw["default_model"],
            poll_min=float(raw["poll"]["min"]),
            poll_max=float(raw["poll"]["max"]),
            create_retry=frozenset(raw["create_retry"]),
            cancel_how=raw["cancel"]["how"],
            refund=raw["cancel"]["refund"],
            reports_cost=bool(raw["reports_cost"]),
            models={
                model: _model(name, model, spec, known=True)
                for model, spec in raw["models"].items()
            },
            unknown=_model(name, "?", raw["unknown_model"], known=False),
            remote=bool(raw.get("remote", True)),
        )
    return found


def check(data: Any) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` matches the capability schema."""
    import jsonschema  # only when loading the package's own data

    schema = json.loads((HERE / "capabilities.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)


@functools.cache
def load() -> dict[str, ProviderCaps]:
    """The capabilities shipped with filmfs, by provider name (cached).

    The file is package data, checked against the schema by the test suite
    (tests/providers/test_capabilities.py), so ``validate`` does not pay for a schema check.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return parse(yaml.load((HERE / "capabilities.yaml").read_text("utf-8"), Loader=loader))


PERMISSIVE_MODEL = ModelCaps(
    provider="?",
    model="?",
    known=False,
    modes=frozenset({"text", "image"}),
    prompt_max=None,
    prompt_unit="chars",
    negative_prompt=True,
    seed=True,
    audio=False,
    durations=None,
    duration_sent=True,
    duration_format="int",
    ratios=None,
    image_ratios=None,
    resolutions=(),
    first_frame=True,
    last_frame=True,
    reference_images=0,
    reference_field=None,
    first_frame_field=None,
    last_frame_field=None,
    image_transport="url",
    price=None,
    price_source="unknown (a provider filmfs has no capability data for)",
)


def for_provider(name: str, *, default_model: str = "") -> ProviderCaps:
    """The capabilities of provider ``name``; a plugin gets :data:`PERMISSIVE_MODEL` for all."""
    found = load().get(name)
    if found is not None:
        return found
    unknown = replace(PERMISSIVE_MODEL, provider=name)
    return ProviderCaps(
        name=name,
        default_model=default_model,
        poll_min=0.5,
        poll_max=15.0,
        create_retry=frozenset({429}),
        cancel_how="cancel",
        refund="unknown",
        reports_cost=False,
        models={},
        unknown=unknown,
        remote=True,
    )


def ratio_value(ratio: str) -> Fraction:
    """``"1280:720"`` or ``"16:9"`` as an exact fraction."""
    w, _, h = ratio.partition(":")
    return Fraction(int(w), int(h))
