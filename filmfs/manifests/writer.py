"""Writing manifests: atomic (temp file + fsync + rename), comments kept on update.

A kill at any moment leaves either the old file or the new one, never a half-written one.
New files are dumped with PyYAML; edits of existing, human-written files go through
ruamel.yaml's round-trip mode so that comments, key order and quoting survive.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

from filmfs import layout
from filmfs.errors import FilmfsError

MODELINE = "# yaml-language-server: $schema={}\n"


def make_folder(folder: Path) -> None:
    """``mkdir -p``, with a FilmfsError naming the folder when that is impossible
    (a file is in the way, read-only filesystem, permission denied)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        # A *file* in the way reads as "exists" or "not a directory": name the culprit.
        blocker = next((p for p in (folder, *folder.parents) if p.exists()), folder)
        raise FilmfsError(
            f"cannot create folder {folder}: {blocker} is a file",
            hint="choose another path, or move that file away",
        ) from None
    except OSError as exc:
        raise FilmfsError(
            f"cannot create folder {folder}: {exc.strerror or exc}",
            hint="choose another path, or check it is writable",
        ) from exc


def check_output(root: Path, path: Path) -> None:
    """Refuse an output path (a cut, a timeline, a page) that would overwrite the film's own
    manifests, store or Git folder."""
    part = layout.owned_part(root, path)
    if part is not None:
        shown = part if part == layout.FILM_FILE else f"{part}/"
        raise FilmfsError(
            f"{path}: refusing to write there: {shown} belongs to the film",
            hint="write outputs beside the manifests (e.g. cut.mp4, review/) or outside the film",
        )


def write_error(path: Path, exc: OSError) -> FilmfsError:
    """The FilmfsError for an OSError met while writing ``path``."""
    return FilmfsError(
        f"cannot write {path}: {exc.strerror or exc}",
        hint="check the folder exists and is writable, and the disk is not full",
    )


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the folder is created if needed."""
    make_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_error(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_many(files: Mapping[Path, str]) -> None:
    """Replace each file atomically, as :func:`atomic_write_bytes` does, for many at once:
    the temp files are synced in parallel (fsync lets other threads run) and each folder is
    synced once after its renames, not once per file."""
    from concurrent.futures import ThreadPoolExecutor  # lazy: only bulk writers need it

    def stage(item: tuple[Path, str]) -> tuple[Path, str]:
        path, text = item
        make_folder(path.parent)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise write_error(path, exc) from exc
        return path, tmp

    staged: list[tuple[Path, str]] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        try:
            for done in pool.map(stage, files.items()):
                staged.append(done)
            for path, tmp in staged:
                try:
                    os.replace(tmp, path)
                except OSError as exc:
                    raise write_error(path, exc) from exc
        finally:
            for _, tmp in staged:
                Path(tmp).unlink(missing_ok=True)
        folders = {path.parent for path in files}
        list(pool.map(_fsync_dir, folders | {folder.parent for folder in folders}))


def _fsync_dir(folder: Path) -> None:
    # The rename is only durable once the directory entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def schema_folder(root: Path) -> Path:
    """Where this film's modelines point: the folder film.yaml's modeline names, if any.

    ``filmfs init`` copies the schemas to .filmfs/schemas/; a film kept beside the filmfs
    sources (like example-film/) points at the top-level schemas/ instead.
    """
    try:
        with layout.film_file(root).open(encoding="utf-8") as handle:
            first = handle.readline(4096)
    except OSError:
        first = ""
    match = re.match(r"#\s*yaml-language-server:\s*\$schema=(\S+)/film\.schema\.json", first)
    if match and "://" not in match.group(1):
        return root / match.group(1)
    return root / layout.STATE_DIR / "schemas"


def modeline(path: Path, root: Path, kind: str) -> str:
    """The yaml-language-server line that points editors at the schema of ``kind``."""
    schema = schema_folder(root) / f"{kind}.schema.json"
    return MODELINE.format(os.path.relpath(schema, path.parent))


# libyaml's emitter when PyYAML was built with it (about 5x faster; the same text), plus
# Decimal money written as the exact number it is.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The safe dumper, plus Decimal money as the exact number it is."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(Decimal, _decimal)
_DUMPER = _Dumper


def dump(data: Mapping[str, Any]) -> str:
    # No line wrapping: a long prompt stays one line, so a changed word is a one-line diff.
    return yaml.dump(
        dict(data), Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1_000_000
    )


def write_new(path: Path, data: Mapping[str, Any], *, root: Path, kind: str) -> None:
    """Write a whole manifest (with its schema modeline)."""
    atomic_write_text(path, modeline(path, root, kind) + dump(data))


def _round_trip() -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 100
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def update(
    path: Path,
    changes: Mapping[str, Any],
    *,
    remove: tuple[str, ...] = (),
    first: bool = False,
) -> None:
    """Set top-level fields of an existing manifest, keeping its comments and layout.

    A value of None removes the field; so does naming it in ``remove``. With ``first``, a
    field the manifest lacks goes before the others (film.yaml's ``filmfs`` version).
    """
    text = updated_text(path.read_text("utf-8"), changes, remove=remove, first=first)
    atomic_write_text(path, text)


def updated_text(
    text: str, changes: Mapping[str, Any], *, remove: tuple[str, ...] = (), first: bool = False
) -> str:
    """``text`` (a manifest) with top-level fields set or removed, comments and layout kept."""
    rt = _round_trip()
    document = rt.load(text)
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        elif first and key not in document:
            document.insert(0, key, value)
        else:
            document[key] = value
    for key in remove:
        document.pop(key, None)
    out = io.StringIO()
    rt.dump(document, out)
    return out.getvalue()
