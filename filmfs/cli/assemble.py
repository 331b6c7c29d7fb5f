"""`filmfs assemble`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import OutputPath, film_option, no_commit_option
from filmfs.commands.assemble import assemble_film
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
@no_commit_option
@film_option
def command(
    output: Path | None, allow_gaps: bool, force: bool, no_commit: bool, root: Path
) -> None:
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
    )
    video = result.video
    click.echo(
        f"{result.output}: {len(result.shots)} shots, {video.duration:.2f} s, "
        f"{video.width}x{video.height} {video.fps:g} fps, sha256 {video.sha256[:12]}"
    )
    if result.up_to_date:
        click.echo("up to date: nothing in the cut changed since film.yaml's final_edit")
    if result.conformed:
        click.echo(f"conformed to the film's format: {', '.join(result.conformed)}")
    click.echo(
        f"encoded this run: {', '.join(result.encoded) or 'nothing'}; "
        f"stream-copied or cached: {len(result.reused)}"
    )
    if result.slates:
        click.echo(f"slates for shots with no selected take: {', '.join(result.slates)}")
    if result.commit:
        click.echo(f"committed {result.commit[:10]}")
