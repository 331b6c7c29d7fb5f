"""`filmfs import-edit CUT [--dry-run]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.diff_render import text
from filmfs.cli.options import film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.diff import FilmDiff
from filmfs.commands.import_edit import ImportResult, import_edit
from filmfs.diff.revisions import Side
from filmfs.project import Project, display_path


@click.command("import-edit")
@click.argument("cut", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--dry-run", is_flag=True, help="Print the change as `filmfs diff` would; write nothing."
)
@no_commit_option
@format_option()
@film_option
def command(cut: Path, dry_run: bool, no_commit: bool, fmt: str, root: Path) -> ImportResult:
    """Write an edited timeline's decisions into the manifests.

    CUT is an .otio, FCP 7 .xml, .fcpxml or .edl, usually one `filmfs export` wrote and an
    editor changed: clip order (shots move by renaming or changing scene, following the
    film's order rule), trims (`in` / `out` within the take), a different take (selection),
    transitions, and removed clips (`status: omitted`). Clips that map to no take of the film
    are listed and nothing is written.
    """
    result = import_edit(Project.load(root), source=cut, dry_run=dry_run, commit=not no_commit)
    return emit(result, fmt, lambda r: render(r, cut=cut, root=root, dry_run=dry_run))


def render(result: ImportResult, *, cut: Path, root: Path, dry_run: bool) -> str:
    diff = FilmDiff(
        display_path(root),
        Side("the film", "on disk"),
        Side(cut.name, "the edit"),
        result.changes,
        tuple(result.problems),
    )
    lines = [f"note: {note}" for note in result.plan.notes]
    if result.plan.empty:
        lines.append(f"{cut}: the film already has this cut; nothing to change")
        return "\n".join(lines)
    lines.append(text(diff))
    if dry_run:
        lines.append("dry run: nothing written")
    elif result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)
