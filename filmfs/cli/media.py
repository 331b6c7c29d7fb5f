"""`filmfs media status|gc|fsck`: the local media store against the manifests and a remote."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option
from filmfs.cli.output import echo_json, emit, format_option
from filmfs.cli.push import remote_option
from filmfs.cli.sizes import human_size
from filmfs.commands.fsck import FsckResult, fsck
from filmfs.commands.gc import GcResult, gc
from filmfs.commands.media_status import MediaStatus, media_status
from filmfs.project import Project


@click.group("media")
def command() -> None:
    """The media store: status against a remote, garbage collection, integrity check."""


@command.command("status")
@remote_option
@click.option("-v", "--verbose", is_flag=True, help="List every object, not only problems.")
@format_option()
@film_option
def status(remote: str | None, verbose: bool, fmt: str, root: Path) -> MediaStatus:
    """Each referenced object: in the local store? on the remote? (like `dvc status -c`).

    Exit 1 when anything is not ok (missing locally, not pushed, missing everywhere).
    """
    result = media_status(Project.load(root), remote=remote)
    if fmt == "json":
        echo_json(result.as_dict())
    else:
        for obj in result.objects:
            if verbose or obj.state != "ok":
                click.echo(f"{obj.state:>18}: {obj.sha256[:12]}  {', '.join(obj.files)}")
        counts = ", ".join(f"{n} {state}" for state, n in result.counts().items() if n)
        where = f"remote {result.remote}" if result.remote else "no remote configured"
        click.echo(f"{len(result.objects)} object(s) referenced ({where}): {counts or 'none'}")
    return result


@command.command("gc")
@click.option("-n", "--dry-run", is_flag=True, help="Only say what would be removed.")
@click.option(
    "--scope",
    type=click.Choice(["workspace", "all-commits"]),
    default="workspace",
    show_default=True,
    help="Keep objects referenced by the working tree, or by it and any commit.",
)
@format_option()
@film_option
def gc_command(dry_run: bool, scope: str, fmt: str, root: Path) -> GcResult:
    """Delete local objects that no manifest references."""
    result = gc(
        Project.load(root),
        scope="all-commits" if scope == "all-commits" else "workspace",
        dry_run=dry_run,
    )
    return emit(result, fmt, lambda r: _render_gc(r, dry_run=dry_run, scope=scope))


def _render_gc(result: GcResult, *, dry_run: bool, scope: str) -> str:
    lines = []
    verb = "would remove" if dry_run else "removed"
    lines = [f"{verb} {sha}" for sha in result.removed]
    lines.append(
        f"{verb} {len(result.removed)} object(s), {human_size(result.bytes)}; "
        f"kept {result.kept} ({scope})"
        + (
            ""
            if dry_run
            else f"; {result.temp_files} temp file(s) and "
            f"{result.index_entries} cache entr(ies) cleaned"
        )
    )
    return "\n".join(lines)


@command.command("fsck")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=4, show_default=True)
@format_option()
@film_option
def fsck_command(jobs: int, fmt: str, root: Path) -> FsckResult:
    """Re-hash every local object; move corrupt ones to .filmfs/quarantine/ (exit 1 if any)."""
    result = fsck(root, jobs=jobs)
    if fmt == "json":
        echo_json(result)
    else:
        for bad in result.corrupt:
            click.secho(
                f"corrupt {bad.sha256} (hashes to {bad.actual[:12]}): moved to {bad.moved_to}",
                fg="red",
            )
        click.echo(
            f"{result.checked} object(s) checked, {human_size(result.bytes)}: "
            + (
                "ok"
                if result.ok
                else f"{len(result.corrupt)} corrupt, quarantined; "
                "run `filmfs pull` to fetch good copies"
            )
        )
    return result
