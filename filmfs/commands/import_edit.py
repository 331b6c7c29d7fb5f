"""`filmfs import-edit CUT`: an editor's timeline written back into the film's manifests.

Reads CUT (.otio, FCP 7 .xml, .fcpxml, .edl; see export/read.py), maps every picture clip to
a shot and take (export/conform.py: by what filmfs wrote, never by guessing) and writes the
decisions: the take selected, ``in`` / ``out`` within it, ``transition_in``, scene and shot id
for the new order (film/order.py), and ``status: omitted`` for shots no longer in the cut.

Every change is checked against the schema before anything is written. Writes are atomic per
file and ordered so a kill at any moment leaves a valid film: a renamed shot is copied to its
new folder (a hidden temporary one, then renamed into place) before the old folder is moved
aside and removed. ``dry_run`` makes the same changes in a copy of the manifests and returns
the difference, as ``filmfs diff`` shows it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.diff.changes import FilmChanges, compare
from filmfs.errors import FilmfsError
from filmfs.export.conform import EditPlan, plan_edit
from filmfs.export.read import read_edit
from filmfs.film.locks import commit_manifests, shot_lock
from filmfs.manifests.edit import check, current
from filmfs.manifests.problems import Problem
from filmfs.manifests.writer import update
from filmfs.project import Project


@dataclass
class ImportResult:
    source: Path
    plan: EditPlan
    changes: FilmChanges
    problems: list[Problem] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    commit: str | None = None
    dry_run: bool = False


def import_edit(
    project: Project, *, source: Path, dry_run: bool = False, commit: bool = True
) -> ImportResult:
    film = project.require_valid()
    rate = film.format.fps
    cut = read_edit(source, rate)
    plan = plan_edit(cut, dict(project.shots), rate)
    _check(project, plan)
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="filmfs-import-") as tmp:
            # Two copies: `diff` tells a shot added from one fixed by what is on disk.
            base, copy = Path(tmp) / "base", Path(tmp) / "film"
            _copy_manifests(project.root, base)
            _copy_manifests(project.root, copy)
            _apply(Project.load(copy), plan)
            before, after = Project.load(base), Project.load(copy)
            errors = [p for p in after.all_problems() if p.severity == "error"]
            return ImportResult(source, plan, compare(before, after), errors, dry_run=True)
    with tempfile.TemporaryDirectory(prefix="filmfs-import-") as tmp:
        _copy_manifests(project.root, Path(tmp) / "base")  # what `diff` compares with
        changed = _apply(project, plan)
        before, after = Project.load(Path(tmp) / "base"), Project.load(project.root)
        changes = compare(before, after)
    errors = [p for p in after.all_problems() if p.severity == "error"]
    if errors:  # a bug if it happens: every write was checked first
        raise FilmfsError(f"the imported edit left {len(errors)} problem(s): {errors[0]}")
    sha = None
    if commit and changed:
        sha = commit_manifests(project.root, changed, _message(source, plan))
    return ImportResult(source, plan, changes, changed=changed, commit=sha)


def _copy_manifests(root: Path, target: Path) -> None:
    target.mkdir(parents=True)
    shutil.copy2(layout.film_file(root), layout.film_file(target))
    for part in (layout.SCENES_DIR, layout.SHOTS_DIR, layout.CHARACTERS_DIR, layout.ASSETS_DIR):
        if (root / part).is_dir():
            shutil.copytree(root / part, target / part, symlinks=True)


def _shot_changes(project: Project, plan: EditPlan) -> dict[str, dict[str, Any]]:
    changes: dict[str, dict[str, Any]] = {}
    for decision in plan.decisions:
        fields = dict(decision.fields)
        if decision.new_id != decision.shot:
            fields["shot_number"] = decision.new_id
        if fields:
            changes[decision.shot] = fields
    for shot_id in plan.omitted:
        changes[shot_id] = {"status": "omitted"}
    return changes


def _check(project: Project, plan: EditPlan) -> None:
    """Refuse the whole import before writing anything if any file would be invalid."""
    for shot_id, fields in _shot_changes(project, plan).items():
        path = project.shots[shot_id].path
        merged = {k: v for k, v in {**current(path), **fields}.items() if v is not None}
        check(merged, "shot", path.relative_to(project.root).as_posix())


def _apply(project: Project, plan: EditPlan) -> list[Path]:
    root = project.root
    changed: list[Path] = []
    renames = {d.shot: d.new_id for d in plan.decisions if d.new_id != d.shot}
    for shot_id, fields in _shot_changes(project, plan).items():
        path = project.shots[shot_id].path
        # The id changes with the folder (below), so the file keeps its old id until then.
        update(path, {k: v for k, v in fields.items() if k != "shot_number"})
        changed.append(path)
    for decision in plan.decisions:
        if not decision.select:
            continue
        shot = project.shots[decision.shot]
        with shot_lock(root, decision.shot):
            # Unselect first: a kill between the two writes leaves no take selected, never two.
            for take in shot.takes:
                if take.selected and take.attempt_number != decision.take:
                    update(take.path, {"selected": False})
                    changed.append(take.path)
            chosen = next(t for t in shot.takes if t.attempt_number == decision.take)
            update(chosen.path, {"selected": True})
            changed.append(chosen.path)
    for old, new in renames.items():
        changed += _rename_shot(root, old, new)
    return changed


def _rename_shot(root: Path, old: str, new: str) -> list[Path]:
    """shots/<old> -> shots/<new> with its shot_number, the film valid at every step."""
    source, target = layout.shot_dir(root, old), layout.shot_dir(root, new)
    if target.exists():
        raise FilmfsError(f"cannot rename shot {old} to {new}: shots/{new} exists")
    staging = Path(tempfile.mkdtemp(prefix=f".{new}.", dir=source.parent))
    try:
        shutil.copytree(source, staging / new, symlinks=True)
        update(staging / new / layout.SHOT_FILE, {"shot_number": new})
        os.rename(staging / new, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    trash = Path(tempfile.mkdtemp(prefix=f".{old}.", dir=source.parent))
    os.rename(source, trash / old)
    shutil.rmtree(trash, ignore_errors=True)
    return [source, target]


def _message(source: Path, plan: EditPlan) -> str:
    lines = []
    for d in plan.decisions:
        parts = []
        if d.new_id != d.shot:
            parts.append(f"now {d.new_id}")
        if d.select:
            parts.append(f"take {d.take}")
        for key, value in d.fields.items():
            if isinstance(value, dict):
                value = f"{value['type']} {value['duration']} s"
            parts.append(f"{key} {'removed' if value is None else value}")
        if parts:
            lines.append(f"{d.shot}: " + ", ".join(str(p) for p in parts))
    lines += [f"{s}: omitted" for s in plan.omitted]
    return f"import-edit {source.name}\n\n" + "\n".join(lines)
