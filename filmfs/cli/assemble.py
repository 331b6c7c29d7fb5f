"""`filmfs assemble`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import OutputPath, film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.assemble import AssembleResult, assemble_film
from filmfs.film.rate import rate_text
from filmfs.project import Project


@click.command("assemble")
@click.option(
    "-o",
    "--out",
    "output",
    type=OutputPath(),
    help="Where to write the cut (default: cut.mp4 in the film's folder).",
)
@click.option("--allow-gaps", is_flag=True, help="Put a slate where a shot has no selected take.")
@click.option(
    "--force", is_flag=True, help="Render the cut even if nothing changed since the last."
)
@click.option(
    "--subtitle-track",
    is_flag=True,
    help="Also put the dialogue into the MP4 as a soft subtitle track (mov_text).",
)
@no_commit_option
@format_option()
@film_option
def command(
    output: Path | None,
    allow_gaps: bool,
    force: bool,
    subtitle_track: bool,
    no_commit: bool,
    fmt: str,
    root: Path,
) -> AssembleResult:
    """Cut the selected takes together, in film order and format, into one MP4.

    Takes already in the film's format are joined without re-encoding; others are conformed
    once and cached. The cut is stored by sha256 and recorded in film.yaml as final_edit;
    when nothing it is made of changed since, that cut is published again without rendering.
    """
    result = assemble_film(
        Project.load(root),
        output=output,
        allow_gaps=allow_gaps,
        commit=not no_commit,
        force=force,
        subtitle_track=subtitle_track,
    )
    return emit(result, fmt, render)


def render(result: AssembleResult) -> str:
    video = result.video
    lines = [
        f"{result.output}: {len(result.shots)} shots, {video.duration:.2f} s, "
        f"{video.width}x{video.height} {rate_text(video.fps)} fps, sha256 {video.sha256[:12]}"
    ]
    if result.up_to_date:
        lines.append("up to date: nothing in the cut changed since film.yaml's final_edit")
    if result.conformed:
        lines.append(f"conformed to the film's format: {', '.join(result.conformed)}")
    lines.append(
        f"encoded this run: {', '.join(result.encoded) or 'nothing'}; "
        f"stream-copied or cached: {len(result.reused)}"
    )
    if result.slates:
        lines.append(f"slates for shots with no selected take: {', '.join(result.slates)}")
    if result.subtitles:
        shown = ", ".join(str(p) for p in result.subtitles)
        lines.append(f"subtitles: {result.cues} line(s) in {shown}")
    if result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)
