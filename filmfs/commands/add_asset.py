"""`filmfs add-asset ID FILE --type image|audio|video`: a reference image, a storyboard frame,
a music track or a video clip becomes a library asset of the film.

The file is probed for the kind it is said to be (a clear error otherwise), stored by sha256,
and described in ``assets/<ID>.yaml``, written atomically and committed like a take. The film
need not be valid first: adding the asset a shot or character names is how such an error is
fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.film.locks import commit_manifests
from filmfs.film.model import number
from filmfs.manifests import edit
from filmfs.media.probe import probe
from filmfs.media.still import probe_sound, probe_still
from filmfs.project import Project

KINDS = ("image", "audio", "video")


@dataclass(frozen=True)
class AddAssetResult:
    asset_id: str
    type: str
    path: Path
    sha256: str
    size: int
    facts: str
    """What the file is, for people: ``1024x576 png``, ``12.00 s aac``."""
    commit: str | None


def describe_media(path: Path, kind: str) -> tuple[dict[str, Any], str]:
    """The manifest fields that say what ``path`` is, and a one-line summary; an error if it
    is not a ``kind`` file."""
    if kind == "image":
        still = probe_still(path)
        return {"width": still.width, "height": still.height}, (
            f"{still.width}x{still.height} {still.codec}"
        )
    if kind == "audio":
        sound = probe_sound(path)
        return {"duration": number(sound.duration)}, f"{sound.duration:.2f} s {sound.codec}"
    info = probe(path)
    return {
        "duration": number(info.duration),
        "width": info.width,
        "height": info.height,
    }, f"{info.width}x{info.height} {info.codec}, {info.duration:.2f} s"


def add_asset(
    project: Project,
    *,
    asset_id: str,
    source: Path,
    kind: str,
    name: str | None = None,
    description: str | None = None,
    volume: float | None = None,
    license: str | None = None,
    commit: bool = True,
) -> AddAssetResult:
    if kind not in KINDS:
        raise FilmfsError(f"--type must be one of {', '.join(KINDS)}, not {kind!r}")
    if not source.is_file():
        what = "not a regular file" if source.exists() else "no such file"
        raise FilmfsError(f"{source}: {what}")
    path = layout.asset_file(project.root, asset_id)
    shown = f"{layout.ASSETS_DIR}/{asset_id}.yaml"
    if path.exists() or path.is_symlink():
        raise FilmfsError(
            f"{shown} already exists",
            hint="choose another ID, or remove the asset first to replace its media",
        )
    if volume is not None and kind != "audio":
        raise FilmfsError("--volume is for audio assets")
    data: dict[str, Any] = {"id": asset_id, "type": kind, "name": name or asset_id}
    optional = {"description": description, "volume": volume, "license": license}
    data.update({key: value for key, value in optional.items() if value is not None})
    # Checked before any work, so a bad ID or option stores nothing.
    edit.check({**data, "sha256": "0" * 64}, "asset", shown)
    facts, summary = describe_media(source, kind)
    stored = project.store.put_file(source)
    data.update({"sha256": stored.sha256, "size": stored.size, **facts})
    edit.create(path, data, root=project.root, kind="asset")
    sha = (
        commit_manifests(project.root, [path], f"add {kind} asset {asset_id} from {source.name}")
        if commit
        else None
    )
    return AddAssetResult(asset_id, kind, path, stored.sha256, stored.size, summary, sha)
