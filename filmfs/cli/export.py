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
    .otiod bundles, .edl (CMX 3600), .xml (Final Cut Pro 7, also read by Premiere and
    Resolve; needs the otio-fcp-adapter package) and .fcpxml (Final Cut Pro X). Picture,
    the takes' sound, the soundtrack and the shots' audio are on tracks of their own; the
    media goes in media/ beside DEST under readable names (01A_take2_3b163dcb.mp4).
    """
    return emit(export_cut(Project.load(root), dest=dest, bundle=bundle), fmt, render)


def render(result: ExportResult) -> str:
    takes = "take" if result.takes == 1 else "takes"
    lines = [
        f"{result.path}: {result.clips} clips, {result.takes} {takes}, "
        f"{result.audio_tracks} audio tracks"
    ]
    if result.media is not None:
        lines.append(f"media: {result.media_files} files in {result.media}")
    if result.missing:
        lines.append(f"not in the local store (referred to by name): {', '.join(result.missing)}")
    if result.skipped:
        lines.append(f"left out (no selected take, or omitted): {', '.join(result.skipped)}")
    return "\n".join(lines)
