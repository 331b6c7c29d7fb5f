"""`filmfs media fsck`: re-hash every local object; move corrupt ones to .filmfs/quarantine/.

Corrupt objects are moved, not deleted: the bytes may still be worth a look (a truncated
download, a disk error), and a moved object is no longer served as good. `filmfs pull`
then fetches a sound copy.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from filmfs import layout
from filmfs.manifests.writer import atomic_write_text
from filmfs.store.objects import MediaStore, StoredObject, hash_file

QUARANTINE = "quarantine"


@dataclass(frozen=True)
class Quarantined:
    sha256: str
    actual: str
    """What its bytes hash to."""
    moved_to: Path


@dataclass
class FsckResult:
    checked: int = 0
    bytes: int = 0
    corrupt: list[Quarantined] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.corrupt


def quarantine_dir(root: Path) -> Path:
    folder = layout.state_dir(root) / QUARANTINE
    if not (folder / ".gitignore").exists():
        # Self-ignoring, so a film made before this folder existed keeps it out of Git too.
        atomic_write_text(folder / ".gitignore", "*\n")
    return folder


def fsck(root: Path, *, jobs: int = 4) -> FsckResult:
    store = MediaStore(layout.state_dir(root))
    objects = list(store.iter_objects())
    result = FsckResult(checked=len(objects), bytes=sum(obj.size for obj in objects))

    def check(obj: StoredObject) -> tuple[StoredObject, str]:
        return obj, hash_file(obj.path)[0]

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for obj, actual in pool.map(check, objects):
            if actual != obj.sha256:
                folder = quarantine_dir(root)
                target = folder / obj.sha256
                suffix = 1
                while target.exists():
                    target = folder / f"{obj.sha256}.{suffix}"
                    suffix += 1
                os.replace(obj.path, target)
                result.corrupt.append(Quarantined(obj.sha256, actual, target))
    return result
