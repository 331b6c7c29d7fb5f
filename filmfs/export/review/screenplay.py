"""The review page's screenplay section: the script beside the shots, and the cut with its
subtitles (a ``<track>`` whose cues come from the page itself, so they show from file:// too,
where browsers refuse to fetch a .vtt)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from filmfs.media.subtitles import Cue
from filmfs.script.view import SceneView, shot_text

# Cues as JSON in a <script type="application/json">: "</" is escaped so no text can end it.
CUES_JS = """
(function () {
  var video = document.getElementById('cut-video');
  var data = document.getElementById('cut-cues');
  if (!video || !data || !window.VTTCue) return;
  var element = video.querySelector('track');
  var track = element.track;
  var filled = false;
  // A <track> with no src "fails to load" once shown, and that empties its cues: add them
  // after it has (readyState 3 is ERROR), so they stay.
  function fill() {
    if (filled || element.readyState !== 3) return;
    filled = true;
    JSON.parse(data.textContent).forEach(function (c) {
      var cue = new VTTCue(c.start, c.end, c.text);
      cue.id = c.id;
      track.addCue(cue);
    });
    video.dataset.cues = String(track.cues.length);
  }
  element.addEventListener('error', fill);
  track.mode = 'showing';
  fill();
})();
"""


CSS = (
    ".screenplay{padding:1rem 1.5rem;max-width:70rem}"
    ".screenplay table{width:100%;border-collapse:collapse}"
    ".screenplay td{vertical-align:top;border-top:1px solid #8884;padding:.4rem}"
    ".screenplay pre{white-space:pre-wrap;font-family:'Courier Prime',Courier,monospace;margin:0}"
    ".script-shot{width:12rem;font-size:.9em}.script-cut video{max-width:100%}"
)


def e(value: object) -> str:
    return escape(str(value), quote=True)


def _cut(url: str | None, cues: Sequence[Cue]) -> str:
    if url is None:
        return ""
    data = [
        {
            "id": str(i),
            "start": float(c.start),
            "end": float(c.end),
            "text": f"{c.speaker}: {c.text}",
        }
        for i, c in enumerate(cues, 1)
    ]
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<div class="script-cut"><h3>The cut, with subtitles</h3>'
        f'<video id="cut-video" controls preload="metadata" src="{e(url)}">'
        '<track kind="subtitles" srclang="en" label="Dialogue" default></video>'
        f'<script type="application/json" id="cut-cues">{payload}</script>'
        f"<script>{CUES_JS}</script></div>"
    )


def render_screenplay(
    scenes: Sequence[SceneView], names: dict[str, str], *, cut_url: str | None, cues: Sequence[Cue]
) -> str:
    """The section's HTML; empty when the film has no scenes."""
    if not scenes:
        return ""
    parts = []
    for scene in scenes:
        number = f" #{scene.script_number}#" if scene.script_number else ""
        rows = []
        for shot in scene.shots:
            text = "\n".join(shot_text(shot, names))
            take = (
                f"take {shot.selected_take}"
                + (f", {shot.take_duration:g} s" if shot.take_duration else "")
                if shot.selected_take is not None
                else "no selected take"
            )
            sid = e(shot.shot_number)
            rows.append(
                f'<tr data-shot="{sid}"><td class="script-text"><pre>{e(text)}</pre></td>'
                f'<td class="script-shot"><a href="#shot-{sid}">{sid}</a>'
                f"<br>{e(shot.status)}<br>{e(take)}</td></tr>"
            )
        removed = " <em>(removed from the script)</em>" if scene.removed else ""
        parts.append(
            f'<section class="script-scene" data-scene="{scene.scene_number}">'
            f"<h3>{scene.scene_number}. {e(scene.heading.upper())}{e(number)}{removed}</h3>"
            f"<table>{''.join(rows)}</table></section>"
        )
    return (
        f"<style>{CSS}</style>"
        '<section class="screenplay" id="screenplay"><h2>Script</h2>'
        f"{_cut(cut_url, cues)}{''.join(parts)}</section>"
    )
