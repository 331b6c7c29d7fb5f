"""A stamp of the last sync: when neither the script nor any manifest the sync reads changed
since, a re-import is known to be a no-op without loading the film (git's index uses file
stats the same way). The stamp lives in .filmfs/cache/ (git-ignored) and is only a shortcut:
any change of size or mtime, or a missing or unreadable stamp, means the full sync runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.manifests.writer import atomic_write_text

VERSION = 1  # bump when the sync's rules change, so old stamps stop matching


def _path(root: Path) -> Path:
    return layout.state_dir(root) / "cache" / "script-sync.json"


def fingerprint(root: Path, script_text: str) -> str:
    """The script's text and the stats of every manifest the sync reads or writes."""
    digest = hashlib.sha256(f"{VERSION}\n".encode())
    digest.update(script_text.encode("utf-8"))
    files = [layout.film_file(root)]
    for folder in (layout.SCENES_DIR, layout.CHARACTERS_DIR):
        files += sorted((root / folder).glob("*.yaml"))
    files += sorted((root / layout.SHOTS_DIR).glob(f"*/{layout.SHOT_FILE}"))
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            continue
        digest.update(f"\n{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def unchanged(root: Path, script_text: str) -> tuple[int, int] | None:
    """(scenes, characters) of the last sync when nothing changed since; else None."""
    try:
        saved = json.loads(_path(root).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("fingerprint") != fingerprint(root, script_text):
        return None
    counts = saved.get("counts")
    if not (isinstance(counts, list) and len(counts) == 2 and all(type(n) is int for n in counts)):
        return None
    return counts[0], counts[1]


def record(root: Path, script_text: str, *, scenes: int, characters: int) -> None:
    """Remember that the film is in sync with ``script_text`` (best effort)."""
    data = {"fingerprint": fingerprint(root, script_text), "counts": [scenes, characters]}
    with contextlib.suppress(OSError, FilmfsError):
        atomic_write_text(_path(root), json.dumps(data))
