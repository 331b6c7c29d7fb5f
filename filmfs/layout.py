"""Where things live in a film directory.

```
film.yaml                    the film
scenes/<NN>.yaml             one scene each, NN = scene_number (any zero padding)
shots/<ID>/shot.yaml         one shot each, ID = shot_number (e.g. 01A)
shots/<ID>/takes/<NNN>.yaml  one take each, NNN = zero-padded attempt_number
characters/<id>.yaml         character references
assets/<id>.yaml             audio, image, text and video references
.filmfs/objects/             content-addressed media store (git-ignored)
```
"""

from __future__ import annotations

import os
import re
from pathlib import Path

FILM_FILE = "film.yaml"
SCENES_DIR = "scenes"
SHOTS_DIR = "shots"
SHOT_FILE = "shot.yaml"
TAKES_DIR = "takes"
CHARACTERS_DIR = "characters"
ASSETS_DIR = "assets"
STATE_DIR = ".filmfs"

SHOT_ID = re.compile(r"^[0-9]{1,4}[A-Z]{1,4}$")
TAKE_STEM = re.compile(r"^[0-9]{3}$")


def scene_stem(number: int) -> str:
    return f"{number:02d}"


def take_stem(attempt: int) -> str:
    return f"{attempt:03d}"


def film_file(root: Path) -> Path:
    return root / FILM_FILE


def scene_file(root: Path, number: int) -> Path:
    return root / SCENES_DIR / f"{scene_stem(number)}.yaml"


def shot_dir(root: Path, shot_id: str) -> Path:
    return root / SHOTS_DIR / shot_id


def shot_file(root: Path, shot_id: str) -> Path:
    return shot_dir(root, shot_id) / SHOT_FILE


def takes_dir(root: Path, shot_id: str) -> Path:
    return shot_dir(root, shot_id) / TAKES_DIR


def take_file(root: Path, shot_id: str, attempt: int) -> Path:
    return takes_dir(root, shot_id) / f"{take_stem(attempt)}.yaml"


def character_file(root: Path, char_id: str) -> Path:
    return root / CHARACTERS_DIR / f"{char_id}.yaml"


def asset_file(root: Path, asset_id: str) -> Path:
    return root / ASSETS_DIR / f"{asset_id}.yaml"


def find_root(start: Path) -> Path | None:
    """The film ``start`` is in, as git finds its repository: ``start`` itself or the nearest
    folder above it holding film.yaml. None when there is none."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / FILM_FILE).is_file():
            return folder
    return None


def state_dir(root: Path) -> Path:
    return root / STATE_DIR


def natural_key(shot_id: str) -> tuple[int, str]:
    """Film order of shots within a scene: 01A < 01AA < 01B < 02A.

    Digits compare as numbers and letters as text, so a shot inserted between 01A and 01B is
    named 01AA: no other file changes, which keeps concurrent branches free of conflicts.
    """
    digits = shot_id.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return (int(digits) if digits.isdigit() else 0, shot_id[len(digits) :])


def object_path(root: Path, sha256: str) -> Path:
    """Where the media store keeps an object: .filmfs/objects/ab/cdef... (DVC's layout)."""
    return root / STATE_DIR / "objects" / sha256[:2] / sha256[2:]


# What a film owns: a command's output (the cut, a timeline, the review page) must never land
# here, or `assemble -o film.yaml` would replace the film with a video.
OWNED = (FILM_FILE, SCENES_DIR, SHOTS_DIR, CHARACTERS_DIR, ASSETS_DIR, STATE_DIR, ".git")


def owned_part(root: Path, path: Path) -> str | None:
    """The part of the film (``film.yaml``, ``shots``, ``.filmfs``...) that ``path`` would
    write into, or None when it is free for outputs."""
    try:
        rel = Path(os.path.abspath(path)).resolve().relative_to(Path(root).resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return rel.parts[0] if rel.parts and rel.parts[0] in OWNED else None
