"""`filmfs upgrade`: bring a film's manifests to the format this filmfs writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmfs import layout
from filmfs.errors import NotAFilmError
from filmfs.film.locks import commit_manifests
from filmfs.manifests.versions import Upgrade, upgrade


@dataclass(frozen=True)
class UpgradeResult:
    upgrade: Upgrade
    commit: str | None = None


def upgrade_film(root: Path, *, dry_run: bool = False, commit: bool = True) -> UpgradeResult:
    """Run the upgrade steps from the film's format to the current one (none when current)."""
    if not layout.film_file(root).is_file():
        raise NotAFilmError(f"{root}: not a film (no {layout.FILM_FILE})")
    done = upgrade(root, dry_run=dry_run)
    made = None
    if commit and not dry_run and not done.up_to_date:
        made = commit_manifests(
            root,
            done.changed,
            f"upgrade the film's format from {done.from_version} to {done.to_version}",
        )
    return UpgradeResult(done, made)
