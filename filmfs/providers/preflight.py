"""Checking a shot against its model before anything is sent or spent, and fitting it.

:func:`plan` takes what a shot asks for (prompt, negative prompt, seed, length, frame size,
image inputs) and a model's :class:`~filmfs.providers.capabilities.ModelCaps`, and returns a
:class:`Plan`: exactly what will be sent (only the inputs the model takes), the price estimate,
what was changed to fit (for the take's record) and the issues that stop the shot. How to fit
is the film's choice (:class:`Fit`): by default nothing is changed silently and a shot that
does not fit is refused with a message saying what the model accepts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from filmfs.providers.capabilities import ModelCaps, ratio_value

DurationFit = Literal["refuse", "nearest", "longer"]
RatioFit = Literal["refuse", "pad", "crop"]
PromptFit = Literal["refuse", "truncate"]
InputFit = Literal["refuse", "drop"]


@dataclass(frozen=True)
class Fit:
    """How the film lets filmfs fit a shot to a model (``generation.fit`` / ``defaults.fit``).

    ``duration``: ``nearest`` snaps to the nearest length the model offers (a tie goes to the
    longer), ``longer`` to the shortest length at least as long (the cut trims it). ``ratio``:
    ``pad`` or ``crop`` generate the model's nearest ratio, and the take says which the film
    wants. ``prompt``: ``truncate`` cuts it to the model's limit. ``inputs``: ``drop`` leaves
    out inputs the model does not take (negative prompt, seed, audio) instead of refusing.
    """

    duration: DurationFit = "refuse"
    ratio: RatioFit = "refuse"
    prompt: PromptFit = "refuse"
    inputs: InputFit = "refuse"

    @classmethod
    def from_data(cls, *layers: Any) -> Fit:
        """The fit from ``defaults.fit`` then ``generation.fit`` (later layers win)."""
        merged: dict[str, Any] = {}
        for layer in layers:
            if isinstance(layer, dict):
                merged.update({k: v for k, v in layer.items() if isinstance(v, str)})
        return cls(**{k: v for k, v in merged.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Issue:
    """Why a shot cannot go to its model: ``field`` is the shot field at fault."""

    field: str
    message: str


@dataclass(frozen=True)
class Plan:
    """What will be asked of the model for one take, and what it will cost."""

    caps: ModelCaps
    mode: Literal["text", "image"]
    prompt: str
    negative_prompt: str | None
    seed: int | None
    seconds: int | None
    """The length asked for (None when the model takes no duration and makes its own)."""
    resolution: str | None
    ratio: str | None
    audio: bool | None
    adjustments: tuple[str, ...]
    issues: tuple[Issue, ...]
    estimate: Decimal | None

    @property
    def ok(self) -> bool:
        return not self.issues

    def common_inputs(self) -> dict[str, Any]:
        """The inputs named alike by the services that take a flat input object (fal,
        Replicate): the prompt, and the seed and negative prompt when there are any."""
        inputs: dict[str, Any] = {"prompt": self.prompt}
        if self.seed is not None:
            inputs["seed"] = self.seed
        if self.negative_prompt:
            inputs["negative_prompt"] = self.negative_prompt
        return inputs

    def refusal(self) -> str:
        """All issues as one sentence, for an error message."""
        return "; ".join(issue.message for issue in self.issues)


def _name(caps: ModelCaps) -> str:
    return f"{caps.provider}/{caps.model}"


def _choose_duration(
    caps: ModelCaps, want: float, fit: Fit, issues: list[Issue], notes: list[str]
) -> int | None:
    offered = caps.durations
    if offered is None:
        return None
    if any(want == d for d in offered):
        return int(want)
    listed = "/".join(str(d) for d in offered)
    if fit.duration == "refuse":
        issues.append(
            Issue(
                "duration_target",
                f"duration_target {want:g} s is not offered by {_name(caps)} ({listed} s); "
                "change it, or set generation.fit.duration: nearest (or longer)",
            )
        )
        return None
    if fit.duration == "longer":
        chosen = next((d for d in sorted(offered) if d >= want), max(offered))
    else:
        chosen = min(sorted(offered, reverse=True), key=lambda d: abs(d - want))
    notes.append(
        f"duration {want:g} s -> {chosen} s ({fit.duration}; {_name(caps)} makes {listed} s)"
    )
    return chosen


def _choose_ratio(
    caps: ModelCaps,
    width: int,
    height: int,
    first_frame: bool,
    fit: Fit,
    issues: list[Issue],
    notes: list[str],
) -> str | None:
    allowed = caps.ratios_for(first_frame=first_frame)
    if allowed is None:
        return None
    want = Fraction(width, height)
    exact = [r for r in allowed if ratio_value(r) == want]
    if exact:
        # Several sizes of one ratio (Runway 1280:720, 1920:1080): the largest within the film.
        def size(r: str) -> int:
            return int(r.split(":")[0])

        fitting = [r for r in exact if size(r) <= width]
        return max(fitting, key=size) if fitting else min(exact, key=size)
    listed = ", ".join(allowed)
    if fit.ratio == "refuse":
        issues.append(
            Issue(
                "format",
                f"the film's {width}x{height} frame is a ratio {_name(caps)} does not make "
                f"({listed}); set generation.fit.ratio: pad or crop, or use another model",
            )
        )
        return None
    # Nearest by log distance, so 2:1 and 1:2 are equally far from 1:1.
    chosen = min(allowed, key=lambda r: abs(math.log(ratio_value(r) / want)))
    # The note says what the cut does with it (GenerationParams.crops reads it back).
    notes.append(f"ratio {width}:{height} -> {chosen} ({fit.ratio} to the film's frame)")
    return chosen


def _choose_resolution(caps: ModelCaps, short: int, seconds: int | None) -> str | None:
    if not caps.resolutions:
        return None
    usable = [r for r in caps.resolutions if seconds is None or seconds in r.durations]
    if not usable:
        return None
    big_enough = [r for r in usable if r.short_side >= short]
    pick = (
        min(big_enough, key=lambda r: r.short_side)
        if big_enough
        else max(usable, key=lambda r: r.short_side)
    )
    return pick.name


def plan(
    caps: ModelCaps,
    *,
    prompt: str,
    negative_prompt: str | None,
    seed: int | None,
    seed_chosen: bool,
    duration: float,
    width: int,
    height: int,
    fit: Fit,
    first_frame: bool = False,
    last_frame: bool = False,
    reference_images: int = 0,
    audio: bool | None = None,
) -> Plan:
    """Check one shot against ``caps`` and fit it as ``fit`` allows.

    ``seed_chosen`` says the seed was set by the user (``--seed``, ``generation.seed``): a
    model without a seed then refuses the shot, where filmfs's own derived seed is just not
    sent (and not recorded).
    """
    issues: list[Issue] = []
    notes: list[str] = []
    name = _name(caps)
    mode: Literal["text", "image"] = "image" if first_frame else "text"
    if mode not in caps.modes:
        if mode == "text":
            issues.append(
                Issue("generation", f"{name} is image-to-video only: the shot needs a first_frame")
            )
        elif caps.first_frame:
            issues.append(Issue("first_frame", f"{name} takes no image-to-video"))
    if first_frame and not caps.first_frame:
        issues.append(Issue("first_frame", f"{name} takes no first frame"))
    if last_frame and not caps.last_frame:
        issues.append(Issue("last_frame", f"{name} takes no last frame"))
    if reference_images > caps.reference_images:
        takes = caps.reference_images or "none"
        if fit.inputs == "drop":
            notes.append(
                f"{reference_images - caps.reference_images} reference image(s) not "
                f"sent ({name} takes {takes})"
            )
        else:
            issues.append(
                Issue(
                    "references",
                    f"{reference_images} reference image(s) from the shot's characters; {name} "
                    f"takes {takes}; set generation.fit.inputs: drop to leave them out",
                )
            )
    if caps.prompt_max is not None and caps.prompt_length(prompt) > caps.prompt_max:
        length = caps.prompt_length(prompt)
        unit = "UTF-16 units" if caps.prompt_unit == "utf16" else "characters"
        if fit.prompt == "truncate":
            prompt = _truncate(prompt, caps)
            notes.append(f"prompt {length} -> {caps.prompt_max} {unit} (truncated)")
        else:
            issues.append(
                Issue(
                    "prompt",
                    f"the prompt is {length} {unit} (with characters and style); {name} takes "
                    f"at most {caps.prompt_max}; shorten it or set generation.fit.prompt: truncate",
                )
            )
    if negative_prompt and not caps.negative_prompt:
        if fit.inputs == "drop":
            notes.append(f"negative prompt not sent ({name} takes none)")
        else:
            issues.append(
                Issue(
                    "negative_prompt",
                    f"{name} takes no negative prompt; remove it (shot or film defaults) or "
                    "set generation.fit.inputs: drop",
                )
            )
        negative_prompt = None
    if seed is not None and not caps.seed:
        if seed_chosen and fit.inputs != "drop":
            issues.append(Issue("seed", f"{name} takes no seed; a seed would reproduce nothing"))
        elif seed_chosen:
            notes.append(f"seed not sent ({name} takes none)")
        seed = None
    if audio and not caps.audio:
        if fit.inputs == "drop":
            notes.append(f"audio not asked for ({name} makes none)")
        else:
            issues.append(Issue("generation", f"{name} makes no audio"))
        audio = None
    seconds = _choose_duration(caps, duration, fit, issues, notes)
    ratio = _choose_ratio(caps, width, height, first_frame, fit, issues, notes)
    resolution = _choose_resolution(caps, min(width, height), seconds)
    if caps.resolutions and resolution is None and seconds is not None:
        issues.append(
            Issue("duration_target", f"{name} makes {seconds} s at no resolution it offers")
        )
    billed = seconds if seconds is not None else (caps.durations[0] if caps.durations else None)
    estimate = None
    if caps.price is not None:
        with_audio = audio if audio is not None else caps.audio  # the provider's default is on
        estimate = caps.price.estimate(
            seconds=billed if billed is not None else Decimal(str(duration)),
            resolution=resolution,
            audio=bool(with_audio),
        )
    return Plan(
        caps=caps,
        mode=mode,
        prompt=prompt,
        negative_prompt=negative_prompt,
        seed=seed,
        seconds=seconds if caps.duration_sent else None,
        resolution=resolution,
        ratio=ratio,
        audio=audio,
        adjustments=tuple(notes),
        issues=tuple(issues),
        estimate=estimate,
    )


def _truncate(prompt: str, caps: ModelCaps) -> str:
    limit = caps.prompt_max or len(prompt)
    out = prompt[:limit]
    while caps.prompt_length(out) > limit:
        out = out[:-1]
    return out
