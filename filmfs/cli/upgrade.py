"""`filmfs upgrade [-C DIR] [--dry-run]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.upgrade import UpgradeResult, upgrade_film
from filmfs.project import display_path


@click.command("upgrade")
@click.option("-n", "--dry-run", is_flag=True, help="Only say what would change.")
@no_commit_option
@format_option()
@film_option
def command(dry_run: bool, no_commit: bool, fmt: str, root: Path) -> UpgradeResult:
    """Bring the film's manifests to the format this filmfs writes (film.yaml's `filmfs:`).

    Each format change has one upgrade step; they run in order and the result is committed.
    A film written by a newer filmfs is refused by every command: upgrade filmfs instead.
    """
    return emit(upgrade_film(root, dry_run=dry_run, commit=not no_commit), fmt, render)


def render(result: UpgradeResult) -> str:
    done = result.upgrade
    if done.up_to_date:
        return f"the film is in format {done.to_version}, the current one: nothing to do"
    verb = "would upgrade" if done.dry_run else "upgraded"
    lines = [f"{verb} the film from format {done.from_version} to {done.to_version}:"]
    lines += [f"  {step}" for step in done.steps]
    lines += [
        f"  {'would change' if done.dry_run else 'changed'} {display_path(p)}" for p in done.changed
    ]
    if result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)
