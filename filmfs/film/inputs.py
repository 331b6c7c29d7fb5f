"""What a take is made from, and whether the selected take is still made from what the film
says now (staleness).

A shot's inputs are its parts: the prompt and negative prompt, the film's style, the provider,
model and params, each character's look (appearance text and reference images), and the first
and last frames (an image asset, or the neighbouring shot's selected take when the shot chains).
Each part is hashed on its own, so a take records ``inputs: {digest, parts}`` and a later
comparison can say *what* changed ("character mira's look", "first frame"), not only that
something did. The digest also covers the take's seed; the seed is the take's own and is not
compared part by part.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from filmfs.film.model import Asset, Character, Film, Shot, Take

CHAIN_PREVIOUS = "previous_shot"
CHAIN_NEXT = "next_shot"


class Loaded(Protocol):
    """What inputs are read from (a loaded :class:`filmfs.project.Project`)."""

    film: Film | None
    shots: dict[str, Shot]
    characters: dict[str, Character]
    assets: dict[str, Asset]


@dataclass(frozen=True)
class Image:
    """An image sent with a generation: a first or last frame, or a character reference.

    ``sha256`` is the image's own for an asset, or the neighbour's video for a chained frame
    (``frame`` says which end); ``None`` when it cannot be resolved yet (no selected take).
    """

    role: str  # "first_frame", "last_frame" or "reference"
    label: str  # for people: "asset mira-ref", "01A's last frame"
    sha256: str | None
    asset: str | None = None
    shot: str | None = None
    frame: str | None = None  # "first" or "last", for chained frames
    character: str | None = None


def _hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def neighbour(film: Loaded, shot: Shot, step: int) -> Shot | None:
    """The shot before (-1) or after (+1) ``shot`` in the cut, skipping omitted shots."""
    order = [s for s in film.shots.values() if s.status != "omitted" or s is shot]
    index = next(i for i, s in enumerate(order) if s.shot_number == shot.shot_number)
    other = index + step
    return order[other] if 0 <= other < len(order) else None


def _frame(film: Loaded, shot: Shot, role: str, value: Any) -> Image | None:
    if value is None:
        return None
    if isinstance(value, str):
        asset = film.assets.get(value)
        return Image(role, f"image {value}", asset.sha256 if asset else None, asset=value)
    if isinstance(value, Mapping) and CHAIN_PREVIOUS in value:
        other, end = neighbour(film, shot, -1), str(value[CHAIN_PREVIOUS]).removesuffix("_frame")
    elif isinstance(value, Mapping) and CHAIN_NEXT in value:
        other, end = neighbour(film, shot, +1), str(value[CHAIN_NEXT]).removesuffix("_frame")
    else:
        return None
    if other is None:
        return Image(role, "no neighbouring shot", None, frame=end)
    take = other.selected_take
    video = take.video.sha256 if take is not None and take.video is not None else None
    return Image(
        role, f"{other.shot_number}'s {end} frame", video, shot=other.shot_number, frame=end
    )


def images(film: Loaded, shot: Shot) -> tuple[Image, ...]:
    """The images a generation of ``shot`` sends, in a fixed order."""
    found = [
        _frame(film, shot, "first_frame", shot.first_frame),
        _frame(film, shot, "last_frame", shot.last_frame),
    ]
    for char_id in shot.characters:
        char = film.characters.get(char_id)
        for ref in char.references if char else ():
            asset = film.assets.get(ref)
            if asset is not None and asset.type == "image":
                found.append(
                    Image("reference", f"image {ref}", asset.sha256, asset=ref, character=char_id)
                )
    return tuple(image for image in found if image is not None)


@dataclass(frozen=True)
class Inputs:
    """The hashed parts of what a generation of a shot is made from."""

    parts: Mapping[str, str]

    def digest(self, seed: int | None) -> str:
        return _hash({"parts": dict(self.parts), "seed": seed})

    def as_data(self, seed: int | None) -> dict[str, Any]:
        """The take's ``inputs`` block."""
        return {"digest": self.digest(seed), "parts": dict(self.parts)}


def shot_inputs(
    film: Loaded,
    shot: Shot,
    *,
    provider: str,
    model: str,
    params: Mapping[str, Any] | None = None,
) -> Inputs:
    """The parts of ``shot``'s inputs as the film says now, for ``provider``/``model``."""
    parts: dict[str, str] = {
        "prompt": _hash(shot.prompt.strip()),
        "negative prompt": _hash(shot.negative_prompt or ""),
        "model": _hash({"provider": provider, "model": model, "params": dict(params or {})}),
    }
    style = str(film.film.defaults.get("style", "")).strip() if film.film else ""
    if style:
        parts["style"] = _hash(style)
    for char_id in shot.characters:
        char = film.characters.get(char_id)
        if char is not None:
            parts[f"character {char_id}'s look"] = _hash([char.name, char.appearance.strip()])
    for image in images(film, shot):
        key = {
            "first_frame": "first frame",
            "last_frame": "last frame",
            "reference": f"reference image {image.asset}",
        }[image.role]
        parts[key] = _hash([image.label, image.sha256])
    return Inputs(parts)


def recorded(take: Take) -> Inputs | None:
    """The inputs a take was made from, if it recorded them (takes made elsewhere do not)."""
    block = take.inputs
    if not isinstance(block, Mapping) or not isinstance(block.get("parts"), Mapping):
        return None
    return Inputs({str(k): str(v) for k, v in block["parts"].items()})


def changes(before: Inputs, now: Inputs) -> list[str]:
    """What differs, for people: ``["prompt", "character mira's look", "first frame"]``."""
    keys = list(dict.fromkeys([*now.parts, *before.parts]))
    return [key for key in keys if before.parts.get(key) != now.parts.get(key)]


def generation_choice(film: Loaded, shot: Shot, take: Take) -> tuple[str, str, Mapping[str, Any]]:
    """The provider, model and params to compare a take against: what the manifests choose
    now (the shot's, then the film's default provider), falling back to what made the take
    where they choose nothing; the shot's current params."""
    made = take.generation_params
    defaults = film.film.defaults if film.film else {}
    provider = str(shot.generation.get("provider") or defaults.get("provider") or "")
    model = str(shot.generation.get("model") or "")
    if not provider or provider == made.provider:
        provider = made.provider or provider
        model = model or made.model or ""
    return provider, model, dict(shot.generation.get("params") or {})


@dataclass(frozen=True)
class Staleness:
    shot: str
    attempt: int
    changed: tuple[str, ...]

    @property
    def stale(self) -> bool:
        return bool(self.changed)


def staleness(film: Loaded, shot: Shot) -> Staleness | None:
    """Whether ``shot``'s selected take was made from other inputs than the film has now;
    ``None`` when there is no selected take or it recorded no inputs."""
    take = shot.selected_take
    if take is None:
        return None
    before = recorded(take)
    if before is None:
        return None
    provider, model, params = generation_choice(film, shot, take)
    now = shot_inputs(film, shot, provider=provider, model=model, params=params)
    return Staleness(shot.shot_number, take.attempt_number, tuple(changes(before, now)))


def stale_parts(film: Loaded, shot_id: str) -> list[str] | None:
    """What changed since ``shot_id``'s selected take was made (empty: it is current), or
    ``None`` when that cannot be told (no selected take, or a take that recorded no inputs)."""
    shot = film.shots.get(shot_id)
    found = staleness(film, shot) if shot is not None else None
    return list(found.changed) if found is not None else None
