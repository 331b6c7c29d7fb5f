"""`filmfs frame SHOT [--take N] --at first|last|SECONDS`: a still of a take as an image asset.

A chosen frame can then seed the next shot (``first_frame: <asset>``), serve as a character
reference, or stand for the shot on a slate or the review page. The asset records where it
came from (``frame_of``: shot, take, time and the video's sha256), which the graph carries as
``derived_from`` from the image to the video.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.film.locks import commit_manifests
from filmfs.film.model import Take
from filmfs.manifests import edit
from filmfs.media.still import extract_frame, probe_still
from filmfs.project import Project

_SECONDS = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class FrameResult:
    asset_id: str
    path: Path
    shot_id: str
    attempt: int
    at: str
    sha256: str
    width: int
    height: int
    commit: str | None


def parse_at(value: str) -> Fraction | str:
    """``first``, ``last`` or a number of seconds (exact: ``1.5`` is 3/2)."""
    if value in ("first", "last"):
        return value
    if not _SECONDS.match(value):
        raise FilmfsError(f"--at must be first, last or a number of seconds, not {value!r}")
    return Fraction(value)


def default_id(shot_id: str, attempt: int, at: Fraction | str) -> str:
    """``01a-take2-last``, ``01a-take2-1.5s``: an asset ID (lowercase) that says what it is."""
    when = at if isinstance(at, str) else f"{float(at):g}s"
    return f"{shot_id.lower()}-take{attempt}-{when}"


def _take(project: Project, shot_id: str, attempt: int | None) -> Take:
    shot = project.shot(shot_id)
    if attempt is None:
        take = shot.selected_take
        if take is None:
            raise FilmfsError(
                f"shot {shot_id} has no selected take",
                hint=f"pass --take N or `filmfs select {shot_id} N`",
            )
        return take
    for take in shot.takes:
        if take.attempt_number == attempt:
            return take
    known = ", ".join(str(t.attempt_number) for t in shot.takes) or "none"
    raise FilmfsError(f"shot {shot_id} has no take {attempt} (takes: {known})")


def frame(
    project: Project,
    *,
    shot_id: str,
    at: str,
    attempt: int | None = None,
    asset_id: str | None = None,
    commit: bool = True,
) -> FrameResult:
    when = parse_at(at)
    take = _take(project, shot_id, attempt)
    if take.video is None:
        raise FilmfsError(f"take {take.attempt_number} of shot {shot_id} has no video")
    ident = asset_id or default_id(shot_id, take.attempt_number, when)
    path = layout.asset_file(project.root, ident)
    shown = f"{layout.ASSETS_DIR}/{ident}.yaml"
    if path.exists() or path.is_symlink():
        raise FilmfsError(f"{shown} already exists", hint="pass --id to name the new asset")
    at_text = when if isinstance(when, str) else f"{float(when):g}"
    data: dict[str, Any] = {
        "id": ident,
        "type": "image",
        "name": f"{shot_id} take {take.attempt_number}, {at_text} frame",
        "frame_of": {
            "shot": shot_id,
            "take": take.attempt_number,
            "at": at_text,
            "video": take.video.sha256,
        },
    }
    edit.check({**data, "sha256": "0" * 64}, "asset", shown)
    store = project.store
    video = store.require(
        take.video.sha256, what=f"the video of {shot_id} take {take.attempt_number}"
    )
    with store.temp_path(".png") as still:
        extract_frame(video, when, still, duration=take.video.duration)
        info = probe_still(still)
        stored = store.put_file(still, move=True)
    data.update(
        {"sha256": stored.sha256, "size": stored.size, "width": info.width, "height": info.height}
    )
    edit.create(path, data, root=project.root, kind="asset")
    sha = (
        commit_manifests(
            project.root,
            [path],
            f"frame {at_text} of {shot_id} take {take.attempt_number} as {ident}",
        )
        if commit
        else None
    )
    return FrameResult(
        ident,
        path,
        shot_id,
        take.attempt_number,
        at_text,
        stored.sha256,
        info.width,
        info.height,
        sha,
    )
