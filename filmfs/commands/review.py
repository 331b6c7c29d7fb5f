"""`filmfs review`: write the review page of a film.

The page (``review/index.html`` by default, git-ignored) plays videos straight from the media
store through relative URLs, so writing it copies no media. ``copy_media`` copies the selected
takes into ``media/`` next to the page, for a page that is shared as a folder.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from filmfs.export.review.data import Review, ShotReview, TakeReview, build_review
from filmfs.export.review.page import render
from filmfs.manifests.writer import atomic_write_text, check_output, make_folder, write_error
from filmfs.project import Project
from filmfs.store.objects import MediaStore

REVIEW_DIR = "review"
PAGE_NAME = "index.html"
MEDIA_DIR = "media"


@dataclass(frozen=True)
class ReviewResult:
    page: Path
    review: Review
    copied: list[Path] = field(default_factory=list)


def default_page(root: Path) -> Path:
    return root / REVIEW_DIR / PAGE_NAME


def relative_url(target: Path, page: Path) -> str:
    """URL of ``target`` relative to the page's folder, percent-encoded per path segment."""
    rel = os.path.relpath(target, page.parent)
    return "/".join(quote(part) for part in Path(rel).parts)


def copy_selected(review: Review, store: MediaStore, folder: Path) -> dict[str, Path]:
    """Copy each selected take present in the store to ``folder``; sha256 -> copy."""
    copies: dict[str, Path] = {}
    for shot in review.shots:
        take = shot.selected
        if take is None or take.sha256 is None or not take.media_present:
            continue
        dest = folder / f"{shot.shot_id}-take{take.attempt:03d}.mp4"
        if not dest.is_file() or dest.stat().st_size != store.path_of(take.sha256).stat().st_size:
            make_folder(folder)
            tmp = dest.with_name(f".{dest.name}.tmp")
            try:
                shutil.copyfile(store.path_of(take.sha256), tmp)
                os.replace(tmp, dest)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise write_error(dest, exc) from exc
        copies[take.sha256] = dest
    return copies


def review(project: Project, *, out: Path | None = None, copy_media: bool = False) -> ReviewResult:
    """Build the review of ``project`` and write it as one HTML page at ``out``."""
    store = project.store
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

    atomic_write_text(page, render(data, src=src))
    page.chmod(0o644)  # a temp file is private; a page is for sharing
    return ReviewResult(page=page, review=data, copied=sorted(set(copies.values())))
