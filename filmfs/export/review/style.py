"""The review page's stylesheet: a dark UI in the manner of review tools (Kitsu, RV)."""

CSS = """
:root {
  --bg: #0f1115; --panel: #171a21; --panel-2: #1e222b; --line: #2a2f3a;
  --text: #e6e8ee; --muted: #8b93a5; --accent: #4f9dff; --ok: #3ecf8e;
  --warn: #f5a524; --bad: #f05a5a; --radius: 10px;
  color-scheme: dark;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
/* Rules below set display on videos and placeholders; hidden must still win. */
[hidden] { display: none !important; }
html, body { margin: 0; height: 100%; }
body {
  background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  display: flex; flex-direction: column;
}
button { font: inherit; color: inherit; cursor: pointer; }
code { font-family: var(--mono); font-size: 12px; }
.top {
  display: flex; align-items: center; gap: 24px; padding: 14px 22px;
  border-bottom: 1px solid var(--line); background: var(--panel);
}
.brand { min-width: 0; flex: 1; }
.brand h1 { margin: 0; font-size: 19px; letter-spacing: .2px; }
.brand .kicker { color: var(--muted); font-size: 11px; text-transform: uppercase;
  letter-spacing: 1.2px; }
.metrics { display: flex; gap: 8px; margin: 0; }
.metric { background: var(--panel-2); border: 1px solid var(--line); border-radius: 8px;
  padding: 6px 12px; min-width: 78px; }
.metric dt { color: var(--muted); font-size: 10.5px; text-transform: uppercase;
  letter-spacing: .8px; }
.metric dd { margin: 0; font-size: 17px; font-weight: 600; font-variant-numeric: tabular-nums; }
.metric.alert dd { color: var(--warn); }
.btn { background: var(--accent); border: 0; border-radius: 8px; padding: 9px 16px;
  font-weight: 600; color: #fff; white-space: nowrap; }
.btn:hover { filter: brightness(1.1); }
.btn.playing { background: var(--bad); }
.layout { flex: 1; display: flex; min-height: 0; }
.playlist { width: 270px; flex: none; overflow-y: auto; border-right: 1px solid var(--line);
  background: var(--panel); padding: 10px; }
.playlist h2 { font-size: 11px; color: var(--muted); text-transform: uppercase;
  letter-spacing: 1.2px; margin: 4px 6px 10px; }
.playlist ol { list-style: none; margin: 0; padding: 0; }
.shot-item button { display: grid; grid-template-columns: 96px 1fr; gap: 4px 10px;
  width: 100%; text-align: left; background: transparent; border: 1px solid transparent;
  border-radius: 8px; padding: 6px; margin-bottom: 4px; }
.shot-item button:hover { background: var(--panel-2); }
.shot-item.current button { background: var(--panel-2); border-color: var(--accent); }
.shot-item .thumb { grid-row: span 3; width: 96px; aspect-ratio: 16 / 9; border-radius: 5px;
  overflow: hidden; background: #000; display: flex; align-items: center;
  justify-content: center; color: var(--muted); font-size: 10px; }
.shot-item .thumb video { width: 100%; height: 100%; object-fit: cover; }
.shot-item .sid { font-weight: 700; font-family: var(--mono); }
.shot-item .sub { color: var(--muted); font-size: 12px; }
.flag { display: inline-block; color: var(--warn); font-size: 11px; font-weight: 600; }
.stage { flex: 1; overflow-y: auto; padding: 18px 24px 40px; }
.shot-head h2 { margin: 0; font-size: 22px; font-family: var(--mono); }
.shot-head h2 small { font-family: system-ui, sans-serif; font-size: 13px; color: var(--muted);
  font-weight: 500; margin-left: 10px; letter-spacing: .5px; }
.shot-head .desc { margin: 4px 0 12px; color: #c4c9d4; }
.shot-head .flag { margin-left: 8px; }
.viewer { position: relative; background: #000; border-radius: var(--radius);
  overflow: hidden; aspect-ratio: 16 / 9; max-height: 46vh; margin: 0 auto;
  border: 1px solid var(--line); }
.viewer video { width: 100%; height: 100%; display: block; background: #000; }
.viewer-label { position: absolute; left: 12px; top: 10px; background: rgba(0, 0, 0, .65);
  padding: 3px 10px; border-radius: 999px; font-size: 12px; font-weight: 600;
  pointer-events: none; }
.missing { width: 100%; height: 100%; min-height: 90px; display: flex; flex-direction: column;
  align-items: center; justify-content: center; gap: 6px; padding: 12px; text-align: center;
  color: var(--muted);
  background: repeating-linear-gradient(45deg, #15181e, #15181e 10px, #191d24 10px, #191d24 20px); }
.missing strong { color: var(--warn); }
.missing code { color: var(--text); background: #000a; padding: 2px 6px; border-radius: 4px; }
.prompt { margin: 14px 0 4px; background: var(--panel); border: 1px solid var(--line);
  border-radius: var(--radius); padding: 10px 14px; }
.prompt summary { color: var(--muted); font-size: 11px; text-transform: uppercase;
  letter-spacing: 1px; cursor: pointer; }
.prompt p { margin: 6px 0 0; white-space: pre-wrap; }
.section-title { font-size: 12px; color: var(--muted); text-transform: uppercase;
  letter-spacing: 1.2px; margin: 20px 0 10px; }
.takes { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 14px; }
.take-card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius);
  overflow: hidden; display: flex; flex-direction: column; cursor: pointer; }
.take-card:hover { border-color: #3a4150; }
.take-card.selected { border-color: var(--ok); box-shadow: 0 0 0 1px var(--ok) inset; }
.take-card.viewing { outline: 2px solid var(--accent); outline-offset: 2px; }
.take-card .media { aspect-ratio: 16 / 9; background: #000; }
.take-card .media video { width: 100%; height: 100%; display: block; }
.take-body { padding: 10px 12px 12px; display: flex; flex-direction: column; gap: 8px; }
.take-title { display: flex; align-items: center; gap: 8px; }
.take-title .take-n { font-weight: 700; font-size: 15px; margin-right: auto; }
.badge { font-size: 10.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .6px;
  padding: 2px 8px; border-radius: 999px; background: var(--panel-2); color: var(--muted);
  border: 1px solid var(--line); }
.badge.selected { background: rgba(62, 207, 142, .15); color: var(--ok); border-color: #2c6b50; }
.badge.approved { color: var(--ok); }
.badge.rejected { color: var(--bad); }
.take-meta { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0;
  font-size: 12.5px; }
.take-meta dt { color: var(--muted); }
.take-meta dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.notes { margin: 0; font-size: 12.5px; color: #c4c9d4; font-style: italic;
  white-space: pre-wrap; }
.cmd { display: flex; align-items: center; gap: 6px; background: #0b0d11;
  border: 1px solid var(--line); border-radius: 6px; padding: 5px 6px 5px 9px; }
.cmd code { flex: 1; overflow-wrap: anywhere; color: #b9d4ff; }
.cmd button { background: var(--panel-2); border: 1px solid var(--line); border-radius: 5px;
  font-size: 11px; padding: 2px 8px; }
.keys { color: var(--muted); font-size: 12px; padding: 8px 22px;
  border-top: 1px solid var(--line); background: var(--panel); }
.keys kbd { font-family: var(--mono); font-size: 11px; background: var(--panel-2);
  border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 5px; }
.empty { color: var(--muted); padding: 30px; text-align: center; border: 1px dashed var(--line);
  border-radius: var(--radius); }
"""
