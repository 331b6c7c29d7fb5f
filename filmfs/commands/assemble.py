"""`filmfs assemble`: the selected takes in film order, in the film's format, as one MP4.

The cut goes into the media store and film.yaml records it as the film's ``final_edit``
(sha256, duration, format), ``derived_from`` the videos it was cut from, and ``conformed``
for takes that were re-encoded to the film's format (conformed sha256 -> source sha256).
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from filmfs.errors import FilmfsError, StoreError
from filmfs.film.cut import CutPlan, plan_cut
from filmfs.film.deps import film_manifests_edited
from filmfs.film.locks import commit_made_from
from filmfs.film.model import Format, VideoRef
from filmfs.film.recipe import cut_recipe, recorded
from filmfs.manifests.writer import check_output, make_folder, update_field
from filmfs.media.assembly import Clip, Soundtrack, assemble
from filmfs.media.conform import CONFORM_VERSION
from filmfs.media.ffmpeg import warm_up
from filmfs.media.ingest import store_video
from filmfs.media.probe import preload, probe
from filmfs.media.probe_cache import forget as forget_probe
from filmfs.media.slate import stored_slate
from filmfs.media.subtitles import mux_subtitles, to_srt
from filmfs.media.verify import check_cut
from filmfs.project import Project
from filmfs.script.subtitles import plan_cues, write_subtitles
from filmfs.store.objects import MediaStore, hash_own_file, link_or_copy
from filmfs.store.stamps import Verifying, is_verified, require_verified, set_aside

DEFAULT_OUTPUT = "cut.mp4"


@dataclass
class AssembleResult:
    output: Path
    video: VideoRef
    shots: list[str] = field(default_factory=list)
    slates: list[str] = field(default_factory=list)
    conformed: list[str] = field(default_factory=list)
    """Shots whose take was re-encoded to the film's format (this run or cached)."""
    encoded: list[str] = field(default_factory=list)
    """Shots encoded in this run (conformed, or joined around a transition)."""
    reused: list[str] = field(default_factory=list)
    expected_duration: float = 0.0
    commit: str | None = None
    up_to_date: bool = False
    """Nothing changed since film.yaml's final_edit: that cut was published again."""
    subtitles: list[Path] = field(default_factory=list)
    """The cut's SRT and WebVTT files (none when no shot has dialogue)."""
    cues: int = 0
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each phase of this run, in order (what the benchmark prints)."""


def _audio_path(project: Project, store: MediaStore, asset_id: str) -> tuple[Path, float] | None:
    asset = project.assets[asset_id]
    if asset.sha256 is None:
        return None
    return require_verified(store, asset.sha256, what=f"audio asset {asset_id}"), asset.volume


def plan_clips(
    project: Project, store: MediaStore, plan: CutPlan, *, fmt: Format, allow_gaps: bool
) -> tuple[list[Clip], list[tuple[str, str]]]:
    """The media of each clip of ``plan`` (stored takes, and slates for its gaps), and the
    takes' objects to check against their sha256 (sha256, which take) before the cut is kept."""
    clips: list[Clip] = []
    takes: list[tuple[str, str]] = []
    missing: list[str] = []
    for item in plan.clips:
        shot = project.shots[item.shot]
        if item.sha256 is None:
            slate = stored_slate(
                store, f"{item.shot}  no selected take", float(item.take_duration), fmt
            )
            path, sha = slate.path, slate.sha256
        else:
            sha = item.sha256
            if not store.has(sha):
                missing.append(f"{item.shot} take {item.take} ({sha[:12]})")
                continue
            # The bytes cut into the film must be the ones the take names: checked while
            # they are cut (stamped, so a second run reads no media to know it).
            path = store.path_of(sha)
            takes.append((sha, f"shot {item.shot} take {item.take}"))
        audio = _audio_path(project, store, shot.audio[0]) if shot.audio else None
        tr = item.transition_in
        take = next((t for t in shot.takes if t.attempt_number == item.take), None)
        crop = take is not None and take.generation_params.crops
        clips.append(
            Clip(
                label=item.shot,
                path=path,
                sha256=sha,
                transition_in=tr.rendered() if tr else None,
                audio=audio[0] if audio else None,
                audio_volume=audio[1] if audio else 1.0,
                start=float(item.start),
                end=float(item.end) if item.end < item.take_duration else None,
                crop=crop,
            )
        )
    if plan.gaps and not allow_gaps:
        raise FilmfsError(
            f"{len(plan.gaps)} shot(s) have no selected take: {', '.join(plan.gaps)}",
            hint="generate them (`filmfs generate --missing`), select a take with "
            "`filmfs select SHOT N`, or pass --allow-gaps to put a slate in their place",
        )
    if missing:
        raise StoreError(
            "media missing from the local store: " + ", ".join(missing),
            hint="fetch it with `filmfs pull`, or generate the takes again",
        )
    return clips, takes


class _Clock:
    """Seconds spent in each phase of one run, for the benchmark's breakdown."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._last
        self._last = now


def assemble_film(
    project: Project,
    *,
    output: Path | None = None,
    allow_gaps: bool = False,
    commit: bool = True,
    force: bool = False,
    subtitle_track: bool = False,
) -> AssembleResult:
    """Assemble the cut; when nothing it is made of changed since film.yaml's final_edit,
    only publish that cut again (``force`` renders it anyway)."""
    clock = _Clock()
    warm_up()  # ffmpeg found meanwhile, should the cut need rendering
    film = project.require_valid()
    out = output or project.root / DEFAULT_OUTPUT
    check_output(project.root, out)
    make_folder(out.parent)  # before minutes of encoding, not after
    store = project.store
    fmt = film.format
    plan = plan_cut(project.shots.values(), fmt, allow_gaps=allow_gaps)
    if not plan.clips and not plan.gaps:
        raise FilmfsError("nothing to assemble: no shot has a selected take")
    cues = plan_cues(project, plan)
    srt = to_srt(cues) if subtitle_track and cues else None
    subtitles = write_subtitles(cues, out)
    recipe = cut_recipe(
        plan,
        fmt,
        shots=project.shots,
        assets=project.assets,
        soundtrack=film.soundtrack,
        engine=CONFORM_VERSION,
        # A muxed subtitle track is part of the cut's bytes.
        subtitles=hashlib.sha256(srt.encode()).hexdigest() if srt is not None else None,
    )
    gaps, expected = list(plan.gaps), float(plan.duration)
    final = film.final_edit
    clock.lap("validate and plan")
    if not force and is_current(store, final, recipe["hash"]):
        assert final is not None
        link_or_copy(store.path_of(final.sha256), out, read_only=True)
        clock.lap("publish")
        return AssembleResult(
            output=out,
            video=final,
            shots=plan.shots,
            slates=gaps if allow_gaps else [],
            reused=plan.shots,
            expected_duration=expected,
            up_to_date=True,
            subtitles=subtitles,
            cues=len(cues),
            phases=clock.phases,
        )
    clips, takes = plan_clips(project, store, plan, fmt=fmt, allow_gaps=allow_gaps)
    if not clips:
        raise FilmfsError("nothing to assemble: no shot has a selected take")
    soundtrack = None
    if film.soundtrack:
        bed = _audio_path(project, store, film.soundtrack)
        soundtrack = Soundtrack(bed[0], bed[1]) if bed else None
    # The takes are hashed while ffmpeg reads them; nothing is encoded into the store's
    # caches, nor the cut kept, before every one of them matched.
    inputs = Verifying(store, takes)
    preload()  # PyAV, for checking the cut, loads while ffmpeg runs
    clock.lap("plan clips")
    with store.temp_path(".mp4") as tmp:
        try:
            made = assemble(
                clips, fmt, tmp, store=store, soundtrack=soundtrack,
                before_encoding=lambda: _require(store, inputs),
            )  # fmt: skip
        except FilmfsError:
            _require(store, inputs)  # a damaged take is the error to report, if there is one
            raise
        except BaseException:
            inputs.cancel()
            raise
        clock.lap("ffmpeg (inputs hashed meanwhile)")
        _require(store, inputs)
        clock.lap("inputs: rest of their hashing")
        # Nothing is published or recorded unless the cut is the one planned.
        info = None
        if srt is None:
            # The store's sha256 is computed meanwhile: both read the file just written.
            with ThreadPoolExecutor(max_workers=1) as pool:
                digest = pool.submit(hash_own_file, tmp)
                check_cut(tmp, fmt=fmt, frames=plan.frames)
                info = probe(tmp)
                clock.lap("cut check (packet read) and probe")
                hashed: tuple[str, int] | None = digest.result()
                clock.lap("sha256 of the cut, after the check")
        else:
            check_cut(tmp, fmt=fmt, frames=plan.frames)
            clock.lap("cut check (packet read)")
            with store.temp_path(".mp4") as muxed:
                mux_subtitles(tmp, srt, muxed)
                os.replace(muxed, tmp)
            hashed = None
        stored_cut = store_video(store, tmp, move=True, hashed=hashed, info=info)
    clock.lap("store the cut")
    # The cut is made from the conformed copies where a take had to be re-encoded.
    conformed_for = {source: conformed for conformed, source in made.conformed.items()}
    link_or_copy(store.path_of(stored_cut.sha256), out, read_only=True)
    video = replace(
        stored_cut,
        derived_from=tuple(dict.fromkeys(conformed_for.get(c.sha256, c.sha256) for c in clips)),
        conformed=dict(made.conformed),
        recipe=recorded(recipe),
    )
    update_field(film.path, "final_edit", video.as_data())
    clock.lap("publish and record final_edit")
    sha = None
    if commit:
        # The cut is made from the whole film as it is in the working tree: every manifest
        # with uncommitted edits goes into the same commit, so HEAD reproduces HEAD's cut.
        sha = commit_made_from(
            project.root,
            [film.path],
            film_manifests_edited(project.root),
            f"assemble: final cut {video.sha256[:12]} ({len(clips)} shots, {video.duration:.1f} s)",
        )
        clock.lap("git commit")
    return AssembleResult(
        output=out,
        video=video,
        shots=[c.label for c in clips],
        slates=gaps if allow_gaps else [],
        conformed=list(made.conform_reasons),
        encoded=list(made.encoded),
        reused=list(made.reused),
        expected_duration=expected,
        commit=sha,
        subtitles=subtitles,
        cues=len(cues),
        phases=clock.phases,
    )


def _require(store: MediaStore, inputs: Verifying) -> None:
    """Every input matched its sha256; else what was read from the bad bytes is forgotten."""
    try:
        inputs.require_all()
    except StoreError:
        for bad in inputs.failed():
            forget_probe(store, bad)  # the take's probe, made from bytes that were not its own
        raise


def is_current(store: MediaStore, final: VideoRef | None, recipe_hash: str) -> bool:
    """The recorded cut is this recipe's and its object is in the store, whole.

    Decided from film.yaml (committed) and the object alone: no local cache has a say.
    """
    if final is None or final.recipe is None or final.recipe.get("hash") != recipe_hash:
        return False
    if is_verified(store, final.sha256):
        return True
    # Present but damaged: set it aside so the cut rendered now is stored in its place.
    set_aside(store, final.sha256)
    return False
