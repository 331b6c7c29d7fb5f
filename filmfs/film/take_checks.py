"""Cross-file checks of takes and of the cut made from them (split from integrity.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from filmfs import layout
from filmfs.film.model import Asset, Film, Take
from filmfs.manifests.problems import Problem

# `filmfs select` repairs this one, so it does not refuse to run because of it.
SEVERAL_SELECTED = "shot {shot} has more than one selected take"


class Checked(Protocol):
    """What these checks read of a loaded film (:class:`filmfs.project.Project`)."""

    root: Path
    film: Film | None
    shot_takes: dict[str, tuple[Take, ...]]
    assets: dict[str, Asset]

    def names_in(self, folder: Path) -> list[str]: ...

    def make_problem(
        self,
        path: Path,
        message: str,
        *,
        at: tuple[str | int, ...] = (),
        key: bool = False,
        severity: str = "error",
    ) -> Problem: ...


def check_takes(
    project: Checked, shot_id: str, takes: tuple[Take, ...], found: list[Problem]
) -> None:
    """The take files of one shot folder (whether or not its shot.yaml is valid)."""
    folder = layout.takes_dir(project.root, shot_id)
    for name in project.names_in(folder):
        stem, dot, suffix = name.rpartition(".")
        if name.startswith(".") or (dot and suffix == "tmp"):
            continue
        if not (dot and suffix == "yaml" and layout.TAKE_STEM.fullmatch(stem)):
            found.append(
                project.make_problem(
                    folder / name, "take files are named NNN.yaml after their attempt number"
                )
            )
    selected = [take for take in takes if take.selected]
    for take in takes:
        if (
            layout.TAKE_STEM.fullmatch(take.path.stem)
            and int(take.path.stem) != take.attempt_number
        ):
            found.append(
                project.make_problem(
                    take.path,
                    f"attempt_number {take.attempt_number} does not match the file name "
                    f"{take.path.name}; expected {layout.take_stem(take.attempt_number)}.yaml",
                    at=("attempt_number",),
                )
            )
        if take.selected and take.video is None:
            found.append(
                project.make_problem(take.path, "selected take has no video", at=("selected",))
            )
    for take in selected[1:]:
        others = ", ".join(t.path.name for t in selected if t is not take)
        found.append(
            project.make_problem(
                take.path,
                SEVERAL_SELECTED.format(shot=shot_id)
                + f" (also {others}); keep one with `filmfs select {shot_id} N`",
                at=("selected",),
            )
        )


def check_final_edit(project: Checked, found: list[Problem]) -> None:
    """A cut whose source videos no take (or video asset) of the film has any more: a take
    was deleted after the cut was made, so the cut no longer matches the film."""
    film = project.film
    if film is None or film.final_edit is None:
        return
    known = {
        take.video.sha256
        for takes in project.shot_takes.values()
        for take in takes
        if take.video is not None
    }
    known |= {asset.sha256 for asset in project.assets.values() if asset.sha256}
    final = film.final_edit
    for index, sha in enumerate(final.derived_from):
        source = final.conformed.get(sha, sha)
        if sha in known or source in known:
            continue
        found.append(
            project.make_problem(
                film.path,
                f"final_edit was cut from video {source[:12]}, which no take of the film has "
                "any more (was its take deleted?); cut again with `filmfs assemble`",
                at=("final_edit", "derived_from", index),
                severity="warning",
            )
        )
