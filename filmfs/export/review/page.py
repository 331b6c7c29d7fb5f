"""Render a :class:`~filmfs.export.review.data.Review` as one self-contained HTML page.

Every value from the manifests goes through :func:`html.escape` (text and attributes alike),
so a prompt or note holding markup shows as text. The stylesheet (page.css: a dark UI in the
manner of review tools such as Kitsu and RV) and the script (page.js: shot navigation, take
compare, keyboard, "Play cut") are package files, inlined so nothing is fetched from the
network; videos are referenced by relative URLs the caller supplies. A Content-Security-
Policy (:func:`policy`) lets only those two blocks run, by their sha256: if markup ever got
past the escaping, it would not execute. The script only moves
between what is already in the page, reads ``data-*`` attributes and sets ``textContent``,
never ``innerHTML``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from html import escape
from importlib.resources import files

from filmfs.export.review import screenplay
from filmfs.export.review.data import Metrics, Review, ShotReview, TakeReview

# (shot, take) -> URL of the take's video relative to the page, or None when it cannot play.
Source = Callable[[ShotReview, TakeReview], str | None]

PULL_HINT = "filmfs pull"


@cache
def asset(name: str) -> str:
    """A file shipped next to this module (page.css, page.js)."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def source_hash(text: str) -> str:
    """A CSP source for one inline ``<script>`` or ``<style>`` body: its base64 sha256."""
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


@cache
def policy() -> str:
    """The page's Content-Security-Policy. Only the exact script and stylesheet shipped with
    filmfs run (hash sources, no 'unsafe-inline'): markup that slipped past the escaping —
    a ``<script>``, an ``onerror=`` attribute, a ``style=`` — is inert. No network at all:
    media come from the store by relative file URLs."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {source_hash(asset('page.js'))} {source_hash(screenplay.CUES_JS)}",
            f"style-src {source_hash(asset('page.css'))} {source_hash(screenplay.CSS)}",
            "media-src file: 'self'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def e(value: object) -> str:
    return escape(str(value), quote=True)


def money(value: Decimal) -> str:
    return f"${value:,.2f}"


def seconds(value: float) -> str:
    return f"{value:g} s"


def _missing_reason(take: TakeReview) -> str:
    if not take.has_video:
        return "No video for this take"
    return "Media not in the local store"


def _placeholder(take: TakeReview) -> str:
    hint = f"<code>{PULL_HINT}</code>" if take.has_video else ""
    return f'<div class="missing"><strong>{e(_missing_reason(take))}</strong>{hint}</div>'


def _metrics(m: Metrics) -> str:
    rows = [
        ("shots", "Shots", str(m.shots), False),
        ("takes", "Takes", str(m.takes), False),
        ("cost", "Total cost", money(m.total_cost) + ("+" if m.unpriced_takes else ""), False),
        (
            "unselected",
            "No selected take",
            str(m.shots_without_selection),
            m.shots_without_selection > 0,
        ),
        ("missing", "Missing media", str(m.missing_media), m.missing_media > 0),
        ("duration", "Cut length", seconds(round(m.cut_duration, 2)), False),
    ]
    if m.target_duration is not None:
        rows.append(("target", "Target", seconds(round(m.target_duration, 2)), False))
    return "".join(
        f'<div class="metric{" alert" if alert else ""}" data-metric="{key}">'
        f"<dt>{e(label)}</dt><dd>{e(value)}</dd></div>"
        for key, label, value, alert in rows
    )


def _playlist_item(index: int, shot: ShotReview, src: Source) -> str:
    selected = shot.selected
    url = src(shot, selected) if selected else None
    if url:
        thumb = f'<video muted preload="metadata" src="{e(url + "#t=0.5")}"></video>'
    else:
        thumb = "no take" if not shot.takes else ("no selection" if not selected else "missing")
    take_info = f"take {selected.attempt}" if selected else "—"
    scene = "" if shot.scene is None else f"Scene {shot.scene} · "
    flags = "".join(f'<span class="flag">&#9888; {e(flag)}</span>' for flag in shot.flags)
    return (
        f'<li class="shot-item" data-shot="{e(shot.shot_id)}" data-index="{index}"'
        f'{" data-flagged" if shot.flags else ""}><button type="button">'
        f'<span class="thumb">{thumb}</span>'
        f'<span class="sid">{e(shot.shot_id)}</span>'
        f'<span class="sub">{scene}{len(shot.takes)} take(s) · {e(take_info)}</span>'
        f"<span>{flags}</span></button></li>"
    )


def _meta(take: TakeReview) -> str:
    rows = [
        ("Provider", f"{take.provider} / {take.model}", "provider"),
        ("Seed", "—" if take.seed is None else str(take.seed), "seed"),
        ("Cost", "unknown" if take.cost is None else money(take.cost), "cost"),
        ("Score", "—" if take.score is None else f"{take.score:g} / 10", "score"),
        (
            "Video",
            f"{seconds(take.duration)}, {take.resolution}" if take.duration else "—",
            "video",
        ),
        ("Created", take.created_at or "—", "created"),
    ]
    return "".join(
        f'<dt>{e(label)}</dt><dd class="{cls}">{e(value)}</dd>' for label, value, cls in rows
    )


def _take_card(shot: ShotReview, take: TakeReview, src: Source) -> str:
    url = src(shot, take)
    media = (
        f'<video muted controls preload="metadata" src="{e(url)}"></video>'
        if url
        else _placeholder(take)
    )
    badges = '<span class="badge selected">Selected</span>' if take.selected else ""
    badges += f'<span class="badge {e(take.status)}">{e(take.status)}</span>'
    notes = f'<p class="notes">{e(take.notes)}</p>' if take.notes else ""
    return (
        f'<div class="take-card{" selected" if take.selected else ""}" '
        f'data-take="{take.attempt}" data-selected="{str(take.selected).lower()}" '
        f'data-src="{e(url or "")}" data-missing="{e(_missing_reason(take))}">'
        f'<div class="media">{media}</div><div class="take-body">'
        f'<div class="take-title"><span class="take-n">Take {take.attempt}</span>{badges}</div>'
        f'<dl class="take-meta">{_meta(take)}</dl>{notes}'
        f'<div class="cmd" title="Run in the film directory to select this take">'
        f'<code>{e(take.select_command)}</code><button type="button">Copy</button></div>'
        f"</div></div>"
    )


def _shot_panel(index: int, shot: ShotReview, src: Source) -> str:
    flags = "".join(f'<span class="flag">&#9888; {e(flag)}</span>' for flag in shot.flags)
    heading = f"<small>{e(shot.scene_heading)}</small>" if shot.scene_heading else ""
    camera = f" <em>({e(shot.camera_angle)})</em>" if shot.camera_angle else ""
    if shot.takes:
        viewer = (
            '<div class="viewer"><video class="main-video" controls preload="metadata"></video>'
            '<div class="missing viewer-missing" hidden><strong></strong>'
            f"<code>{PULL_HINT}</code></div>"
            '<div class="viewer-label"></div></div>'
        )
        cards = "".join(_take_card(shot, take, src) for take in shot.takes)
        takes = f'<div class="takes">{cards}</div>'
    else:
        viewer = (
            '<div class="viewer"><div class="missing"><strong>No takes yet</strong>'
            f"<code>filmfs generate {e(shot.shot_id)}</code></div></div>"
        )
        takes = '<p class="empty">This shot has no takes.</p>'
    return (
        f'<article class="shot" id="shot-{e(shot.shot_id)}" data-shot="{e(shot.shot_id)}" '
        f'data-index="{index}"{" hidden" if index else ""}>'
        f'<header class="shot-head"><h2>{e(shot.shot_id)}{heading}{flags}</h2>'
        f'<p class="desc">{e(shot.description)}{camera} · target {seconds(shot.duration_target)}'
        f" · {e(shot.status)}</p></header>{viewer}"
        f'<details class="prompt" open><summary>Prompt</summary>'
        f'<p class="prompt-text">{e(shot.prompt)}</p></details>'
        f'<h3 class="section-title">Takes ({len(shot.takes)})</h3>{takes}</article>'
    )


def render(review: Review, *, src: Source, changes: str = "", extra: str = "") -> str:
    """The whole page as text; ``changes`` is a rendered "what changed" section (review of a
    change between two revisions), shown above the shots; ``extra`` follows the shots."""
    items = "".join(_playlist_item(i, shot, src) for i, shot in enumerate(review.shots))
    panels = "".join(_shot_panel(i, shot, src) for i, shot in enumerate(review.shots))
    if not review.shots:
        panels = '<p class="empty">This film has no shots yet.</p>'
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(policy())}">'
        f"<title>Review · {e(review.title)}</title><style>{asset('page.css')}</style></head>"
        "<body>"
        f'<header class="top"><div class="brand"><div class="kicker">filmfs review</div>'
        f"<h1>{e(review.title)}</h1></div>"
        f'<dl class="metrics">{_metrics(review.metrics)}</dl>'
        '<button type="button" class="btn" id="play-cut">&#9654; Play cut</button></header>'
        '<main class="layout"><nav class="playlist" aria-label="Shots in cut order">'
        f'<h2>Shots in cut order</h2><ol id="shot-list">{items}</ol></nav>'
        f'<section class="stage">{changes}{panels}</section></main>{extra}'
        '<footer class="keys"><kbd>&larr;</kbd> <kbd>&rarr;</kbd> shot &nbsp; '
        "<kbd>1</kbd>&ndash;<kbd>9</kbd> view take &nbsp; <kbd>space</kbd> play/pause &nbsp; "
        "<kbd>p</kbd> play cut &nbsp; <kbd>esc</kbd> stop &nbsp; · select commands run in the "
        "film directory</footer>"
        f"<script>{asset('page.js')}</script></body></html>\n"
    )
