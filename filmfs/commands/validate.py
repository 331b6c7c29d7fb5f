"""`filmfs validate`: schema and integrity checks of every manifest, in one pass."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from filmfs import layout
from filmfs.commands.planning import budget_problems, plan_problems, shot_plan
from filmfs.errors import StoreError
from filmfs.escape import mask_userinfo
from filmfs.manifests.problems import Problem, Report
from filmfs.project import Project
from filmfs.store.objects import MediaStore


def validate(root: Path, *, check_media: bool = True) -> Report:
    """Check a film; problems are data in the report, never raised."""
    project = Project.load(root)
    problems = project.all_problems() + store_problems(project)
    if check_media:
        problems += missing_media(project)
    problems += generation_problems(project, problems)
    # A URL's user:password@ never reaches a report (schema errors quote the value).
    problems = [replace(p, message=mask_userinfo(p.message)) for p in problems]
    return Report(root=str(root), files=len(project.documents), problems=sorted(set(problems)))


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
