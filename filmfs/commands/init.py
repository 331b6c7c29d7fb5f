"""`filmfs init`: a new film repository that validates clean."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from filmfs import layout, vcs
from filmfs.errors import FilmfsError
from filmfs.film.locks import commit_manifests
from filmfs.film.rate import parse_rate, rate_data
from filmfs.manifests.edit import check
from filmfs.manifests.writer import atomic_write_text, install_schemas, make_folder, write_new

GITIGNORE = """\
# filmfs: media lives in the content-addressed store, never in Git (.filmfs/.gitignore,
# written by filmfs, keeps the store out; these lines are the outputs beside the film).
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
    commit: str | None = None


def init(
    root: Path,
    *,
    title: str,
    width: int = 1280,
    height: int = 720,
    fps: float | str | Fraction = 24,
    commit: bool = True,
) -> InitResult:
    """Create the film's folders, film.yaml, .gitignore and schemas; git init if needed; and
    commit that skeleton, so the repository's first commit is already a film."""
    film_path = layout.film_file(root)
    if film_path.exists():
        raise FilmfsError(f"{film_path} already exists; this is already a film")
    outer = layout.find_root(root)
    if outer is not None:
        raise FilmfsError(
            f"{root} is inside the film {outer}; a film cannot hold another film",
            hint="choose a folder outside that film",
        )
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
    files.append(layout.state_dir(root) / ".gitignore")  # written with the schemas' folder
    created = vcs.init_repo(root)
    sha = commit_manifests(root, files, f"filmfs init: {title}") if commit else None
    return InitResult(root=root, git_created=created, files=files, commit=sha)
