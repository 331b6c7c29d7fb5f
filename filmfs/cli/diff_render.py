"""`filmfs diff` as text for a terminal and as Markdown for a pull-request comment.

Both are deterministic (film order, then sorted IDs; no times or temporary paths), so a CI job
that re-posts the Markdown on every push edits one comment instead of piling up new ones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from filmfs import escape
from filmfs.commands.diff import FilmDiff
from filmfs.diff.changes import Kind, ShotChange, TakeSummary
from filmfs.diff.fields import FieldChange, WordOp
from filmfs.diff.remotes import DEFAULT

MARKER = "<!-- filmfs-diff -->"
SIGN: dict[Kind, str] = {
    "added": "+",
    "removed": "-",
    "changed": "~",
    "unreadable": "!",
    "fixed": "*",
}


# --- values ------------------------------------------------------------------------------
def value(v: Any) -> str:
    if v is None or v == "" or v == [] or v == {}:
        return "(none)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, list):
        return ", ".join(value(x) for x in v)
    if isinstance(v, dict):
        if "sha256" in v:  # a video: the cut
            return f"{str(v['sha256'])[:12]} ({value(v.get('duration'))}s)"
        if set(v) == {"type", "duration"}:  # a transition
            return f"{v['type']} {value(v['duration'])}s"
        if set(v) == {"width", "height", "fps"}:
            return f"{v['width']}x{v['height']} @ {value(v['fps'])} fps"
        return ", ".join(f"{k}={value(x)}" for k, x in sorted(v.items()))
    return str(v)


def money(amount: Decimal | None) -> str:
    return "-" if amount is None else f"${amount:.2f}"


def seconds(amount: float) -> str:
    return f"{amount:.1f}s"


def words(ops: tuple[WordOp, ...], *, markdown: bool, context: int = 6) -> str:
    """git's --word-diff=plain markers in text; strike-through and bold in Markdown. Unchanged
    runs keep ``context`` words beside each change, so a one-word edit of a long prompt reads
    as one line."""
    marks = (
        {"-": ("~~", "~~"), "+": ("**", "**")}
        if markdown
        else {"-": ("[-", "-]"), "+": ("{+", "+}")}
    )
    if all(op == "=" for op, _ in ops):
        return "(only whitespace changed)"
    parts = []
    for i, (op, text) in enumerate(ops):
        if op == "=":
            kept = text.split()
            first, last = i == 0, i == len(ops) - 1
            if len(kept) > 2 * context + (0 if first or last else 1):
                head = [] if first else kept[:context]
                tail = [] if last else kept[-context:]
                text = " ".join([*head, "…", *tail])
            parts.append(md(text) if markdown else text)
        else:
            shown = md(text) if markdown else text
            parts.append(f"{marks[op][0]}{shown}{marks[op][1]}")
    return " ".join(parts)


def change(f: FieldChange, *, markdown: bool = False, new_only: bool = False) -> str:
    esc = md if markdown else str
    if new_only:
        return esc(value(f.new))
    if f.words and f.old and f.new:
        return words(f.words, markdown=markdown)
    if f.added or f.removed:
        return " ".join([*(f"+{esc(x)}" for x in f.added), *(f"-{esc(x)}" for x in f.removed)])
    return f"{esc(value(f.old))} → {esc(value(f.new))}"


def take_line(t: TakeSummary) -> str:
    via = "/".join(x for x in (t.provider, t.model) if x) or "?"
    parts = [f"take {t.attempt}", f"{via} seed {value(t.seed)}", money(t.cost)]
    if t.score is not None:
        parts.append(f"score {value(t.score)}")
    if t.duration is not None:
        parts.append(seconds(t.duration))
    if t.selected:
        parts.append("selected")
    line = ", ".join(parts)
    return f'{line}: "{t.notes}"' if t.notes else line


def moved(shot: ShotChange) -> str:
    s = shot.selection
    assert s is not None
    old = f"take {s.old}" if s.old is not None else "none"
    new = f"take {s.new}" if s.new is not None else "none"
    return f"{old} → {new}"


def selection_line(shot: ShotChange) -> str:
    s = shot.selection
    assert s is not None
    extra = []
    if s.score is not None:
        extra.append(f"score {value(s.score)}")
    if s.notes:
        extra.append(f'"{s.notes}"')
    return moved(shot) + (f" ({', '.join(extra)})" if extra else "")


def summary(d: FilmDiff) -> str:
    c = d.changes
    if d.empty:
        return "no changes to the film"
    parts = ["remotes changed"] if d.remotes else []
    counts = [f"{len(c.shots_of(k))} {k}" for k in SIGN if c.shots_of(k)]
    if counts:
        parts.append("shots: " + ", ".join(counts))
    t = c.totals
    if t.takes_added:
        parts.append(f"{t.takes_added} take(s) added ({money(t.cost_added)})")
    if c.selections:
        parts.append(f"{len(c.selections)} selection(s) changed")
    if t.cut_delta:
        parts.append(f"cut {seconds(t.cut_before)} → {seconds(t.cut_after)} ({t.cut_delta:+.1f}s)")
    if c.new_cut:
        parts.append("new cut")
    other = [f for f in c.film_fields if f.field != "final_edit"]
    if other:
        parts.append("film: " + ", ".join(f.field for f in other))
    if c.items:
        parts.append(f"{len(c.items)} scene/character/asset change(s)")
    if t.newly_stale:
        parts.append(f"{len(t.newly_stale)} shot(s) now stale")
    return "; ".join(parts)


def stale_lines(d: FilmDiff) -> list[str]:
    """One line per shot the change leaves stale: ``01C take 1: character mira's look``."""
    return [
        f"{s.shot} take {s.attempt}: {', '.join(s.changed)} changed"
        for s in d.changes.totals.newly_stale
    ]


def shot_details(s: ShotChange, *, markdown: bool) -> list[str]:
    """One line per thing that changed in a shot (without bullets or indentation)."""
    lines = []
    if s.kind == "unreadable":
        lines.append("its manifest does not load at the head revision (see the errors)")
    if s.kind == "fixed":
        lines.append("its manifest did not load at the base revision; as it is now:")
    whole = s.kind in ("added", "fixed")
    for f in s.fields:
        lines.append(f"{f.field}: {change(f, markdown=markdown, new_only=whole)}")
    if s.selection is not None:
        shown = selection_line(s)
        lines.append(f"selected take: {md(shown) if markdown else shown}")
    for t in s.takes_added:
        lines.append(f"added {md(take_line(t)) if markdown else take_line(t)}")
    for n in s.takes_removed:
        lines.append(f"removed take {n}")
    for tc in s.takes_changed:
        for f in tc.fields:
            lines.append(f"take {tc.attempt} {f.field}: {change(f, markdown=markdown)}")
    return lines


def problems_lines(d: FilmDiff) -> list[str]:
    """One line per problem: a newline in a file name is shown as ``\\n``, not obeyed."""
    return [escape.terminal(str(p), newlines=False) for p in d.problems]


def remote_lines(d: FilmDiff, *, markdown: bool = False) -> list[str]:
    """One line per remote whose URL (or the default remote) changed: where CI will fetch
    media from and send it to. URLs shown with any password masked."""

    def shown(value: str | None) -> str:
        if value is None:
            return "(none)"
        text = escape.mask_userinfo(value)
        return escape.markdown_code(text) if markdown else escape.terminal(text, newlines=False)

    lines = []
    for r in d.remotes:
        name = md(r.name) if markdown else escape.terminal(r.name, newlines=False)
        what = "default remote" if r.name == DEFAULT else f"remote {name}"
        verb = "added" if r.old is None else ("removed" if r.new is None else "changed")
        lines.append(f"{what} {verb}: {shown(r.old)} → {shown(r.new)}")
    return lines


# --- text --------------------------------------------------------------------------------
def text(d: FilmDiff) -> str:
    c = d.changes
    lines = [
        f"{c.title or d.root}: {d.base.label} ({d.base.short}) → "
        + (d.head.short if d.head.sha is None else f"{d.head.label} ({d.head.short})"),
        summary(d),
    ]
    lines += remote_lines(d)
    if c.film_fields:
        lines.append("film:")
        lines += [f"  {f.field}: {change(f)}" for f in c.film_fields]
        if c.new_cut:
            lines.append("  new cut")
    for s in c.shots:
        scene = f" (scene {s.scene})" if s.scene is not None else ""
        lines.append(f"{SIGN[s.kind]} shot {s.shot}{scene} {s.kind}")
        lines += [f"    {line}" for line in shot_details(s, markdown=False)]
    for item in c.items:
        lines.append(f"{SIGN[item.change]} {item.kind} {item.id} {item.change}")
        if item.change == "changed":
            lines += [f"    {f.field}: {change(f)}" for f in item.fields]
    t = c.totals
    lines.append(
        f"totals: {t.takes_added} take(s) added, {money(t.cost_added)}; cut "
        f"{seconds(t.cut_before)} → {seconds(t.cut_after)} ({t.cut_delta:+.1f}s); "
        f"without a selected take: {', '.join(t.shots_without_selected_take) or 'none'}"
    )
    if t.newly_stale:
        lines.append("now stale (regenerate with `filmfs generate --stale`):")
        lines += [f"  {line}" for line in stale_lines(d)]
    lines.append(validity(d))
    lines += [f"  {p}" for p in problems_lines(d)]
    return "\n".join(lines)


def validity(d: FilmDiff) -> str:
    errors, warnings = len(d.errors), len(d.problems) - len(d.errors)
    where = d.head.label
    if not d.problems:
        return f"{where}: valid"
    verdict = "valid" if not errors else "INVALID"
    return f"{where}: {verdict}, {errors} error(s), {warnings} warning(s)"


# --- markdown ----------------------------------------------------------------------------
def md(text: str) -> str:
    """Untrusted text in the comment: no markup, no HTML, no @ pings (see filmfs.escape)."""
    return escape.markdown_text(text)


def markdown(d: FilmDiff, *, max_rows: int = 150, max_details: int = 40) -> str:
    """The comment. GitHub refuses comments over 65,536 characters, so a sweeping change
    lists its first ``max_rows`` shots and details the first ``max_details``."""
    c = d.changes
    ok = "✅ valid" if not d.errors else f"❌ {len(d.errors)} error(s)"
    head = d.head.short if d.head.sha is None else f"`{d.head.short}`"
    out = [
        MARKER,
        f"### 🎬 {md(c.title or d.root)}: `{d.base.short}` → {head}",
        "",
        f"**{md(summary(d))}** · head {ok}",
        "",
    ]
    if d.remotes:
        out += [f"- ⚠️ {line}" for line in remote_lines(d, markdown=True)] + [""]
    if c.shots:
        out += ["| shot | scene | change | what |", "|---|---|---|---|"]
        for s in c.shots[:max_rows]:
            out.append(
                f"| {md(s.shot)} | {s.scene if s.scene is not None else ''} | {s.kind} | "
                f"{md(_what(s))} |"
            )
        out += _more(len(c.shots) - max_rows, "shot change(s)")
    t = c.totals
    out += [
        "| takes added | cost added | cut length | without a selected take |",
        "|---|---|---|---|",
        f"| {t.takes_added} | {money(t.cost_added)} | {seconds(t.cut_before)} → "
        f"{seconds(t.cut_after)} ({t.cut_delta:+.1f}s) | "
        f"{md(_names(t.shots_without_selected_take)) or 'none'} |",
        "",
    ]
    if t.newly_stale:
        stale = [md(line) for line in stale_lines(d)]
        out += _details(
            f"{len(stale)} shot(s) now stale: regenerate with `filmfs generate --stale`", stale
        )
    if c.film_fields:
        out += _details("film", [f"{f.field}: {change(f, markdown=True)}" for f in c.film_fields])
    detailed = [s for s in c.shots if s.kind != "removed"]
    for s in detailed[:max_details]:
        out += _details(f"shot {s.shot} ({s.kind})", shot_details(s, markdown=True))
    out += _more(len(detailed) - max_details, "shot(s) not detailed here")
    if c.items:
        item_lines = []
        for item in c.items:
            item_lines.append(f"{item.kind} {md(item.id)} {item.change}")
            if item.change == "changed":
                item_lines += [f"  {f.field}: {change(f, markdown=True)}" for f in item.fields]
        out += _details("scenes, characters, assets", item_lines)
    if d.problems:
        shown = problems_lines(d)
        body = [*escape.fence(shown[:max_rows]), *_more(len(shown) - max_rows, "problem(s)")]
        title = f"validation of {md(d.head.label)}: {len(d.errors)} error(s)"
        out += [
            "<details open>" if d.errors else "<details>",
            f"<summary>{title}</summary>",
            "",
            *body,
            "",
            "</details>",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _more(hidden: int, what: str) -> list[str]:
    if hidden <= 0:
        return [""]
    return ["", f"… and {hidden} more {what}: run `filmfs diff` locally to see them all.", ""]


def _names(shots: tuple[str, ...], limit: int = 20) -> str:
    return ", ".join(shots[:limit]) + (f" … (+{len(shots) - limit})" if len(shots) > limit else "")


def _what(s: ShotChange) -> str:
    parts = [f.field for f in s.fields] if s.kind == "changed" else []
    if s.selection is not None:
        parts.append(f"selected {moved(s)}")
    if s.takes_added:
        parts.append(f"+{len(s.takes_added)} take(s)")
    if s.takes_removed:
        parts.append(f"-{len(s.takes_removed)} take(s)")
    if s.takes_changed:
        parts.append(f"{len(s.takes_changed)} take(s) edited")
    return ", ".join(parts)


def _details(title: str, lines: list[str]) -> list[str]:
    return [
        "<details>",
        f"<summary>{md(title)}</summary>",
        "",
        *(f"- {line}" if not line.startswith("  ") else f"  - {line.strip()}" for line in lines),
        "",
        "</details>",
        "",
    ]
