"""The "what changed" section of the review page: each changed shot's old and new selected
take side by side (see :mod:`filmfs.export.review.compare`). Values are escaped like the rest
of the page."""

from __future__ import annotations

from collections.abc import Callable

from filmfs.export.review.compare import Comparison, ShotComparison
from filmfs.export.review.data import TakeReview
from filmfs.export.review.page import e

TakeSource = Callable[[TakeReview], str | None]


def _side(label: str, take: TakeReview | None, src: TakeSource) -> str:
    if take is None:
        body = '<div class="missing"><strong>No selected take</strong></div>'
        caption = "—"
    else:
        url = src(take)
        body = (
            f'<video controls muted preload="metadata" src="{e(url)}"></video>'
            if url
            else '<div class="missing"><strong>Media not in the local store</strong>'
            "<code>filmfs pull</code></div>"
        )
        caption = f"take {take.attempt} · {take.provider} / {take.model}"
    return (
        f'<figure class="side" data-side="{e(label)}"><figcaption><b>{e(label)}</b> '
        f"{e(caption)}</figcaption>{body}</figure>"
    )


def _row(shot: ShotComparison, comparison: Comparison, src: TakeSource) -> str:
    what = " · ".join(shot.what)
    stale = (
        f'<span class="flag">&#9888; stale: {e(", ".join(shot.stale))} changed</span>'
        if shot.stale
        else ""
    )
    return (
        f'<article class="change" data-shot="{e(shot.shot_id)}" data-kind="{e(shot.kind)}"'
        f"{' data-stale' if shot.stale else ''}>"
        f'<header><h3><a href="#shot-{e(shot.shot_id)}">{e(shot.shot_id)}</a> '
        f'<span class="kind">{e(shot.kind)}</span>{stale}</h3><p>{e(what)}</p></header>'
        f'<div class="sides">{_side(comparison.base, shot.before, src)}'
        f"{_side(comparison.head, shot.after, src)}</div></article>"
    )


def render_changes(comparison: Comparison, *, src: TakeSource) -> str:
    """The section, placed above the shots; the rest of the page is the film as context."""
    if not comparison.shots:
        body = '<p class="empty">No shot changed between these revisions.</p>'
    else:
        body = "".join(_row(shot, comparison, src) for shot in comparison.shots)
    return (
        f'<section class="changes" id="changes" aria-label="Changed shots">'
        f"<h2>{len(comparison.shots)} changed shot(s): {e(comparison.base)} → "
        f"{e(comparison.head)}</h2>{body}</section>"
    )
