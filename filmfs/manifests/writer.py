"""Writing manifests: atomic (temp file + fsync + rename), comments kept on update.

A kill at any moment leaves either the old file or the new one, never a half-written one.
New files are dumped with PyYAML; edits of existing, human-written files go through
ruamel.yaml's round-trip mode so that comments, key order and quoting survive.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from filmfs import layout
from filmfs.errors import FilmfsError
from filmfs.manifests import schema
from filmfs.manifests.blocks import WIDTH, replaced
from filmfs.manifests.loader import CORE_RESOLVERS

if TYPE_CHECKING:
    from ruamel.yaml import YAML

MODELINE = "# yaml-language-server: $schema={}\n"

# What of .filmfs/ stays out of Git, written by filmfs itself (as DVC does for its cache), so a
# film copied anywhere, or kept in a repository whose own .gitignore does not know it, never
# commits its media. Tracked: config.yaml, schemas/ and this file.
STATE_GITIGNORE = """\
# Written by filmfs: the media store and machine-local state never go to Git.
/objects/
/tmp/
/cache/
/locks/
/jobs/
/quarantine/
/config.local.yaml
"""


def make_folder(folder: Path) -> None:
    """``mkdir -p``, with a FilmfsError naming the folder when that is impossible
    (a file is in the way, read-only filesystem, permission denied)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _protect_state(folder)
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


def _protect_state(folder: Path) -> None:
    """Any write into a film's .filmfs/ first makes sure .filmfs/.gitignore exists."""
    parts = folder.parts
    if layout.STATE_DIR not in parts:
        return
    state = Path(*parts[: len(parts) - parts[::-1].index(layout.STATE_DIR)])
    ignore = state / ".gitignore"
    if not ignore.exists():
        with contextlib.suppress(FileExistsError):  # another process wrote it first
            _link_new(ignore, STATE_GITIGNORE.encode())


def _temp_beside(path: Path) -> tuple[int, Path]:
    """A new hidden temp file next to ``path``, created with the process's umask (0666 & ~umask,
    like any file an editor writes; mkstemp's 0600 hid manifests from the group)."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp name", str(path))


def _write_fd(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def create_exclusive(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``, atomically, and only if it does not exist yet.

    The bytes go to a temp file first, which is then hard-linked to ``path``: the link fails
    when ``path`` exists (FileExistsError), so two writers never replace each other's file,
    and a kill leaves either no file or a whole one.
    """
    make_folder(path.parent)
    _link_new(path, data)


def _link_new(path: Path, data: bytes) -> None:
    fd, tmp = _temp_beside(path)
    try:
        _write_fd(fd, data)
        try:
            os.link(tmp, path)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            # No hard links here (some network or FUSE filesystems): claim the name with
            # O_EXCL, then replace the empty placeholder with the whole file.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


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
        fd, tmp = _temp_beside(path)
    except OSError as exc:
        raise write_error(path, exc) from exc
    try:
        _write_fd(fd, data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
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
            fd, temp = _temp_beside(path)  # created with the umask, like every manifest
            tmp = str(temp)
            _write_fd(fd, text.encode("utf-8"))
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
    """Where this film's modelines point: the folder film.yaml's modeline names when the schemas
    are there, else .filmfs/schemas/ (a film copied away from the folder its line named, like
    example-film/ out of this repository, must not hand a broken line on to new files).

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
        named = root / match.group(1)
        if (named / "film.schema.json").is_file():
            return named
    return root / layout.STATE_DIR / "schemas"


def install_schemas(root: Path) -> list[Path]:
    """Copy the JSON Schemas into .filmfs/schemas/ so modelines resolve offline, anywhere."""
    target = root / layout.STATE_DIR / "schemas"
    make_folder(target)
    copied = []
    for source in sorted(schema.schema_dir().glob("*.schema.json")):
        atomic_write_bytes(target / source.name, source.read_bytes())
        copied.append(target / source.name)
    return copied


def modeline(path: Path, root: Path, kind: str) -> str:
    """The yaml-language-server line that points editors at the schema of ``kind``."""
    schema_file = schema_folder(root) / f"{kind}.schema.json"
    return MODELINE.format(os.path.relpath(schema_file, path.parent))


def ensure_schemas(root: Path, kind: str) -> None:
    """Before writing a file whose modeline points at .filmfs/schemas/, put the schemas there."""
    if not (schema_folder(root) / f"{kind}.schema.json").is_file():
        install_schemas(root)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter, plus Decimal money as the exact number it is. Quotes every string
    that YAML 1.1 *or* 1.2 would read as something else (`yes`, `1:30`, `0o17`, `1e3`), so
    the file means the same to filmfs and to any other YAML tool."""


for _name, _pattern, _first in CORE_RESOLVERS:
    _Dumper.add_implicit_resolver(
        "tag:yaml.org,2002:" + _name, _pattern, [*_first, ""] if _name == "null" else list(_first)
    )


# libyaml's emitter when PyYAML was built with it (about 5x faster; the same text), plus
# Decimal money written as the exact number it is.
def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(Decimal, _decimal)
_DUMPER = _Dumper


def dump(data: Mapping[str, Any]) -> str:
    # No line wrapping: a long prompt stays one line, so a changed word is a one-line diff.
    return yaml.dump(
        dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000
    )


def write_new(
    path: Path, data: Mapping[str, Any], *, root: Path, kind: str, exclusive: bool = False
) -> None:
    """Write a whole manifest (with its schema modeline).

    ``exclusive`` refuses to replace an existing file (FileExistsError): a take file, once
    written, is never overwritten by another writer that picked the same name.
    """
    ensure_schemas(root, kind)
    text = modeline(path, root, kind) + dump(data)
    if not exclusive:
        atomic_write_text(path, text)
        return
    try:
        create_exclusive(path, text.encode("utf-8"))
    except FileExistsError:
        raise
    except OSError as exc:
        raise write_error(path, exc) from exc


def _round_trip() -> YAML:
    from ruamel.yaml import YAML  # heavy: imported by the commands that edit, when they do

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = WIDTH
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


def update_field(path: Path, key: str, value: Mapping[str, Any]) -> None:
    """Set one top-level mapping field, rewriting only its block of the file when it can
    (see manifests/blocks.py; film.yaml's ``final_edit`` on every assembly)."""
    text = path.read_text("utf-8")
    new = replaced(text, key, value)
    atomic_write_text(path, new if new is not None else updated_text(text, {key: value}))


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
