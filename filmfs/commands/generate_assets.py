"""Generating media for assets that describe it (`generation:`) but have none yet.

Only the offline ``testcard`` provider makes audio today (a chord bed standing in for a music
model); its result is stored by sha256 and the asset manifest gets ``sha256``, ``size`` and
``duration``, edited in place so its comments survive.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmfs.errors import FilmfsError
from filmfs.film.locks import commit_made_from
from filmfs.film.model import Asset, number
from filmfs.manifests.writer import update
from filmfs.media.score import render_score
from filmfs.project import Project

AUDIO_PROVIDERS = ("testcard",)
DEFAULT_SECONDS = 30.0


@dataclass(frozen=True)
class AssetOutcome:
    asset_id: str
    sha256: str
    duration: float
    path: Path


def pending_assets(project: Project) -> list[Asset]:
    """Assets with a ``generation`` recipe and no media yet."""
    return [
        asset
        for asset in project.assets.values()
        if asset.generation is not None and asset.sha256 is None and asset.url is None
    ]


def generate_assets(
    project: Project, *, commit: bool = True
) -> tuple[list[AssetOutcome], str | None]:
    """Make the media of every pending asset; returns the outcomes and the commit, if any."""
    project.require_valid()
    store = project.store
    outcomes = []
    for asset in pending_assets(project):
        recipe = asset.generation or {}
        provider = recipe.get("provider", "testcard")
        if asset.type != "audio" or provider not in AUDIO_PROVIDERS:
            shown = asset.path.relative_to(project.root).as_posix()
            raise FilmfsError(
                f"{shown}: cannot generate {asset.type} with {provider!r}; "
                f"offline generation covers audio with {', '.join(AUDIO_PROVIDERS)}",
                hint="add the file with a sha256 or url instead",
            )
        duration = float(recipe.get("duration") or DEFAULT_SECONDS)
        with store.temp_path(".m4a") as tmp:
            render_score(
                tmp,
                duration=duration,
                seed=int(recipe.get("seed") or 0),
                prompt=str(recipe.get("prompt", "")),
            )
            stored = store.put_file(tmp, move=True)
        update(
            asset.path,
            {"sha256": stored.sha256, "size": stored.size, "duration": number(duration)},
        )
        outcomes.append(AssetOutcome(asset.id, stored.sha256, duration, asset.path))
    sha = None
    if commit and outcomes:
        names = ", ".join(o.asset_id for o in outcomes)
        sha = commit_made_from(
            project.root,
            [o.path for o in outcomes],
            [project.root / "film.yaml"],
            f"generate {names}",
        )
    return outcomes, sha
