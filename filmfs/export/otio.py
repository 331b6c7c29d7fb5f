"""Writing a timeline (see export/timeline.py) in the format its file suffix names.

``.otio`` keeps every take of a shot as a media reference (OTIO ``Clip`` multi-reference, the
selected one active); ``.otioz`` / ``.otiod`` bundles and the FCP 7 XML (OTIO's adapter) carry
the active one. The CMX 3600 EDL and FCPXML are written by filmfs (export/edl.py,
export/fcpxml.py): the adapters lose the sound, the transitions and the columns readers expect.
Provenance lives in ``metadata["filmfs"]``, one namespace per application as OTIO advises.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import opentimelineio as otio

from filmfs.errors import FilmfsError
from filmfs.export.edl import write_edl
from filmfs.export.fcpxml import write_fcpxml
from filmfs.export.timeline import film_rate, single_reference
from filmfs.manifests.writer import atomic_write_text, make_folder

# The adapters that do not ship with opentimelineio, by the suffix users write.
ADAPTER_PACKAGES = {".xml": "otio-fcp-adapter", ".aaf": "otio-aaf-adapter"}
OWN_WRITERS = {".edl": write_edl, ".fcpxml": write_fcpxml}
BUNDLES = (".otioz", ".otiod")
MULTI_REFERENCE = (".otio",)
FORMATS = (".otio", ".otioz", ".otiod", ".edl", ".xml", ".fcpxml")


def file_url(path: Path) -> str:
    """A ``file://`` URL for a local media file, as the bundle adapters expect."""
    return Path(path).resolve().as_uri()


def _fcp_format(width: int, height: int, rate: float) -> dict[str, Any]:
    # The FCP 7 adapter writes an empty <format/> (its fix for OTIO #839); given this as the
    # timeline's "fcp_xml" metadata it writes a full one, so the NLE knows the sequence size.
    ntsc = abs(rate - round(rate)) > 1e-3
    return {
        "media": {
            "video": {
                "format": {
                    "samplecharacteristics": {
                        "width": width,
                        "height": height,
                        "pixelaspectratio": "square",
                        "rate": {"timebase": round(rate), "ntsc": "TRUE" if ntsc else "FALSE"},
                    }
                }
            }
        }
    }


def _volume_filter(volume: float) -> dict[str, Any]:
    # FCP 7's "Audio Levels" filter: a linear gain (1 = unchanged), which Premiere and Resolve
    # read as the clip's level.
    return {
        "filter": {
            "effect": {
                "name": "Audio Levels",
                "effectid": "audiolevels",
                "effectcategory": "audiolevels",
                "effecttype": "audiolevels",
                "mediatype": "audio",
                "parameter": {
                    "parameterid": "level",
                    "name": "Level",
                    "valuemin": 0,
                    "valuemax": 3.98109,
                    "value": round(volume, 6),
                },
            }
        }
    }


def check_writable(path: Path, *, bundle: bool = False) -> None:
    """FilmfsError, before any work, when ``path``'s format cannot be written."""
    suffix = path.suffix.lower()
    if bundle and suffix not in BUNDLES:
        raise FilmfsError(f"{path}: only .otioz and .otiod can bundle media")
    if suffix in OWN_WRITERS:
        return
    try:
        otio.adapters.from_filepath(str(path))
    except otio.exceptions.NoKnownAdapterForExtensionError as exc:
        package = ADAPTER_PACKAGES.get(suffix)
        hint = f"pip install {package}" if package else f"use {', '.join(FORMATS)}"
        raise FilmfsError(f"{path}: no OpenTimelineIO adapter for {suffix!r}", hint=hint) from exc


def write_timeline(timeline: otio.schema.Timeline, path: Path, *, bundle: bool = False) -> Path:
    """Write ``timeline`` in the format of ``path``'s suffix.

    ``.otioz``/``.otiod`` copy the media in when ``bundle`` is true (files must exist) and
    otherwise keep the references as missing with their original URL.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    check_writable(path, bundle=bundle)
    make_folder(path.parent)
    if suffix in OWN_WRITERS:
        atomic_write_text(path, OWN_WRITERS[suffix](timeline))
        return path
    out = timeline if suffix in MULTI_REFERENCE else single_reference(timeline)
    size = timeline.metadata.get("filmfs", {})
    if suffix == ".xml" and size.get("width"):
        rate = float(film_rate(timeline))
        out.metadata["fcp_xml"] = _fcp_format(size["width"], size["height"], rate)
    if suffix == ".xml":
        for clip in out.find_clips():
            volume = clip.metadata.get("filmfs", {}).get("volume")
            if volume is not None:
                clip.metadata["fcp_xml"] = _volume_filter(float(volume))
    kwargs: dict[str, Any] = {}
    if suffix in BUNDLES:
        policy = otio.adapters.file_bundle_utils.MediaReferencePolicy
        kwargs["media_policy"] = policy.ErrorIfNotFile if bundle else policy.AllMissing
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
