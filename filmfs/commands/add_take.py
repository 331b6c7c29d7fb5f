"""`filmfs add-take SHOT FILE`: a video made elsewhere becomes the shot's next take.

Many filmmakers generate in a provider's web app or finish a shot in an editor; this brings the
file in with the same rules as a generated take: probed, stored by sha256, provenance recorded,
attempt number reserved, first take selected, committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.film.deps import shot_dependencies
from filmfs.film.locks import commit_made_from
from filmfs.film.model import VideoRef
from filmfs.film.takes import check_room, reserve_attempt, take_data, write_take
from filmfs.manifests.edit import check
from filmfs.media.ingest import store_video
from filmfs.media.probe import Probing
from filmfs.project import Project


@dataclass(frozen=True)
class AddTakeResult:
    """The take written: its shot, attempt, file, video, whether it is selected, the commit."""

    shot_id: str
    attempt: int
    path: Path
    selected: bool
    video: VideoRef
    commit: str | None


def add_take(
    project: Project,
    *,
    shot_id: str,
    source: Path,
    provider: str = "external",
    model: str | None = None,
    seed: int | None = None,
    cost: Decimal | None = None,
    note: str | None = None,
    commit: bool = True,
    probing: Probing | None = None,
) -> AddTakeResult:
    """``probing`` is :func:`probe_ahead` of ``source``, when the caller started one."""
    project.require_valid()
    shot = project.shot(shot_id)
    if not source.is_file():
        what = "not a regular file" if source.exists() else "no such file"
        raise FilmfsError(f"{source}: {what}")
    if cost is not None and not (cost.is_finite() and cost >= 0):
        raise FilmfsError(f"--cost must be an amount of USD, 0 or more, not {cost}")
    params = {"provider": provider, "model": model, "seed": seed, "source": source.name}
    # The options are checked against the take schema before any work (an empty --provider,
    # a --note over its limit), so a refused take stores nothing.
    draft = take_data(
        attempt=1,
        selected=False,
        generation_params=params,
        video=None,
        generation_cost=cost,
        director_notes=note,
    )
    check(draft, "take", f"{layout.SHOTS_DIR}/{shot.shot_number}/takes (new take)")
    check_room(project.root, shot.shot_number)
    store = project.store
    # A clear error for anything that is not a video.
    video = store_video(store, source, probing=probing)
    with reserve_attempt(project.root, shot.shot_number) as attempt:
        data = take_data(
            attempt=attempt,
            selected=False,
            generation_params=params,
            video=video,
            generation_cost=cost,
            director_notes=note,
        )
        path, selected = write_take(project.root, shot.shot_number, attempt, data, select="first")
    sha = (
        commit_made_from(
            project.root,
            [path],
            shot_dependencies(project, [shot_id]),
            f"add take {attempt} to {shot_id} from {source.name}",
        )
        if commit
        else None
    )
    return AddTakeResult(shot_id, attempt, path, selected, video, sha)
