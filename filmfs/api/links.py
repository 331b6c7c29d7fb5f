"""How each relationship type and field change of the Python API lands in the manifests.

Split from :mod:`filmfs.api.repo` (the facade) to keep both small; only ``FilmRepo`` calls
these, with its :class:`~filmfs.api.state.RepoState`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.api.state import Pending, RepoState
from filmfs.errors import FilmfsError
from filmfs.film import takes
from filmfs.graph.model import Node, stable_id
from filmfs.manifests import edit as editing

LIBRARY = ("audio", "image", "text", "video")
VIDEO_FIELDS = ("sha256", "size", "duration", "width", "height", "fps", "codec", "format")


def link(repo: RepoState, parent: str, child: str, kind: str, sequence: int | None) -> None:
    if kind == "generation_attempt":
        _attempt(repo, repo.node(parent, "shot"), _pending(repo, child, "shot_take"), sequence)
    elif kind == "generated_video":
        block = _video_block(repo, child)
        take = repo.pending.get(parent)
        if take is not None and take.type == "shot_take":
            take.video, take.video_id = block, child
        else:
            node = repo.node(parent, "shot_take")
            editing.change(repo.path(node), {"video": block}, root=repo.root, kind="take")
    elif kind == "final_edit":
        film = repo.node(parent, "film")
        block = _video_block(repo, child)
        editing.change(repo.path(film), {"final_edit": block}, root=repo.root, kind="film")
    elif kind in ("uses_character", "uses_audio", "uses_asset"):
        shot = repo.node(parent, "shot")
        field, types = {
            "uses_character": ("characters", ("character_ref",)),
            "uses_audio": ("audio", ("audio",)),
            "uses_asset": ("assets", LIBRARY),
        }[kind]
        target = repo.node(child, *types)
        editing.append(repo.path(shot), field, target.key, root=repo.root, kind="shot")
    elif kind == "contains_shot":
        owner = repo.node(parent, "film", "scene")
        shot = repo.node(child, "shot")
        # Order comes from shot numbers (see README), so a sequence is not stored.
        if owner.type == "scene":
            number = owner.metadata["scene_number"]
            editing.change(repo.path(shot), {"scene": number}, root=repo.root, kind="shot")
    else:
        _lineage(repo, repo.node(parent), repo.node(child), kind)


def _pending(repo: RepoState, asset_id: str, kind: str) -> Pending:
    pending = repo.pending.get(asset_id)
    if pending is None or pending.type != kind:
        raise FilmfsError(f"{asset_id} is not a new {kind} (create it with create_asset first)")
    return pending


def _attempt(repo: RepoState, shot: Node, take: Pending, sequence: int | None) -> None:
    # Through the one writer of take files (filmfs.film.takes): the attempt number is reserved
    # under the shot's lock, counting the numbers a running `filmfs generate` holds, and the
    # file is created exclusively, so neither side ever overwrites the other's take.
    meta = dict(take.metadata)
    wanted = meta.pop("attempt_number", None)
    if wanted is not None and sequence is not None and wanted != sequence:
        raise FilmfsError(f"attempt_number {wanted} and sequence {sequence} disagree")
    with takes.reserve_attempt(repo.root, shot.key, wanted=wanted or sequence) as attempt:
        data: dict[str, Any] = {
            "attempt_number": attempt,
            "selected": bool(meta.pop("selected", False)),
            "generation_params": meta.pop("generation_params", {}),
            **meta,
        }
        if take.generation_cost is not None:
            data["generation_cost"] = take.generation_cost
        if take.video is not None:
            data["video"] = take.video
        path, _ = takes.write_take(repo.root, shot.key, attempt, data, select="as-is")
    repo.alias[take.id] = stable_id(path.relative_to(repo.root).as_posix())
    del repo.pending[take.id]


def _video_block(repo: RepoState, asset_id: str) -> dict[str, Any]:
    video = repo.pending.get(asset_id)
    if video is None:
        node = repo.node(asset_id, "video")
        block = {**node.metadata, "duration": node.duration, "url": node.url}
    else:
        # The duration= and url= arguments win; metadata may carry them too.
        columns = {"duration": video.duration, "url": video.url}
        block = {**video.metadata, **{k: v for k, v in columns.items() if v is not None}}
    block = {k: v for k, v in block.items() if v is not None and k not in ("id", "description")}
    missing = [f for f in VIDEO_FIELDS if f not in block]
    if missing:
        raise FilmfsError(
            f"the video lacks {', '.join(missing)}",
            hint="probe the file first, or pass the values in metadata",
        )
    order = [*VIDEO_FIELDS, "has_audio", "url", "derived_from"]
    block = dict(
        sorted(block.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    )
    if video is not None:
        repo.alias[asset_id] = stable_id(f"video:{block['sha256']}")
        del repo.pending[asset_id]
    return block


def _lineage(repo: RepoState, parent: Node, child: Node, kind: str) -> None:
    """derived_from / variant_of: from the edited or alternative version to its source."""
    held = parent.type == "video" and not parent.source.startswith(layout.ASSETS_DIR + "/")
    if kind == "derived_from" and held and child.type == "video":
        path, field = _holder(repo, parent)
        block = dict(editing.current(path)[field])
        sources = list(block.get("derived_from", []))
        if child.key not in sources:
            block["derived_from"] = [*sources, child.key]
        editing.change(path, {field: block}, root=repo.root, kind=_kind(path))
        return
    same = {parent.type, child.type} <= set(LIBRARY) or parent.type == child.type == "character_ref"
    if not same or held or (kind == "derived_from" and parent.type == "character_ref"):
        raise FilmfsError(f"{kind} cannot link a {parent.type} to a {child.type} in this format")
    editing.change(
        repo.path(parent), {kind: child.key}, root=repo.root, kind=editing.KIND[parent.type]
    )


def _holder(repo: RepoState, video: Node) -> tuple[Path, str]:
    path = repo.path(video)
    return path, "final_edit" if path.name == layout.FILM_FILE else "video"


def _kind(path: Path) -> str:
    return "film" if path.name == layout.FILM_FILE else "take"


def update(
    repo: RepoState,
    node: Node,
    changes: dict[str, Any],
    *,
    name: str | None,
    generation_cost: Decimal | None,
    url: str | None,
    duration: float | None,
) -> None:
    if not node.source:
        raise FilmfsError(f"{node.name} is only known as a derived_from source; no file holds it")
    if node.type == "video" and not node.source.startswith(layout.ASSETS_DIR + "/"):
        path, field = _holder(repo, node)
        block = {**editing.current(path)[field], **changes}
        block.update({k: v for k, v in (("url", url), ("duration", duration)) if v is not None})
        editing.change(path, {field: block}, root=repo.root, kind=_kind(path))
        return
    renames = {"film": ("title", "total_duration"), "character_ref": ("name", None)}
    name_field, duration_field = renames.get(node.type, ("name", "duration"))
    extra = {
        name_field: name,
        duration_field or "": duration,
        "url": url,
        "generation_cost": generation_cost,
    }
    for key, value in extra.items():
        if value is not None and key:
            changes[key] = value
    if node.type in ("shot", "scene") and name is not None:
        raise FilmfsError(f"a {node.type}'s name comes from its number and description")
    if node.type == "shot_take" and changes.get("selected") is True:
        takes.select_take(
            repo.root, node.metadata["shot_number"], node.metadata["attempt_number"], changes
        )
        return
    editing.change(repo.path(node), changes, root=repo.root, kind=editing.KIND[node.type])
