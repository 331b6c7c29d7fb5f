"""`filmfs review`: write the review page of a film.

The page (``review/index.html`` by default, git-ignored) plays videos straight from the media
store through relative URLs, so writing it copies no media. ``copy_media`` copies the selected
takes into ``media/`` next to the page, for a page that is shared as a folder.

With revisions (``base``/``head``, read as ``filmfs diff`` reads them) the page reviews a
change: the film at the head side, with each shot the change touches (or leaves stale) shown
first, its old and new selected take side by side.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from filmfs.diff.changes import compare
from filmfs.diff.revisions import film_at, sides
from filmfs.export.review.compare import Comparison, build_comparison
from filmfs.export.review.compare_page import render_changes
from filmfs.export.review.data import Review, ShotReview, TakeReview, build_review
from filmfs.export.review.page import render
from filmfs.export.review.screenplay import render_screenplay
from filmfs.film.cut import plan_cut
from filmfs.manifests.writer import atomic_write_text, check_output, make_folder
from filmfs.project import Project
from filmfs.script.subtitles import plan_cues
from filmfs.script.view import screenplay, speaker_names
from filmfs.store.objects import MediaStore

REVIEW_DIR = "review"
PAGE_NAME = "index.html"
MEDIA_DIR = "media"


@dataclass(frozen=True)
class ReviewResult:
    page: Path
    review: Review
    copied: list[Path] = field(default_factory=list)
    comparison: Comparison | None = None
    """The changed shots, when the page reviews a change between two revisions."""


def default_page(root: Path) -> Path:
    return root / REVIEW_DIR / PAGE_NAME


def relative_url(target: Path, page: Path) -> str:
    """URL of ``target`` relative to the page's folder, percent-encoded per path segment."""
    rel = os.path.relpath(target, page.parent)
    return "/".join(quote(part) for part in Path(rel).parts)


def copy_selected(review: Review, store: MediaStore, folder: Path) -> dict[str, Path]:
    """Copy each selected take present in the store to ``folder``; sha256 -> copy.

    Every copy hashes the bytes it copies (:meth:`MediaStore.copy_out`): a symlink planted in
    the store, or corrupt bytes, never reach the shared folder."""
    copies: dict[str, Path] = {}
    for shot in review.shots:
        take = shot.selected
        if take is None or take.sha256 is None or not take.media_present:
            continue
        dest = folder / f"{shot.shot_id}-take{take.attempt:03d}.mp4"
        make_folder(folder)
        store.copy_out(take.sha256, dest, what=f"shot {shot.shot_id} take {take.attempt}")
        copies[take.sha256] = dest
    return copies


def review(
    project: Project,
    *,
    out: Path | None = None,
    copy_media: bool = False,
    base: str | None = None,
    head: str | None = None,
) -> ReviewResult:
    """Build the review of ``project`` and write it as one HTML page at ``out``; with ``base``
    (and ``head``), the review of the change between those revisions."""
    store = project.store
    comparison = None
    if base is not None or head is not None:
        base_side, head_side = sides(project.root, base, head)
        before = film_at(project.root, base_side)
        if head_side.sha is not None:
            project = film_at(project.root, head_side)
        comparison = build_comparison(
            before,
            project,
            compare(before, project),
            base=f"{base_side.label} ({base_side.short})",
            head=head_side.short
            if head_side.sha is None
            else f"{head_side.label} ({head_side.short})",
            has_object=store.has,
        )
    data = build_review(project, has_object=store.has)
    page = Path(os.path.abspath(out)) if out else default_page(project.root)
    check_output(project.root, page)
    if copy_media:
        check_output(project.root, page.parent / MEDIA_DIR)
    copies = copy_selected(data, store, page.parent / MEDIA_DIR) if copy_media else {}

    def src(shot: ShotReview, take: TakeReview) -> str | None:
        if take.sha256 is None:
            return None
        if take.sha256 in copies and take.selected:
            return relative_url(copies[take.sha256], page)
        if not take.media_present:
            return None
        return relative_url(store.path_of(take.sha256), page)

    def take_src(take: TakeReview) -> str | None:
        if take.sha256 is None or not take.media_present:
            return None
        return relative_url(store.path_of(take.sha256), page)

    changes = render_changes(comparison, src=take_src) if comparison is not None else ""
    html = render(data, src=src, changes=changes, extra=_screenplay(project, store, page))
    atomic_write_text(page, html)
    page.chmod(0o644)  # a temp file is private; a page is for sharing
    copied = sorted(set(copies.values()))
    return ReviewResult(page=page, review=data, copied=copied, comparison=comparison)


def _screenplay(project: Project, store: MediaStore, page: Path) -> str:
    """The script section; with the last assembled cut and its subtitles when it is here."""
    final = project.film.final_edit if project.film else None
    cut_url = None
    if final is not None and store.has(final.sha256):
        cut_url = relative_url(store.path_of(final.sha256), page)
    found = []
    if cut_url and project.film is not None:
        found = plan_cues(project, plan_cut(project.shots.values(), project.film.format))
    return render_screenplay(
        screenplay(project), speaker_names(project), cut_url=cut_url, cues=found
    )
