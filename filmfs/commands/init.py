"""`filmfs init`: a new film repository that validates clean."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from filmfs import layout, vcs
from filmfs.errors import FilmfsError
from filmfs.film.rate import parse_rate, rate_data
from filmfs.manifests import schema
from filmfs.manifests.edit import check
from filmfs.manifests.writer import atomic_write_text, make_folder, write_new

GITIGNORE = """\
# filmfs: media lives in the content-addressed store, never in Git.
.filmfs/objects/
.filmfs/tmp/
.filmfs/cache/
.filmfs/locks/
.filmfs/jobs/
.filmfs/config.local.yaml
/cut.mp4
/cut.srt
/cut.vtt
/review/
# A write killed before its rename leaves a hidden temp file beside the manifest.
.*.tmp
"""


@dataclass(frozen=True)
class InitResult:
    root: Path
    git_created: bool
    files: list[Path] = field(default_factory=list)


def install_schemas(root: Path) -> list[Path]:
    """Copy the JSON Schemas into .filmfs/schemas/ so editors resolve the modelines offline."""
    target = layout.state_dir(root) / "schemas"
    make_folder(target)
    copied = []
    for source in sorted(schema.schema_dir().glob("*.schema.json")):
        shutil.copyfile(source, target / source.name)
        copied.append(target / source.name)
    return copied


def init(
    root: Path,
    *,
    title: str,
    width: int = 1280,
    height: int = 720,
    fps: float | str | Fraction = 24,
) -> InitResult:
    """Create the film's folders, film.yaml, .gitignore and schemas; git init if needed."""
    film_path = layout.film_file(root)
    if film_path.exists():
        raise FilmfsError(f"{film_path} already exists; this is already a film")
    try:
        rate = parse_rate(fps)
    except FilmfsError as exc:
        raise FilmfsError(f"--fps: {exc.message}", hint=exc.hint) from None
    film = {
        "filmfs": 1,
        "title": title,
        "synopsis": "",
        "status": "development",
        "format": {"width": width, "height": height, "fps": rate_data(rate)},
        "defaults": {"provider": "testcard"},
    }
    # Checked before anything is created, so a bad --width leaves no half-made film behind.
    try:
        check(film, "film", layout.FILM_FILE)
    except FilmfsError as exc:
        raise FilmfsError(
            exc.message, hint="--width and --height are even and at least 16; --fps is above 0"
        ) from None
    for folder in (layout.SCENES_DIR, layout.SHOTS_DIR, layout.CHARACTERS_DIR, layout.ASSETS_DIR):
        make_folder(root / folder)
    files = install_schemas(root)
    write_new(film_path, film, root=root, kind="film")
    files.append(film_path)
    ignore = root / ".gitignore"
    if not ignore.exists():
        atomic_write_text(ignore, GITIGNORE)
        files.append(ignore)
    created = vcs.init_repo(root)
    return InitResult(root=root, git_created=created, files=files)
