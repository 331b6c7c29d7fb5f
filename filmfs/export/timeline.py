"""The cut as an OpenTimelineIO timeline: picture, the takes' sound, the soundtrack and the
shots' audio assets, each on its own track, at the times and volumes ``assemble`` mixes them.

Tracks: ``V1`` the selected takes (every take of a shot as a media reference in ``.otio``,
OTIO ``Clip`` multi-reference, the selected one active); ``A1`` the same takes' own sound, cut
and crossfaded like the picture; ``A2`` the film's soundtrack from 0; ``A3`` (``A4``...) each
shot's audio asset from the moment its take starts playing (the start of a crossfade into it)
for the take's length, a second track only where two of them overlap. Volumes are linear gains,
in ``metadata["filmfs"]["volume"]`` and, for FCP 7 XML, as an "Audio Levels" filter.

Times are whole frames at the film's rate. A crossfade of D frames sits on the cut as an OTIO
Transition with ``in_offset`` D//2 and ``out_offset`` D - D//2: the clip before is trimmed by
the out offset, the clip after by the in offset, so the timeline is as long as the rendered
film and each side's hidden part is exactly the frames the crossfade shows of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import opentimelineio as otio

from filmfs.errors import FilmfsError
from filmfs.film.model import Transition
from filmfs.film.rate import parse_rate

Seconds = float | Fraction


@dataclass(frozen=True)
class TakeMedia:
    attempt: int
    target_url: str
    sha256: str
    duration: Seconds
    fps: Seconds
    provider: str | None = None
    model: str | None = None
    seed: int | None = None
    cost: Decimal | None = None
    selected: bool = False
    has_audio: bool = True

    @property
    def key(self) -> str:
        return f"take{self.attempt}"


@dataclass(frozen=True)
class AudioMedia:
    """An audio asset laid under the cut (the soundtrack, or a shot's audio)."""

    asset: str
    target_url: str
    sha256: str | None
    duration: Seconds | None
    volume: float = 1.0


@dataclass(frozen=True)
class Subtitle:
    """A line of dialogue: seconds into the clip's media (the take) where it shows, and for how
    long, as the assembled cut's subtitles time it."""

    offset: Seconds
    duration: Seconds
    speaker: str
    text: str


@dataclass(frozen=True)
class CutClip:
    shot_id: str
    scene: str
    takes: list[TakeMedia]
    transition_in: Transition | None = None
    audio: AudioMedia | None = None
    trim: tuple[Seconds, Seconds] | None = None
    """The part of the selected take in the cut, (in, out) seconds; None: all of it."""
    subtitles: tuple[Subtitle, ...] = ()

    def selected(self) -> TakeMedia:
        chosen = [t for t in self.takes if t.selected]
        if len(chosen) != 1:
            raise FilmfsError(
                f"shot {self.shot_id}: {len(chosen)} selected takes, expected exactly 1",
                hint="select one take of the shot before exporting",
            )
        return chosen[0]


@dataclass
class _Placed:
    """A picture clip on the timeline, in frames: its source range and record range."""

    cut: CutClip
    take: TakeMedia
    src_in: int
    length: int
    head: int = 0  # frames of the transition into it, before its cut point (in_offset)
    tail: int = 0  # frames of the transition out of it, after the next cut (out_offset)
    record_in: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def frames(seconds: Seconds, rate: Fraction) -> int:
    """Whole frames at ``rate`` nearest to ``seconds`` (exact: rationals, never floats)."""
    return round(Fraction(seconds) * rate)


def _time(n: int, rate: Fraction) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(n, float(rate))


def _range(start: int, length: int, rate: Fraction) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_time(start, rate), _time(length, rate))


def _reference(
    url: str, length: int, rate: Fraction, name: str, meta: dict[str, Any]
) -> otio.schema.ExternalReference:
    ref = otio.schema.ExternalReference(target_url=url, available_range=_range(0, length, rate))
    ref.name = name
    ref.metadata["filmfs"] = meta
    return ref


_INT64 = range(-(2**63), 2**63)


def _otio_value(value: Any) -> Any:
    # OTIO keeps integers as C++ int64 and raises ValueError on anything wider; a manifest may
    # hold any integer (a seed of 10**24 is valid YAML), so a wider one travels as its text.
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        return str(value)
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, Decimal):
        return str(value)  # money as written ("0.35"): OTIO has no exact decimal
    if isinstance(value, list):
        return [_otio_value(item) for item in value]
    return value


def _provenance(cut: CutClip, take: TakeMedia) -> dict[str, Any]:
    fields = {
        "shot": cut.shot_id,
        "scene": cut.scene,
        "take": take.attempt,
        "provider": take.provider,
        "model": take.model,
        "seed": take.seed,
        "sha256": take.sha256,
        "cost": take.cost,
        "takes": [t.attempt for t in cut.takes],
    }
    return {key: _otio_value(value) for key, value in fields.items()}


def _place(cuts: list[CutClip], rate: Fraction) -> list[_Placed]:
    placed: list[_Placed] = []
    for i, cut in enumerate(cuts):
        take = cut.selected()
        whole = frames(take.duration, rate)
        # As the cut plan counts them (film/cut.py): from the frame nearest `in`, for the
        # frames nearest `out - in`.
        first, length = (
            (frames(cut.trim[0], rate), frames(Fraction(cut.trim[1]) - Fraction(cut.trim[0]), rate))
            if cut.trim
            else (0, whole)
        )
        placed.append(_Placed(cut, take, first, length))
        if i and cut.transition_in is not None:
            length = frames(cut.transition_in.duration, rate)
            before, after = placed[i - 1], placed[i]
            after.head, before.tail = length // 2, length - length // 2
    record = 0
    for item in placed:
        # The clip before shows up to its cut; its last `tail` frames play in the transition.
        item.src_in += item.head
        item.length -= item.head + item.tail
        if item.length <= 0:
            raise FilmfsError(
                f"shot {item.cut.shot_id}: its transitions are longer than the clip",
                hint="shorten the transition",
            )
        item.record_in = record
        record += item.length
    return placed


def _audio_clip(
    bed: AudioMedia, start: int, length: int, rate: Fraction, role: str, shot: str | None = None
) -> otio.schema.Clip:
    available = frames(bed.duration, rate) if bed.duration is not None else start + length
    ref = _reference(
        bed.target_url, available, rate, bed.asset, {"asset": bed.asset, "sha256": bed.sha256}
    )
    clip = otio.schema.Clip(name=bed.asset, source_range=_range(start, length, rate))
    clip.media_reference = ref
    clip.metadata["filmfs"] = {
        "role": role,
        "asset": bed.asset,
        "volume": bed.volume,
        "sha256": bed.sha256,
        **({"shot": shot} if shot else {}),
    }
    return clip


def _transition(cut: CutClip, head: int, tail: int, rate: Fraction) -> otio.schema.Transition:
    assert cut.transition_in is not None
    transition = otio.schema.Transition(
        name=f"{cut.transition_in.kind} into {cut.shot_id}",
        transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
        in_offset=_time(head, rate),
        out_offset=_time(tail, rate),
    )
    transition.metadata["filmfs"] = {
        "kind": cut.transition_in.kind,
        "duration": _otio_value(cut.transition_in.duration),
    }
    return transition


def build_timeline(
    name: str,
    cuts: list[CutClip],
    fps: Seconds,
    *,
    width: int | None = None,
    height: int | None = None,
    soundtrack: AudioMedia | None = None,
) -> otio.schema.Timeline:
    """The cut as a Timeline at ``fps``: V1, A1 (the takes' sound), A2 (soundtrack), A3+."""
    rate = parse_rate(fps)
    timeline = otio.schema.Timeline(name=name)
    timeline.global_start_time = _time(0, rate)
    timeline.metadata["filmfs"] = {"fps": str(rate), "width": width, "height": height}
    placed = _place(cuts, rate)
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    sound = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    sound.metadata["filmfs"] = {"role": "takes"}
    timeline.tracks.extend([video, sound])
    for i, item in enumerate(placed):
        cut, take = item.cut, item.take
        if item.head:
            tail = placed[i - 1].tail
            video.append(_transition(cut, item.head, tail, rate))
            sound.append(_transition(cut, item.head, tail, rate))
        source = _range(item.src_in, item.length, rate)
        clip = otio.schema.Clip(name=f"{cut.shot_id} take {take.attempt}", source_range=source)
        clip.set_media_references(
            {
                t.key: _reference(
                    t.target_url,
                    frames(t.duration, rate),
                    rate,
                    f"{cut.shot_id} take {t.attempt}",
                    {"sha256": t.sha256, "attempt": t.attempt},
                )
                for t in cut.takes
            },
            take.key,
        )
        clip.metadata["filmfs"] = _provenance(cut, take)
        if cut.trim:
            clip.metadata["filmfs"]["trim"] = [_otio_value(Fraction(t)) for t in cut.trim]
        for line in cut.subtitles:
            # A marker's range is in the clip's media time, like its source_range.
            marker = otio.schema.Marker(
                name=f"{line.speaker}: {line.text}",
                marked_range=_range(frames(line.offset, rate), frames(line.duration, rate), rate),
                color=otio.schema.MarkerColor.YELLOW,
            )
            marker.metadata["filmfs"] = {"subtitle": {"speaker": line.speaker, "text": line.text}}
            clip.markers.append(marker)
        video.append(clip)
        if take.has_audio:
            heard = clip.deepcopy()
            heard.metadata["filmfs"]["role"] = "takes"
            heard.markers.clear()  # the subtitles show once, on the picture
            sound.append(heard)
        else:
            sound.append(otio.schema.Gap(source_range=source))
    total = sum(item.length for item in placed)
    if soundtrack is not None:
        length = min(total, frames(soundtrack.duration, rate)) if soundtrack.duration else total
        track = otio.schema.Track(name="A2", kind=otio.schema.TrackKind.Audio)
        track.metadata["filmfs"] = {"role": "soundtrack"}
        track.append(_audio_clip(soundtrack, 0, length, rate, "soundtrack"))
        timeline.tracks.append(track)
    _shot_audio(timeline, placed, total, rate)
    return timeline


def _shot_audio(
    timeline: otio.schema.Timeline, placed: list[_Placed], total: int, rate: Fraction
) -> None:
    """Each shot's audio asset from when its take starts playing (as `assemble` lays it),
    for the take's length; overlapping ones go to the next track."""
    lanes: list[list[tuple[int, int, otio.schema.Clip]]] = []
    for item in placed:
        bed = item.cut.audio
        if bed is None:
            continue
        start = item.record_in - item.head
        span = item.head + item.length + item.tail
        if bed.duration is not None:
            span = min(span, frames(bed.duration, rate))
        span = min(span, total - start)
        clip = _audio_clip(bed, 0, span, rate, "shot", item.cut.shot_id)
        lane = next((lane for lane in lanes if lane[-1][0] + lane[-1][1] <= start), None)
        if lane is None:
            lane = []
            lanes.append(lane)
        lane.append((start, span, clip))
    for n, lane in enumerate(lanes):
        track = otio.schema.Track(name=f"A{len(timeline.tracks)}", kind="Audio")
        track.metadata["filmfs"] = {"role": "shot", "lane": n}
        at = 0
        for start, span, clip in lane:
            if start > at:
                track.append(otio.schema.Gap(source_range=_range(0, start - at, rate)))
            track.append(clip)
            at = start + span
        timeline.tracks.append(track)


def single_reference(timeline: otio.schema.Timeline) -> otio.schema.Timeline:
    """A copy keeping only each clip's active reference, for one-reference formats."""
    copy = timeline.deepcopy()
    for clip in copy.find_clips():
        # Copy it first: the reference is owned by the dict being replaced (a bare
        # re-assignment frees it under us and the EDL adapter crashes).
        active = clip.media_reference.deepcopy()
        clip.set_media_references(
            {otio.schema.Clip.DEFAULT_MEDIA_KEY: active}, otio.schema.Clip.DEFAULT_MEDIA_KEY
        )
    return copy


def film_rate(timeline: otio.schema.Timeline) -> Fraction:
    """The exact rate the timeline was built at."""
    meta = timeline.metadata.get("filmfs", {})
    if "fps" in meta:
        return Fraction(str(meta["fps"]))
    return parse_rate(float(timeline.duration().rate))
