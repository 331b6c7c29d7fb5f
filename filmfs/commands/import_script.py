"""`filmfs import-script SCRIPT`: a Fountain screenplay into the film, as a sync.

The first import writes scenes/, characters/ and a first shot per scene; a later one brings
the film in line with the edited script (see :mod:`filmfs.script.sync`). A folder without a
film becomes one (``filmfs init`` with the script's title).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.commands.init import init
from filmfs.errors import FilmfsError
from filmfs.film.locks import commit_manifests
from filmfs.manifests.writer import atomic_write_many
from filmfs.project import Project, display_path
from filmfs.script import stamp
from filmfs.script.changes import Change, SyncPlan
from filmfs.script.parse import parse_script, read_text
from filmfs.script.sync import plan_sync

MAX_SCENES = 9999  # scene_number's schema maximum


@dataclass(frozen=True)
class ImportResult:
    script: Path
    root: Path
    dry_run: bool
    created_film: bool
    scenes: int
    characters: int
    changes: list[Change] = field(default_factory=list)
    commit: str | None = None

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.action == "conflict"]

    @property
    def ok(self) -> bool:
        return True

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "script": str(self.script),
            "film": str(self.root),
            "dry_run": self.dry_run,
            "created_film": self.created_film,
            "scenes": self.scenes,
            "characters": self.characters,
            "changes": [c.as_dict() for c in self.changes],
            "conflicts": len(self.conflicts),
            "commit": self.commit,
        }


def _apply(plan: SyncPlan) -> None:
    # Each file is replaced atomically (every one was schema-checked when planned, and the
    # plan links only characters and scenes it writes or the film has); old files of moved
    # scenes go last.
    atomic_write_many(plan.writes)
    for path in plan.deletes:
        path.unlink(missing_ok=True)


def import_script(
    root: Path, *, script: Path, dry_run: bool = False, commit: bool = True
) -> ImportResult:
    """Parse ``script`` and sync the film at ``root`` with it (``dry_run``: plan only)."""
    text = read_text(script, display_path(script))
    exists = layout.film_file(root).exists()
    if exists and (counts := stamp.unchanged(root, text)) is not None:
        # Neither the script nor a manifest changed since the last sync: nothing to do.
        scenes, characters = counts
        return ImportResult(script, Path(os.path.abspath(root)), dry_run, False, scenes, characters)
    parsed = parse_script(text, display_path(script))
    count = len(parsed.scenes)
    if count > MAX_SCENES:
        shown = display_path(script)
        raise FilmfsError(f"{shown}: {count} scenes; a film holds at most {MAX_SCENES}")
    if exists:
        project = Project.load(root)
        project.require_valid()
    else:  # planned against an empty film first, so a script that fails leaves no film
        project = Project(root=Path(os.path.abspath(root)))
    plan = plan_sync(project, parsed)
    created: list[Path] = []
    if not exists and not dry_run:
        created = init(root, title=parsed.title or script.stem).files
    result = ImportResult(
        script=script,
        root=project.root,
        dry_run=dry_run,
        created_film=not exists,
        scenes=plan.scenes,
        characters=plan.characters,
        changes=plan.changes,
    )
    if dry_run or not (plan.writes or plan.deletes):
        if not dry_run and not plan.conflicts:
            stamp.record(project.root, text, scenes=plan.scenes, characters=plan.characters)
        return result
    _apply(plan)
    sha = None
    if commit:
        made = {a: sum(c.action == a for c in plan.changes) for a in ("create", "update")}
        sha = commit_manifests(
            project.root,
            [*created, *plan.writes, *plan.deletes],
            f"import-script {script.name}: {plan.scenes} scene(s), "
            f"{made['create']} file(s) created, {made['update']} updated",
        )
    if not plan.conflicts:
        stamp.record(project.root, text, scenes=plan.scenes, characters=plan.characters)
    return ImportResult(**{**result.__dict__, "commit": sha})
