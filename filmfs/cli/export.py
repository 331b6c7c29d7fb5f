"""`filmfs export FILE`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import OutputPath, film_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.export import ExportResult, export_cut
from filmfs.project import Project


@click.command("export")
@click.argument("dest", type=OutputPath(dir_okay=True))
@click.option("--bundle", is_flag=True, help="Copy the media into an .otioz / .otiod bundle.")
@format_option()
@film_option
def command(dest: Path, bundle: bool, fmt: str, root: Path) -> ExportResult:
    """Write the cut as an editorial timeline; the format follows DEST's suffix.

    .otio (every take of a shot as a media reference, the selected one active), .otioz /
    .otiod bundles, and with the OTIO adapter packages installed .edl (CMX 3600), .xml
    (Final Cut Pro 7, also read by Premiere and Resolve) and .fcpxml (Final Cut Pro X).
    """
    return emit(export_cut(Project.load(root), dest=dest, bundle=bundle), fmt, render)


def render(result: ExportResult) -> str:
    lines = [f"{result.path}: {result.clips} clips, {result.takes} takes"]
    if result.skipped:
        lines.append(f"left out (no selected take, or omitted): {', '.join(result.skipped)}")
    return "\n".join(lines)
