"""`filmfs script`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from filmfs.cli.options import film_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.screenplay import ScreenplayResult, show_screenplay
from filmfs.script.view import ShotView, shot_text

LEFT = 58


def _take(shot: ShotView) -> list[str]:
    head = f"{shot.shot_number}  {shot.status}, target {shot.duration_target:g} s"
    if shot.selected_take is None:
        return [head, "no selected take"]
    sha = (shot.take_sha256 or "")[:12]
    length = f"{shot.take_duration:g} s" if shot.take_duration is not None else "no video"
    return [head, f"take {shot.selected_take} selected, {length}", sha]


def render(result: ScreenplayResult) -> str:
    out = [result.title, ""]
    for scene in result.scenes:
        number = f" #{scene.script_number}#" if scene.script_number else ""
        gone = "  (removed from the script)" if scene.removed else ""
        out.append(f"SCENE {scene.scene_number}  {scene.heading.upper()}{number}{gone}")
        for shot in scene.shots:
            left: list[str] = []
            for line in shot_text(shot, result.names):
                left += textwrap.wrap(line, LEFT) or [""]
            right = _take(shot)
            out.append("")
            for i in range(max(len(left), len(right))):
                a = left[i] if i < len(left) else ""
                b = right[i] if i < len(right) else ""
                out.append(f"  {a:<{LEFT}} | {b}".rstrip())
        if not scene.shots:
            out.append("  (no shots)")
        out.append("")
    return "\n".join(out).rstrip()


@click.command("script")
@format_option()
@film_option
def command(fmt: str, root: Path) -> ScreenplayResult:
    """The film as a screenplay: scene by scene, each shot's text beside its selected take."""
    return emit(show_screenplay(root), fmt, render)
