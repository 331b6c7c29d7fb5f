"""`filmfs export FILE`: the cut as an editorial timeline, with its sound and its media.

Each clip names its shot and selected take (in ``.otio`` every take of its shot is a media
reference, the selected one active), with provenance in ``metadata["filmfs"]``; the takes'
sound, the soundtrack and the shots' audio assets are on tracks of their own. The media is
put beside the timeline in ``media/`` under readable names (export/media.py) and referred to
relatively, so the folder can move; ``--bundle`` puts it inside an .otioz / .otiod instead.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from filmfs.errors import FilmfsError, StoreError
from filmfs.export.media import (
    MEDIA_DIR,
    asset_file_name,
    audio_extension,
    place,
    take_file_name,
)
from filmfs.export.otio import BUNDLES, MULTI_REFERENCE, check_writable, file_url, write_timeline
from filmfs.export.timeline import AudioMedia, CutClip, Subtitle, TakeMedia, build_timeline
from filmfs.film.cut import CutPlan, plan_cut
from filmfs.manifests.writer import check_output, make_folder
from filmfs.media.subtitles import clip_cues
from filmfs.project import Project
from filmfs.script.subtitles import placed
from filmfs.store.objects import MediaStore


@dataclass(frozen=True)
class ExportResult:
    path: Path
    clips: int
    takes: int
    """Takes the timeline refers to: every take of each shot in .otio, else the selected."""
    skipped: list[str]
    media: Path | None = None
    """The folder the media was put in (None for a bundle, which holds its own)."""
    media_files: int = 0
    missing: list[str] = field(default_factory=list)
    """Media not in the local store: referred to by name, not placed."""
    audio_tracks: int = 0


class _Media:
    """Where each exported file goes and how the timeline refers to it."""

    def __init__(self, store: MediaStore, folder: Path, *, absolute: bool) -> None:
        self.store, self.folder, self.absolute = store, folder, absolute
        self.wanted: dict[str, str] = {}  # file name -> sha256
        self.missing: list[str] = []

    def url(self, name: str, sha256: str, remote: str | None, label: str, *, use: bool) -> str:
        if use and self.store.has(sha256):
            self.wanted[name] = sha256
        elif use:
            self.missing.append(label)
            if remote:
                return remote
        return file_url(self.folder / name) if self.absolute else f"{MEDIA_DIR}/{name}"

    def place_all(self) -> int:
        for name, sha in self.wanted.items():
            place(self.store.path_of(sha), sha, self.folder / name)
        return len(self.wanted)


def export_cut(project: Project, *, dest: Path, bundle: bool = False) -> ExportResult:
    if dest.is_dir() and dest.suffix.lower() != ".otiod":
        raise FilmfsError(
            f"{dest} is a folder; give a file name such as {dest / 'cut.otio'}",
            hint="only an .otiod bundle is written as a folder",
        )
    film = project.require_valid()
    check_output(project.root, dest)
    check_writable(dest, bundle=bundle)
    suffix = dest.suffix.lower()
    every_take = suffix in MULTI_REFERENCE
    store = project.store
    in_bundle = bundle and suffix in BUNDLES
    make_folder(store.tmp)  # bundled media is linked there first: same filesystem as the store
    with tempfile.TemporaryDirectory(prefix="export-", dir=store.tmp) as tmp:
        folder = Path(tmp) if in_bundle else dest.parent / MEDIA_DIR
        media = _Media(store, folder, absolute=in_bundle)
        cuts, skipped = _cuts(project, media, every_take=every_take)
        if not cuts:
            raise FilmfsError("nothing to export: no shot has a selected take")
        if bundle and media.missing:
            # A bundle carries the selected takes' bytes: say which are absent.
            raise StoreError(
                "media missing from the local store, so it cannot be bundled: "
                + ", ".join(media.missing),
                hint="fetch it with `filmfs pull`, or export without --bundle",
            )
        soundtrack = _audio(project, media, film.soundtrack) if film.soundtrack else None
        timeline = build_timeline(
            film.title,
            cuts,
            film.format.fps,
            width=film.format.width,
            height=film.format.height,
            soundtrack=soundtrack,
        )
        placed = media.place_all()
        written = write_timeline(timeline, dest, bundle=bundle)
    audio_tracks = sum(1 for t in timeline.tracks if t.kind == "Audio")
    return ExportResult(
        path=written,
        clips=len(cuts),
        takes=sum(len(c.takes) for c in cuts) if every_take else len(cuts),
        skipped=skipped,
        media=None if in_bundle else folder,
        media_files=placed,
        missing=media.missing,
        audio_tracks=audio_tracks,
    )


def _cuts(project: Project, media: _Media, *, every_take: bool) -> tuple[list[CutClip], list[str]]:
    """The clips of the cut plan (film/cut.py): order, trims and transitions as assemble
    renders them."""
    film = project.film
    assert film is not None
    plan = plan_cut(project.shots.values(), film.format)
    skipped = [s.shot_number for s in project.shots.values() if s.shot_number not in plan.shots]
    cuts: list[CutClip] = []
    lines = _subtitles(project, plan)
    for item in plan.clips:
        shot = project.shots[item.shot]
        entries = []
        for take in shot.takes:
            if take.video is None or not (take.selected or every_take):
                continue
            video = take.video
            name = take_file_name(shot.shot_number, take.attempt_number, video.sha256, video.format)
            label = f"{shot.shot_number} take {take.attempt_number}"
            params = take.generation_params
            entries.append(
                TakeMedia(
                    attempt=take.attempt_number,
                    target_url=media.url(name, video.sha256, video.url, label, use=True),
                    sha256=video.sha256,
                    duration=video.duration,
                    fps=video.fps,
                    provider=params.provider,
                    model=params.model,
                    seed=params.seed,
                    cost=take.generation_cost,
                    selected=take.selected,
                    has_audio=video.has_audio is not False,
                )
            )
        tr = item.transition_in
        audio = _audio(project, media, shot.audio[0]) if shot.audio else None
        trim = (item.start, item.end) if item.trimmed else None
        cuts.append(
            CutClip(
                shot.shot_number,
                "" if shot.scene is None else str(shot.scene),
                entries,
                tr.rendered() if tr else None,
                audio,
                trim,
                lines[item.shot],
            )
        )
    return cuts, skipped


def _subtitles(project: Project, plan: CutPlan) -> dict[str, tuple[Subtitle, ...]]:
    """Each clip's dialogue as subtitles, timed as in the assembled cut's SRT; a marker's time
    is in the clip's media (the take), so a trimmed clip's `in` is added."""
    found = {}
    for item, clip in zip(plan.clips, placed(project, plan), strict=True):
        found[item.shot] = tuple(
            Subtitle(
                item.start + cue.start - clip.start, cue.end - cue.start, cue.speaker, cue.text
            )
            for cue in clip_cues(clip)
        )
    return found


def _audio(project: Project, media: _Media, asset_id: str) -> AudioMedia | None:
    asset = project.assets.get(asset_id)
    if asset is None or asset.sha256 is None:
        return None
    local = media.store.path_of(asset.sha256)
    name = asset_file_name(
        asset.id, asset.sha256, audio_extension(local if local.is_file() else None, asset.url)
    )
    url = media.url(name, asset.sha256, asset.url, f"asset {asset.id}", use=True)
    return AudioMedia(asset.id, url, asset.sha256, asset.duration, asset.volume)
