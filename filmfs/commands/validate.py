"""`filmfs validate`: schema and integrity checks of every manifest, in one pass."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from filmfs import layout, vcs
from filmfs.commands.planning import budget_problems, plan_problems, shot_plan
from filmfs.errors import StoreError
from filmfs.escape import mask_userinfo
from filmfs.manifests import modelines
from filmfs.manifests.config import SHARED_FILE, ConfigError, load_config
from filmfs.manifests.problems import Problem, Report
from filmfs.project import Project, display_path
from filmfs.store.objects import STORE_FOLDERS, MediaStore, check_inside


def validate(root: Path, *, check_media: bool = True, fix_modelines: bool = False) -> Report:
    """Check a film; problems are data in the report, never raised.

    ``fix_modelines`` first repoints every modeline that points nowhere (the one write
    validate makes, on request)."""
    project = Project.load(root)
    fixed: list[str] = []
    if fix_modelines:
        stale = [path for path, _ in modelines.broken(project.documents)]
        if stale:
            fixed = [display_path(p) for p in modelines.repoint(project.root, stale)]
            project = Project.load(root)
    problems = project.all_problems() + store_problems(project) + broken_modelines(project)
    if check_media:
        problems += missing_media(project)
    problems += generation_problems(project, problems)
    # A URL's user:password@ never reaches a report (schema errors quote the value).
    problems = [replace(p, message=mask_userinfo(p.message)) for p in problems]
    return Report(
        root=str(root), files=len(project.documents), problems=sorted(set(problems)), fixed=fixed
    )


def broken_modelines(project: Project) -> list[Problem]:
    """Warnings for modelines that point at a schema file that is not there."""
    return [
        Problem(
            display_path(path),
            1,  # the modeline is the first line
            1,
            f"the yaml-language-server line points at {ref}, which does not exist, so editors "
            f"cannot load the schema; repoint it with `{modelines.FIX}`",
            "warning",
        )
        for path, ref in modelines.broken(project.documents)
    ]


def generation_problems(project: Project, found: list[Problem]) -> list[Problem]:
    """Pre-flight of every shot against its model, the budget and the gates.

    Only on a film whose manifests are otherwise sound (their errors come first)."""
    film = project.film
    if film is None or any(p.severity == "error" for p in found):
        return []
    plans = [
        shot_plan(project, film, shot)
        for shot in project.shots.values()
        if shot.status != "omitted"
    ]
    return plan_problems(project, film, plans) + budget_problems(project, film)


def store_problems(project: Project) -> list[Problem]:
    """Errors for a store a clone must never receive from Git: files tracked under
    ``.filmfs/{objects,tmp,locks,cache}`` (a symlink committed there is how a pull request
    would smuggle a file from outside the film into a copy), or store folders resolving
    outside the film."""
    found = []
    state = layout.state_dir(project.root)
    try:
        check_inside(state)
    except StoreError as exc:
        found.append(Problem(display_path(state), 1, 1, exc.message))
    try:
        load_config(project.root)  # the committed config is data: no options, safe URLs
    except ConfigError as exc:
        found.append(_config_problem(project, exc))
    for rel in vcs.tracked_files(project.root, layout.STATE_DIR):
        folder = rel.split("/")[1] if rel.count("/") >= 2 else ""
        if folder in STORE_FOLDERS:
            found.append(
                Problem(
                    display_path(project.root / rel),
                    1,
                    1,
                    f"tracked by Git, but {layout.STATE_DIR}/{folder}/ belongs to this machine "
                    f"and is never committed (remove it: git rm --cached '{rel}')",
                )
            )
    return found


def _config_problem(project: Project, exc: ConfigError) -> Problem:
    where = re.match(r"^(\S+?):(\d+):(\d+): (.*)$", exc.message, re.DOTALL)
    if where:
        path, line, col, message = where.groups()
        return Problem(display_path(project.root / path), int(line), int(col), message)
    shown = display_path(layout.state_dir(project.root) / SHARED_FILE)
    return Problem(shown, 1, 1, exc.message)


def missing_media(project: Project) -> list[Problem]:
    """Warnings for media referenced by the manifests but absent from the local store."""
    found: list[Problem] = []
    hint = "fetch it with `filmfs pull` or generate the take again"
    try:
        store = MediaStore(layout.state_dir(project.root))
    except StoreError:
        return found  # reported by store_problems

    for shot in project.shots.values():
        for take in shot.takes:
            if take.video and not store.has(take.video.sha256):
                found.append(
                    project.make_problem(
                        take.path,
                        f"video {take.video.sha256[:12]} is not in the local media store ({hint})",
                        at=("video", "sha256"),
                        severity="warning",
                    )
                )
    for asset in project.assets.values():
        if asset.sha256 and not store.has(asset.sha256):
            found.append(
                project.make_problem(
                    asset.path,
                    f"{asset.type} {asset.sha256[:12]} is not in the local media store"
                    + ("" if asset.url else f" ({hint})"),
                    at=("sha256",),
                    severity="warning",
                )
            )
    return found
