"""The film's parts as frozen value objects, built from schema-valid manifest data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, get_args

from filmfs.errors import FilmfsError
from filmfs.film.rate import parse_rate, rate_data


def number(value: float, digits: int = 3) -> float | int:
    """A float for a manifest: rounded, and written as an integer when it is one (24, not 24.0)."""
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


@dataclass(frozen=True)
class Format:
    """The film's picture (film.yaml ``format``), which every cut is conformed to: every
    piece of the cut is this size, at exactly this rate (a Fraction: 24000/1001, not 23.976).

    Audio is not part of it: a cut's sound is always AAC 48 kHz stereo.
    """

    width: int
    height: int
    fps: Fraction

    def __post_init__(self) -> None:
        # Callers may pass 24 or "24000/1001"; the value held is always the exact Fraction.
        object.__setattr__(self, "fps", parse_rate(self.fps))

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Format:
        return cls(int(data["width"]), int(data["height"]), parse_rate(data["fps"]))

    def key(self) -> str:
        return f"{self.width}x{self.height}@{self.fps}"

    @property
    def frame(self) -> Fraction:
        """Seconds one frame lasts."""
        return 1 / self.fps


TransitionKind = Literal["cut", "crossfade", "fade"]
TRANSITION_KINDS: tuple[str, ...] = get_args(TransitionKind)


@dataclass(frozen=True)
class Transition:
    """How the cut enters a shot (shot.yaml ``transition_in``; the manifest calls ``kind`` type).

    A crossfade or fade of d seconds overlaps the two clips, so the cut gets d shorter.
    """

    kind: TransitionKind
    duration: float  # seconds

    def __post_init__(self) -> None:
        if self.kind not in TRANSITION_KINDS:
            raise FilmfsError(
                f"unknown transition {self.kind!r}; use {', '.join(TRANSITION_KINDS)}"
            )
        if self.duration < 0:
            raise FilmfsError(f"transition duration must be >= 0, not {self.duration}")


@dataclass(frozen=True)
class GenerationParams:
    """What produced a take (take.yaml ``generation_params``): enough to reproduce it.

    The named fields are the schema's; anything else a provider recorded is kept in ``extra``.
    """

    provider: str
    model: str | None = None
    seed: int | None = None
    prompt: str | None = None
    negative_prompt: str | None = None
    task_id: str | None = None
    source: str | None = None
    sent: Mapping[str, Any] | None = None
    """What was sent besides the prompt and images (duration, ratio, resolution, ...)."""
    fit: tuple[str, ...] | None = None
    """What filmfs changed to fit the shot to its model."""
    params: Mapping[str, Any] | None = None
    """The shot's ``generation.params`` as given (never in place of the fields above)."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> GenerationParams:
        named = {k: data.get(k) for k in _PARAM_FIELDS}
        seed = named["seed"]
        return cls(
            provider=str(named["provider"]),
            model=named["model"],
            seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
            prompt=named["prompt"],
            negative_prompt=named["negative_prompt"],
            task_id=named["task_id"],
            source=named["source"],
            sent=dict(named["sent"]) if isinstance(named["sent"], Mapping) else None,
            fit=tuple(str(n) for n in named["fit"]) if isinstance(named["fit"], list) else None,
            params=dict(named["params"]) if isinstance(named["params"], Mapping) else None,
            extra={k: v for k, v in data.items() if k not in _PARAM_FIELDS},
        )

    @property
    def crops(self) -> bool:
        """Whether the take was made at another ratio to be cropped to the film's frame
        (``generation.fit.ratio: crop``; the note is written by providers/preflight.py),
        rather than padded."""
        return any(
            note.startswith("ratio ") and note.endswith(CROP_NOTE) for note in self.fit or ()
        )

    def as_data(self) -> dict[str, Any]:
        """The manifest mapping: the named fields that are set, then ``extra``."""
        data = {k: getattr(self, k) for k in _PARAM_FIELDS}
        if self.fit is not None:
            data["fit"] = list(self.fit)
        return {k: v for k, v in data.items() if v is not None} | dict(self.extra)


# The end of the fit note of a take made at another ratio, to be cropped to the film's frame.
CROP_NOTE = "(crop to the film's frame)"

_PARAM_FIELDS = (
    "provider",
    "model",
    "seed",
    "prompt",
    "negative_prompt",
    "task_id",
    "source",
    "sent",
    "fit",
    "params",
)


@dataclass(frozen=True)
class VideoRef:
    """A video in the media store (a take's generated_video, or the film's final_edit)."""

    sha256: str
    size: int
    duration: float
    width: int
    height: int
    fps: Fraction
    codec: str
    format: str
    has_audio: bool | None = None
    url: str | None = None
    derived_from: tuple[str, ...] = ()
    conformed: Mapping[str, str] = field(default_factory=dict)
    """Assembled cuts only: conformed (re-encoded) video sha256 -> its source's sha256."""
    recipe: Mapping[str, Any] | None = None
    """Assembled cuts only: what the cut was made from, with its hash (film/recipe.py)."""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> VideoRef:
        return cls(
            sha256=data["sha256"],
            size=int(data["size"]),
            duration=float(data["duration"]),
            width=int(data["width"]),
            height=int(data["height"]),
            fps=parse_rate(data["fps"]),
            codec=data["codec"],
            format=data["format"],
            has_audio=data.get("has_audio"),
            url=data.get("url"),
            derived_from=tuple(data.get("derived_from", ())),
            conformed=dict(data.get("conformed", {})),
            recipe=data.get("recipe"),
        )

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "sha256": self.sha256,
            "size": self.size,
            "duration": number(self.duration),
            "width": self.width,
            "height": self.height,
            "fps": rate_data(self.fps),
            "codec": self.codec,
            "format": self.format,
        }
        if self.has_audio is not None:
            data["has_audio"] = self.has_audio
        if self.url:
            data["url"] = self.url
        if self.derived_from:
            data["derived_from"] = list(self.derived_from)
        if self.conformed:
            data["conformed"] = dict(self.conformed)
        if self.recipe is not None:
            data["recipe"] = dict(self.recipe)
        return data


@dataclass(frozen=True)
class Film:
    """The film (film.yaml): its title, picture format, defaults, budget and final edit."""

    title: str
    format: Format
    path: Path
    synopsis: str = ""
    status: str | None = None
    total_duration: float | None = None
    soundtrack: str | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    final_edit: VideoRef | None = None
    budget: Mapping[str, Any] = field(default_factory=dict)
    """``total`` and ``per_run`` in USD (numbers as written; read them with ``money``)."""
    gates: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], path: Path) -> Film:
        final = data.get("final_edit")
        return cls(
            title=data["title"],
            format=Format.from_data(data["format"]),
            path=path,
            synopsis=data.get("synopsis", ""),
            status=data.get("status"),
            total_duration=data.get("total_duration"),
            soundtrack=data.get("soundtrack"),
            defaults=dict(data.get("defaults", {})),
            final_edit=VideoRef.from_data(final) if final else None,
            budget=dict(data.get("budget") or {}),
            gates=dict(data.get("gates") or {}),
        )


@dataclass(frozen=True)
class Scene:
    """A scene (scenes/<NN>.yaml): where and when its shots happen."""

    scene_number: int
    setting: str
    path: Path
    heading: str = ""
    description: str = ""
    script_number: str | None = None
    source: Mapping[str, Any] | None = None
    """What `filmfs import-script` wrote (key, field hashes); None for a hand-made scene."""

    @classmethod
    def from_data(cls, data: Mapping[str, Any], path: Path) -> Scene:
        return cls(
            scene_number=data["scene_number"],
            setting=data["setting"],
            path=path,
            heading=data.get("heading", ""),
            description=data.get("description", ""),
            script_number=data.get("script_number"),
            source=data.get("source"),
        )


@dataclass(frozen=True)
class Take:
    """One generation attempt of a shot (shots/<ID>/takes/<NNN>.yaml) and its video."""

    shot_id: str
    attempt_number: int
    selected: bool
    generation_params: GenerationParams
    path: Path
    status: str | None = None
    generation_cost: Decimal | None = None  # USD, exact (money)
    quality_score: float | None = None
    director_notes: str = ""
    created_at: str | None = None
    video: VideoRef | None = None
    inputs: Mapping[str, Any] | None = None
    """What the take was made from (:mod:`filmfs.film.inputs`): a digest and hashed parts."""

    @classmethod
    def from_data(cls, data: Mapping[str, Any], path: Path, shot_id: str) -> Take:
        video = data.get("video")
        return cls(
            shot_id=shot_id,
            attempt_number=data["attempt_number"],
            selected=data["selected"],
            generation_params=GenerationParams.from_data(data["generation_params"]),
            path=path,
            status=data.get("status"),
            generation_cost=money(data.get("generation_cost")),
            quality_score=data.get("quality_score"),
            director_notes=data.get("director_notes", ""),
            created_at=data.get("created_at"),
            video=VideoRef.from_data(video) if video else None,
            inputs=data.get("inputs"),
        )


@dataclass(frozen=True)
class Dialogue:
    """One spoken line of a shot: who says it, the words, and how."""

    character: str
    line: str
    parenthetical: str = ""
    extension: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Dialogue:
        return cls(
            character=data["character"],
            line=data["line"],
            parenthetical=data.get("parenthetical", ""),
            extension=data.get("extension", ""),
        )

    def as_data(self) -> dict[str, str]:
        data = {"character": self.character, "line": self.line}
        if self.parenthetical:
            data["parenthetical"] = self.parenthetical
        if self.extension:
            data["extension"] = self.extension
        return data


@dataclass(frozen=True)
class Shot:
    """A shot (shots/<ID>/shot.yaml): the creative intent its takes try to meet."""

    shot_number: str
    scene: int | None
    """The scene it belongs to; None in a film (or part of one) without scenes."""
    prompt: str
    duration_target: float
    path: Path
    description: str = ""
    camera_angle: str = ""
    negative_prompt: str | None = None
    status: str | None = None
    characters: tuple[str, ...] = ()
    audio: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    transition_in: Transition | None = None
    cut_in: float | None = None
    """`in`: seconds into the selected take where the shot's clip starts."""
    cut_out: float | None = None
    """`out`: seconds into the selected take where the shot's clip ends."""
    generation: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""
    dialogue: tuple[Dialogue, ...] = ()
    source: Mapping[str, Any] | None = None
    takes: tuple[Take, ...] = ()
    first_frame: str | Mapping[str, str] | None = None
    """An image asset ID, or ``{previous_shot: last_frame}`` to start where the shot before ends."""
    last_frame: str | Mapping[str, str] | None = None
    """An image asset ID, or ``{next_shot: first_frame}`` to end where the shot after starts."""

    @property
    def id(self) -> str:
        return self.shot_number

    @property
    def selected_take(self) -> Take | None:
        return next((take for take in self.takes if take.selected), None)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], path: Path, takes: tuple[Take, ...]) -> Shot:
        transition = data.get("transition_in")
        return cls(
            shot_number=data["shot_number"],
            scene=data.get("scene"),
            prompt=data["prompt"],
            duration_target=float(data["duration_target"]),
            path=path,
            description=data.get("description", ""),
            camera_angle=data.get("camera_angle", ""),
            negative_prompt=data.get("negative_prompt"),
            status=data.get("status"),
            characters=tuple(data.get("characters", ())),
            audio=tuple(data.get("audio", ())),
            assets=tuple(data.get("assets", ())),
            transition_in=(
                Transition(transition["type"], float(transition["duration"]))
                if transition
                else None
            ),
            cut_in=data.get("in"),
            cut_out=data.get("out"),
            generation=dict(data.get("generation", {})),
            notes=data.get("notes", ""),
            dialogue=tuple(Dialogue.from_data(d) for d in data.get("dialogue", ())),
            source=data.get("source"),
            takes=takes,
            first_frame=data.get("first_frame"),
            last_frame=data.get("last_frame"),
        )


@dataclass(frozen=True)
class Character:
    """A character (characters/<id>.yaml): who appears, and the references that keep them
    alike from shot to shot."""

    id: str
    name: str
    path: Path
    description: str = ""
    appearance: str = ""
    references: tuple[str, ...] = ()
    variant_of: str | None = None
    source: Mapping[str, Any] | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any], path: Path) -> Character:
        return cls(
            id=data["id"],
            name=data["name"],
            path=path,
            description=data.get("description", ""),
            appearance=data.get("appearance", ""),
            references=tuple(data.get("references", ())),
            variant_of=data.get("variant_of"),
            source=data.get("source"),
        )


@dataclass(frozen=True)
class Asset:
    """An audio, image, text or video reference (assets/<id>.yaml) that shots use."""

    id: str
    type: str
    name: str
    path: Path
    description: str = ""
    sha256: str | None = None
    url: str | None = None
    size: int | None = None
    duration: float | None = None
    volume: float = 1.0
    derived_from: str | None = None
    variant_of: str | None = None
    generation: Mapping[str, Any] | None = None
    width: int | None = None
    height: int | None = None
    frame_of: Mapping[str, Any] | None = None
    """An image taken from a take (`filmfs frame`): shot, take, at, and the video's sha256."""

    @classmethod
    def from_data(cls, data: Mapping[str, Any], path: Path) -> Asset:
        return cls(
            id=data["id"],
            type=data["type"],
            name=data["name"],
            path=path,
            description=data.get("description", ""),
            sha256=data.get("sha256"),
            url=data.get("url"),
            size=data.get("size"),
            duration=data.get("duration"),
            volume=float(data.get("volume", 1.0)),
            derived_from=data.get("derived_from"),
            variant_of=data.get("variant_of"),
            generation=data.get("generation"),
            width=data.get("width"),
            height=data.get("height"),
            frame_of=data.get("frame_of"),
        )


def money(value: Any) -> Decimal | None:
    """A USD amount from a manifest as an exact Decimal (YAML ``0.28`` is read as written)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int | float | str):
        try:
            amount = Decimal(str(value))
        except ArithmeticError:
            return None
        return amount if amount.is_finite() else None
    return None
