"""The cut's recipe: everything its bytes depend on, from committed manifests alone.

The recipe (takes, trims, transitions, sound beds, format, the engine version) is hashed, and
film.yaml's ``final_edit`` records that hash with the engine version and the frame count
(:func:`recorded`): the whole recipe is rebuilt from the manifests whenever it is needed, so
film.yaml stays small and rewriting it stays cheap (a 50-clip recipe made it ~500 lines). A cut
is up to date when the recipe the manifests give now has the recorded hash and the recorded
cut's object is in the store, whole: so a fresh clone after ``pull``, or a CI runner that keeps
only ``.filmfs/objects``, knows its cut is current without any local cache. Media appear by
sha256 only, never by path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from filmfs.film.cut import CutPlan
from filmfs.film.model import Asset, Format, Shot
from filmfs.film.rate import rate_data


def _bed(asset: Asset | None) -> dict[str, Any] | None:
    if asset is None or asset.sha256 is None:
        return None
    return {"video": asset.sha256, "volume": asset.volume}


def cut_recipe(
    plan: CutPlan,
    fmt: Format,
    *,
    shots: Mapping[str, Shot],
    assets: Mapping[str, Asset],
    soundtrack: str | None,
    engine: int,
    subtitles: str | None = None,
) -> dict[str, Any]:
    """The recipe of ``plan`` as manifest data, with its ``hash`` first."""
    clips = []
    for clip in plan.clips:
        shot = shots[clip.shot]
        tr = clip.transition_in
        clips.append(
            {
                "shot": clip.shot,
                "take": clip.take,
                "video": clip.sha256,
                "in": str(clip.start),
                "out": str(clip.end),
                "frames": clip.frames,
                "transition": {"kind": tr.kind, "frames": tr.frames} if tr else None,
                "sound": _bed(assets.get(shot.audio[0])) if shot.audio else None,
            }
        )
    body: dict[str, Any] = {
        "engine": engine,
        "format": {"width": fmt.width, "height": fmt.height, "fps": rate_data(fmt.fps)},
        "frames": plan.frames,
        "clips": clips,
        "soundtrack": _bed(assets.get(soundtrack)) if soundtrack else None,
    }
    if subtitles is not None:
        body["subtitles"] = subtitles  # sha256 of the muxed SRT track
    return {"hash": recipe_hash(body), **body}


def recorded(recipe: Mapping[str, Any]) -> dict[str, Any]:
    """What film.yaml's ``final_edit`` keeps of ``recipe``: its hash, engine and frames."""
    return {key: recipe[key] for key in ("hash", "engine", "frames")}


def recipe_hash(body: Mapping[str, Any]) -> str:
    """sha256 of the recipe's canonical JSON (sorted keys, no spaces); ``hash`` left out."""
    data = {k: v for k, v in body.items() if k != "hash"}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()
