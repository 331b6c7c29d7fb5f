"""`filmfs review [--out PATH] [--open]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import OutputPath, film_option
from filmfs.cli.output import echo_json, format_option
from filmfs.commands.review import ReviewResult, review
from filmfs.project import Project, display_path


@click.command("review")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option(
    "-o",
    "--out",
    type=OutputPath(),
    help="Where to write the page (default: <film>/review/index.html).",
)
@click.option(
    "--copy-media",
    is_flag=True,
    help="Copy the selected takes next to the page, to share the folder.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in a browser.")
@format_option()
@film_option
def command(
    base: str | None,
    head: str | None,
    out: Path | None,
    copy_media: bool,
    open_page: bool,
    fmt: str,
    root: Path,
) -> ReviewResult:
    """Write the review page: shots in cut order, every take to compare, and "Play cut".

    With BASE (and HEAD), revisions as `filmfs diff` takes them (main...feature for a pull
    request), the page reviews that change: each changed or stale shot first, its old and new
    selected take side by side, the rest of the film as context.

    Videos play from the media store, so nothing is copied (unless --copy-media). Keys:
    left/right move between shots, 1-9 view take N, p plays the cut.
    """
    result = review(Project.load(root), out=out, copy_media=copy_media, base=base, head=head)
    if fmt == "json":
        echo_json(result)
    else:
        _print(result)
    if open_page:
        click.launch(result.page.as_uri())
    return result


def _print(result: ReviewResult) -> None:
    m = result.review.metrics
    click.echo(
        f"{display_path(result.page)}: {m.shots} shot(s), {m.takes} take(s), "
        f"total cost ${m.total_cost:.2f}"
    )
    if m.shots_without_selection:
        click.secho(f"  {m.shots_without_selection} shot(s) without a selected take", fg="yellow")
    if m.missing_media:
        click.secho(
            f"  {m.missing_media} take video(s) not in the local store; run `filmfs pull`",
            fg="yellow",
        )
    if result.copied:
        click.echo(f"  copied {len(result.copied)} selected take(s) next to the page")
    if result.comparison is not None:
        changed = result.comparison
        stale = sum(1 for shot in changed.shots if shot.stale)
        click.echo(
            f"  {len(changed.shots)} changed shot(s) from {changed.base} to {changed.head}"
            + (f", {stale} stale" if stale else "")
        )
