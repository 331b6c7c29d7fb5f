"""The checks `filmfs validate` runs on a loaded film, and what each of them read (for the
kept report, :mod:`filmfs.commands.validate`)."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from filmfs import layout, vcs
from filmfs.commands.planning import budget_problems, plan_problems, shot_plan
from filmfs.errors import StoreError
from filmfs.escape import mask_userinfo
from filmfs.manifests import modelines, results
from filmfs.manifests.config import LOCAL_FILE, SHARED_FILE, ConfigError, load_config
from filmfs.manifests.problems import Problem, Report
from filmfs.project import Project, display_path
from filmfs.store.objects import STORE_FOLDERS, MediaStore, check_inside


def check_film(
    root: Path, *, check_media: bool, fix_modelines: bool, watch: results.Watch
) -> Report:
    """Load the film and run every check; ``watch`` gets what the report was made from."""
    project = Project.load(root)
    fixed: list[str] = []
    if fix_modelines:
        stale = [path for path, _ in modelines.broken(project.documents)]
        if stale:
            fixed = [display_path(p) for p in modelines.repoint(project.root, stale)]
            project = Project.load(root)
    problems = project.all_problems() + store_problems(project, watch)
    problems += broken_modelines(project, watch)
    if check_media:
        problems += missing_media(project, watch)
    problems += generation_problems(project, problems)
    # A URL's user:password@ never reaches a report (schema errors quote the value).
    problems = [replace(p, message=mask_userinfo(p.message)) for p in problems]
    watch_film(project, watch)
    return Report(
        root=str(root), files=len(project.documents), problems=sorted(set(problems)), fixed=fixed
    )


def watch_film(project: Project, watch: results.Watch) -> None:
    """What the loaded film was made from, for the kept report (the rest is watched by the
    checks that read it)."""
    for path, info in project.stats:
        watch.add(path, info)
    if project.symlinked:
        watch.refuse("the film has a symlink (its target can change unseen)")
    if any(a.url and a.url.startswith("file:") for a in project.assets.values()):
        watch.refuse("an asset's file: URL is resolved on disk")


def broken_modelines(project: Project, watch: results.Watch | None = None) -> list[Problem]:
    """Warnings for modelines that point at a schema file that is not there."""
    if watch is not None:
        _watch_modelines(project, watch)
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


def _watch_modelines(project: Project, watch: results.Watch) -> None:
    """Watch each schema file the modelines name (a handful: they point at the same few)."""
    seen: set[tuple[Path, str]] = set()
    for path, document in project.documents.items():
        ref = document.schema_ref
        if not ref or "://" in ref or (path.parent, ref) in seen:
            continue
        seen.add((path.parent, ref))
        parts = ref.split("/")
        ups = 0
        while ups < len(parts) and parts[ups] in ("..", "."):
            ups += 1
        if ".." in parts[ups:]:
            # `a/../b` is only `b` when `a` is no symlink: leave such a report unkept.
            watch.refuse(f"{path} names its schema through `..` after a folder")
            return
        # The film's folders are no symlinks (or nothing is kept) and its root is resolved,
        # so the leading `..` collapse exactly.
        watch.look(os.path.normpath(path.parent / ref), follow=True)


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


def store_problems(project: Project, watch: results.Watch | None = None) -> list[Problem]:
    """Errors for a store a clone must never receive from Git: files tracked under
    ``.filmfs/{objects,tmp,locks,cache}`` (a symlink committed there is how a pull request
    would smuggle a file from outside the film into a copy), or store folders resolving
    outside the film."""
    found = []
    state = layout.state_dir(project.root)
    if watch is not None:
        # Replacing a store folder (by a symlink, say) changes .filmfs itself.
        watch.look(state)
        linked = (state, *(state / name for name in STORE_FOLDERS))
        for path in (*linked, state / SHARED_FILE, state / LOCAL_FILE):
            if path.is_symlink():
                watch.refuse(f"{path} is a symlink")
        for name in (SHARED_FILE, LOCAL_FILE):
            watch.look(state / name)
        results.watch_git(project.root, watch)
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


def missing_media(project: Project, watch: results.Watch | None = None) -> list[Problem]:
    """Warnings for media referenced by the manifests but absent from the local store."""
    found: list[Problem] = []
    hint = "fetch it with `filmfs pull` or generate the take again"
    try:
        store = MediaStore(layout.state_dir(project.root))
    except StoreError:
        return found  # reported by store_problems
    shas = {take.video.sha256 for takes in project.shot_takes.values() for take in takes
            if take.video}  # fmt: skip
    shas |= {asset.sha256 for asset in project.assets.values() if asset.sha256}
    if watch is not None:
        # Objects are written once and never changed: one appears or goes in its folder.
        watch.look(store.objects)
        for prefix in sorted({sha[:2] for sha in shas}):
            watch.look(store.objects / prefix)
    present = store.present(shas)
    for shot in project.shots.values():
        for take in shot.takes:
            if take.video and take.video.sha256 not in present:
                found.append(
                    project.make_problem(
                        take.path,
                        f"video {take.video.sha256[:12]} is not in the local media store ({hint})",
                        at=("video", "sha256"),
                        severity="warning",
                    )
                )
    for asset in project.assets.values():
        if asset.sha256 and asset.sha256 not in present:
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
