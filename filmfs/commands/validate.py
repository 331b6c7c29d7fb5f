"""`filmfs validate`: schema and integrity checks of every manifest, in one pass."""

from __future__ import annotations

from pathlib import Path

from filmfs import layout
from filmfs.manifests import modelines
from filmfs.manifests.problems import Problem, Report
from filmfs.project import Project, display_path


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
    problems = project.all_problems() + broken_modelines(project)
    if check_media:
        problems += missing_media(project)
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


def missing_media(project: Project) -> list[Problem]:
    """Warnings for media referenced by the manifests but absent from the local store."""
    found = []
    hint = "fetch it with `filmfs pull` or generate the take again"
    for shot in project.shots.values():
        for take in shot.takes:
            if take.video and not layout.object_path(project.root, take.video.sha256).exists():
                found.append(
                    project.make_problem(
                        take.path,
                        f"video {take.video.sha256[:12]} is not in the local media store ({hint})",
                        at=("video", "sha256"),
                        severity="warning",
                    )
                )
    for asset in project.assets.values():
        if asset.sha256 and not layout.object_path(project.root, asset.sha256).exists():
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
