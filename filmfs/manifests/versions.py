"""The manifest format's version (film.yaml ``filmfs: N``) and the upgrades between versions.

As OpenTimelineIO does for its schemas, each change of the format comes with one upgrade
function, registered for the version it upgrades *from*; ``filmfs upgrade`` runs them in
order from the film's version to :data:`FORMAT_VERSION`, then records the new version. A film
of a newer format than this filmfs knows is refused: reading it could silently drop or
misread what the newer filmfs wrote.

Version 0 is a film.yaml without ``filmfs:`` (written before the key existed). It holds the
same fields as version 1, so it is read as it is; its upgrade only records the version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.manifests import writer
from filmfs.manifests.loader import Document, load

FORMAT_VERSION = 1
KEY = "filmfs"

Step = Callable[[Path, bool], list[Path]]
"""An upgrade from one version to the next: (film root, write) -> the files it changes.

With ``write`` false it only says which files it would change."""

UPGRADES: dict[int, Step] = {}


def upgrade_step(from_version: int) -> Callable[[Step], Step]:
    """Register the upgrade from ``from_version`` to ``from_version + 1``."""

    def register(step: Step) -> Step:
        if from_version in UPGRADES:
            raise ValueError(f"an upgrade from format {from_version} is already registered")
        UPGRADES[from_version] = step
        return step

    return register


@upgrade_step(0)
def _record_version(root: Path, write: bool) -> list[Path]:
    """0 -> 1: the fields are the same; film.yaml gains ``filmfs: 1`` (written by the caller)."""
    return []


class NewerFormatError(FilmfsError):
    """The film was written by a newer filmfs, in a format this one does not know."""


def version_of(document: Document) -> int:
    """The film's format version: film.yaml's ``filmfs`` (0 when absent).

    A value that is not a whole number is left to the schema check, which names it.
    """
    data = document.data
    value = data.get(KEY, 0) if isinstance(data, dict) else 0
    if isinstance(value, bool) or not isinstance(value, int):
        return FORMAT_VERSION
    return value


def check_readable(document: Document, display: str) -> int:
    """The film's version; NewerFormatError, naming film.yaml's line, if it is too new."""
    version = version_of(document)
    if version > FORMAT_VERSION:
        line, col = document.where((KEY,))
        raise NewerFormatError(
            f"{display}:{line}:{col}: {KEY}: {version}: this film was written by a newer "
            f"filmfs (format {version}); this filmfs reads formats up to {FORMAT_VERSION}",
            hint="upgrade filmfs (`pip install -U filmfs`) to work on this film",
        )
    return version


@dataclass
class Upgrade:
    """What ``filmfs upgrade`` did, or with ``dry_run`` would do."""

    from_version: int
    to_version: int
    steps: list[str] = field(default_factory=list)
    """One line per step: ``0 -> 1: <what it does>``."""
    changed: list[Path] = field(default_factory=list)
    dry_run: bool = False

    @property
    def up_to_date(self) -> bool:
        return self.from_version == self.to_version


def steps_from(version: int, registry: Mapping[int, Step] = UPGRADES) -> list[tuple[int, Step]]:
    """The steps from ``version`` to FORMAT_VERSION, in order; a gap is a bug in filmfs."""
    chain = []
    for start in range(version, FORMAT_VERSION):
        if start not in registry:
            raise RuntimeError(f"no upgrade from format {start} to {start + 1} is registered")
        chain.append((start, registry[start]))
    return chain


def upgrade(
    root: Path, *, dry_run: bool = False, registry: Mapping[int, Step] = UPGRADES
) -> Upgrade:
    """Bring the film at ``root`` to FORMAT_VERSION, one registered step at a time.

    Each step writes atomically and is followed by film.yaml recording the version reached,
    so a run killed halfway leaves a film of one known version that the next run continues.
    """
    film = layout.film_file(root)
    display = layout.FILM_FILE
    version = check_readable(load(film, display), display)
    result = Upgrade(version, FORMAT_VERSION, dry_run=dry_run)
    for start, step in steps_from(version, registry):
        summary = (step.__doc__ or "").strip().splitlines()[0] if step.__doc__ else ""
        result.steps.append(summary or f"{start} -> {start + 1}")
        changed = step(root, not dry_run)
        if not dry_run:
            writer.update(film, {KEY: start + 1}, first=True)
        for path in [*changed, film]:
            if path not in result.changed:
                result.changed.append(path)
    return result
