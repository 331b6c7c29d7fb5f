"""`filmfs validate`: schema and integrity checks of every manifest, in one pass."""

from __future__ import annotations

import os
from pathlib import Path

from filmfs import layout
from filmfs.manifests.problems import Problem, Report
from filmfs.project import Project


def validate(root: Path, *, check_media: bool = True) -> Report:
    """Check a film; problems are data in the report, never raised."""
    project = Project.load(root)
    problems = project.all_problems()
    if check_media:
        problems += missing_media(project)
    return Report(root=str(root), files=len(project.documents), problems=sorted(set(problems)))


def missing_media(project: Project) -> list[Problem]:
    """Warnings for media referenced by the manifests but absent from the local store."""
    found = []
    hint = "fetch it with `filmfs pull` or generate the take again"
    # os.path on strings: a 30,000-take film checks 30,000 objects.
    objects = os.path.dirname(os.path.dirname(layout.object_path(project.root, "0" * 64)))

    def stored(sha256: str) -> bool:
        return os.path.exists(os.path.join(objects, sha256[:2], sha256[2:]))

    for shot in project.shots.values():
        for take in shot.takes:
            if take.video and not stored(take.video.sha256):
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
