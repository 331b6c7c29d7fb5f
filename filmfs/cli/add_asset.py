"""`filmfs add-asset ID FILE --type image|audio|video`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.add_asset import KINDS, AddAssetResult, add_asset
from filmfs.project import Project


@click.command("add-asset")
@click.argument("asset_id")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--type", "kind", type=click.Choice(KINDS), required=True, help="What FILE is.")
@click.option("--name", help="A name for people (default: the ID).")
@click.option("--description", help="What it is for.")
@click.option("--volume", type=click.FloatRange(0, 2), help="Gain for audio, 0 to 2 (1 = as is).")
@click.option("--license", "license_", help="Where it comes from and the terms of use.")
@no_commit_option
@format_option()
@film_option
def command(
    asset_id: str,
    source: Path,
    kind: str,
    name: str | None,
    description: str | None,
    volume: float | None,
    license_: str | None,
    no_commit: bool,
    fmt: str,
    root: Path,
) -> AddAssetResult:
    """Store FILE (a reference image, a storyboard frame, music...) as asset ASSET_ID.

    Writes assets/ASSET_ID.yaml with the file's sha256 and what it is; the bytes go to the
    media store, never to Git.
    """
    result = add_asset(
        Project.load(root),
        asset_id=asset_id,
        source=source,
        kind=kind,
        name=name,
        description=description,
        volume=volume,
        license=license_,
        commit=not no_commit,
    )
    return emit(result, fmt, render)


def render(result: AddAssetResult) -> str:
    lines = [
        f"{result.asset_id}: {result.type}, {result.facts}, sha256 {result.sha256[:12]} "
        f"-> assets/{result.asset_id}.yaml"
    ]
    if result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)
