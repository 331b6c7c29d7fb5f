"""Editorial export: the cut as an OpenTimelineIO timeline, written in any adapter's format.

One video track; each clip is a shot with its selected take active. In ``.otio`` every take of
the shot is kept as a media reference (OTIO ``Clip.2`` multi-reference, OTIO PR #1241) so an
editor can switch takes in the NLE; formats that carry one reference per clip (EDL, FCP XML,
bundles) get the active one only. Provenance lives in ``metadata["filmfs"]``, one namespace
per application as the OTIO docs advise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opentimelineio as otio

from filmfs.errors import FilmfsError
from filmfs.film.model import Transition
from filmfs.manifests.writer import make_folder

# The adapters that do not ship with opentimelineio, by the suffix users write.
ADAPTER_PACKAGES = {
    ".edl": "otio-cmx3600-adapter",
    ".xml": "otio-fcp-adapter",
    ".fcpxml": "otio-fcpx-xml-adapter",
    ".aaf": "otio-aaf-adapter",
}
BUNDLES = (".otioz", ".otiod")
MULTI_REFERENCE = (".otio",)


@dataclass(frozen=True)
class TakeMedia:
    attempt: int
    target_url: str
    sha256: str
    duration: float  # seconds
    fps: float
    provider: str | None = None
    model: str | None = None
    seed: int | None = None
    cost: float | None = None
    selected: bool = False

    @property
    def key(self) -> str:
        return f"take{self.attempt}"


@dataclass(frozen=True)
class CutClip:
    shot_id: str
    scene: str
    takes: list[TakeMedia]
    transition_in: Transition | None = None

    def selected(self) -> TakeMedia:
        chosen = [t for t in self.takes if t.selected]
        if len(chosen) != 1:
            raise FilmfsError(
                f"shot {self.shot_id}: {len(chosen)} selected takes, expected exactly 1",
                hint="select one take of the shot before exporting",
            )
        return chosen[0]


def file_url(path: Path) -> str:
    """A ``file://`` URL for a local media file, as NLEs and the bundle adapters expect."""
    return Path(path).resolve().as_uri()


def _seconds(seconds: float, rate: float) -> otio.opentime.RationalTime:
    # Whole frames at the film rate: editorial time is frame-exact (OTIO RationalTime).
    return otio.opentime.RationalTime(round(seconds * rate), rate)


def _reference(shot_id: str, take: TakeMedia) -> otio.schema.ExternalReference:
    available = otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, take.fps), _seconds(take.duration, take.fps)
    )
    ref = otio.schema.ExternalReference(target_url=take.target_url, available_range=available)
    # The EDL adapter uses the reference name as the reel: make it say shot and take.
    ref.name = f"{shot_id}_t{take.attempt}"
    ref.metadata["filmfs"] = {"sha256": take.sha256, "attempt": take.attempt}
    return ref


_INT64 = range(-(2**63), 2**63)


def _otio_value(value: Any) -> Any:
    # OTIO keeps integers as C++ int64 and raises ValueError on anything wider; a manifest may
    # hold any integer (a seed of 10**24 is valid YAML), so a wider one travels as its text.
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        return str(value)
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


def _fcp_format(width: int, height: int, fps: float) -> dict[str, Any]:
    # The FCP 7 adapter writes an empty <format/> (its fix for OTIO #839); given this as the
    # timeline's "fcp_xml" metadata it writes a full one, so the NLE knows the sequence size.
    ntsc = abs(fps - round(fps)) > 1e-3
    return {
        "media": {
            "video": {
                "format": {
                    "samplecharacteristics": {
                        "width": width,
                        "height": height,
                        "pixelaspectratio": "square",
                        "rate": {"timebase": round(fps), "ntsc": "TRUE" if ntsc else "FALSE"},
                    }
                }
            }
        }
    }


def build_timeline(
    name: str,
    cuts: list[CutClip],
    fps: float,
    *,
    width: int | None = None,
    height: int | None = None,
) -> otio.schema.Timeline:
    """The cut as a Timeline at ``fps``; a crossfade trims half its length off each side."""
    timeline = otio.schema.Timeline(name=name)
    timeline.global_start_time = otio.opentime.RationalTime(0, fps)
    if width and height:
        timeline.metadata["filmfs"] = {"width": width, "height": height, "fps": fps}
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    halves = [_seconds(c.transition_in.duration / 2, fps) if c.transition_in else None
              for c in cuts]  # fmt: skip
    for i, cut in enumerate(cuts):
        take = cut.selected()
        start = otio.opentime.RationalTime(0, fps)
        duration = _seconds(take.duration, fps)
        # The rendered cut overlaps clips by the transition; OTIO clips abut and a Transition
        # reaches into handles. Trimming half the overlap from each side keeps the
        # timeline's duration equal to the rendered film.
        head = halves[i] if i > 0 else None
        tail = halves[i + 1] if i + 1 < len(cuts) else None
        if head is not None:
            start += head
            duration -= head
        if tail is not None:
            duration -= tail
        clip = otio.schema.Clip(
            name=f"{cut.shot_id} take {take.attempt}",
            source_range=otio.opentime.TimeRange(start, duration),
        )
        clip.set_media_references({t.key: _reference(cut.shot_id, t) for t in cut.takes}, take.key)
        clip.metadata["filmfs"] = _provenance(cut, take)
        if head is not None and cut.transition_in is not None:
            transition = otio.schema.Transition(
                name=f"{cut.transition_in.kind} into {cut.shot_id}",
                transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                in_offset=head,
                out_offset=head,
            )
            transition.metadata["filmfs"] = {
                "kind": cut.transition_in.kind,
                "duration": cut.transition_in.duration,
            }
            track.append(transition)
        track.append(clip)
    return timeline


def single_reference(timeline: otio.schema.Timeline) -> otio.schema.Timeline:
    """A copy keeping only each clip's active reference, for one-reference formats."""
    copy = timeline.deepcopy()
    for clip in copy.find_clips():
        # Copy it first: the reference is owned by the dict being replaced (a bare
        # re-assignment frees it under us and the EDL adapter crashes).
        active = clip.media_reference.deepcopy()
        clip.set_media_references({otio.schema.Clip.DEFAULT_MEDIA_KEY: active},
                                  otio.schema.Clip.DEFAULT_MEDIA_KEY)  # fmt: skip
    return copy


def write_timeline(timeline: otio.schema.Timeline, path: Path, *, bundle: bool = False) -> Path:
    """Write ``timeline`` with the adapter its suffix names.

    ``.otioz``/``.otiod`` copy the media in when ``bundle`` is true (files must exist) and
    otherwise keep the references as missing with their original URL.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if bundle and suffix not in BUNDLES:
        raise FilmfsError(f"{path}: only .otioz and .otiod can bundle media")
    try:
        otio.adapters.from_filepath(str(path))
    except otio.exceptions.NoKnownAdapterForExtensionError as exc:
        package = ADAPTER_PACKAGES.get(suffix)
        hint = f"pip install {package}" if package else "use .otio, .otioz, .edl, .xml or .fcpxml"
        raise FilmfsError(f"{path}: no OpenTimelineIO adapter for {suffix!r}", hint=hint) from exc
    out = timeline if suffix in MULTI_REFERENCE else single_reference(timeline)
    size = timeline.metadata.get("filmfs", {})
    if suffix == ".xml" and "width" in size:
        out.metadata["fcp_xml"] = _fcp_format(size["width"], size["height"], size["fps"])
    kwargs: dict[str, Any] = {}
    if suffix in BUNDLES:
        policy = otio.adapters.file_bundle_utils.MediaReferencePolicy
        kwargs["media_policy"] = policy.ErrorIfNotFile if bundle else policy.AllMissing
    make_folder(path.parent)
    # Files go through a temp file and a rename so a failed export leaves no half file;
    # a .otiod is a directory, written in place.
    target = path if suffix == ".otiod" else path.with_name(f".{path.name}.tmp{suffix}")
    try:
        otio.adapters.write_to_file(out, str(target), **kwargs)
        if target != path:
            os.replace(target, path)
    except (otio.exceptions.OTIOError, ValueError, KeyError, OSError) as exc:
        raise FilmfsError(f"{path}: cannot write the timeline ({exc})") from exc
    finally:
        if target != path:
            target.unlink(missing_ok=True)
    return path
