"""`filmfs export FILE`: the cut as an editorial timeline, through OpenTimelineIO.

Each clip names its shot and selected take and carries every take of its shot as a media
reference (the selected one active) with provenance in ``metadata["filmfs"]``; the adapter is
chosen by the file's suffix (.otio, .otioz, .otiod, .edl, .xml, .fcpxml).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmfs.commands.assemble import cut_transition
from filmfs.errors import FilmfsError, StoreError
from filmfs.export.otio import CutClip, TakeMedia, build_timeline, file_url, write_timeline
from filmfs.manifests.writer import check_output
from filmfs.project import Project


@dataclass(frozen=True)
class ExportResult:
    path: Path
    clips: int
    takes: int
    skipped: list[str]


def export_cut(project: Project, *, dest: Path, bundle: bool = False) -> ExportResult:
    if dest.is_dir() and dest.suffix.lower() != ".otiod":
        raise FilmfsError(
            f"{dest} is a folder; give a file name such as {dest / 'cut.otio'}",
            hint="only an .otiod bundle is written as a folder",
        )
    film = project.require_valid()
    check_output(project.root, dest)
    store = project.store
    cuts: list[CutClip] = []
    skipped: list[str] = []
    missing: list[str] = []
    for shot in project.shots.values():
        takes = [t for t in shot.takes if t.video is not None]
        if shot.status == "omitted" or not any(t.selected for t in takes):
            skipped.append(shot.shot_number)
            continue
        media = []
        for take in takes:
            assert take.video is not None
            local = store.path_of(take.video.sha256)
            if bundle and take.selected and not local.exists():
                missing.append(f"{shot.shot_number} take {take.attempt_number}")
            url = file_url(local) if local.exists() or not take.video.url else take.video.url
            params = take.generation_params
            media.append(
                TakeMedia(
                    attempt=take.attempt_number,
                    target_url=url,
                    sha256=take.video.sha256,
                    duration=take.video.duration,
                    fps=take.video.fps,
                    provider=params.provider,
                    model=params.model,
                    seed=params.seed,
                    cost=take.generation_cost,
                    selected=take.selected,
                )
            )
        transition = cut_transition(shot, first=not cuts)
        cuts.append(
            CutClip(
                shot.shot_number, "" if shot.scene is None else str(shot.scene), media, transition
            )
        )
    if not cuts:
        raise FilmfsError("nothing to export: no shot has a selected take")
    if missing:
        # A bundle carries the selected takes' bytes: say which are absent, not OTIO's path.
        raise StoreError(
            f"media missing from the local store, so it cannot be bundled: {', '.join(missing)}",
            hint="fetch it with `filmfs pull`, or export without --bundle",
        )
    timeline = build_timeline(
        film.title, cuts, film.format.fps, width=film.format.width, height=film.format.height
    )
    written = write_timeline(timeline, dest, bundle=bundle)
    return ExportResult(written, len(cuts), sum(len(c.takes) for c in cuts), skipped)
