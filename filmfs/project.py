"""The project facade: a film directory, its manifests loaded, and what was wrong with them.

Loading never stops at the first bad file: every file is read, schema-checked and turned into a
value object when it is sound, and every problem is collected in ``problems``. Commands that
need a sound film call :meth:`Project.require_valid`.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TypeVar

from filmfs import layout
from filmfs.errors import FilmfsError, NotAFilmError, ValidationFailed
from filmfs.film.integrity import check_integrity
from filmfs.film.model import Asset, Character, Film, Scene, Shot, Take
from filmfs.film.rate import parse_rate
from filmfs.manifests import versions
from filmfs.manifests.batch import Checked
from filmfs.manifests.blobs import check_blobs
from filmfs.manifests.cache import check_manifests
from filmfs.manifests.loader import Document
from filmfs.manifests.problems import Problem, Severity
from filmfs.manifests.tree import DiskTree, MemoryTree, Tree
from filmfs.store.objects import MediaStore

T = TypeVar("T")


# Fields whose meaning is checked while building the model, where a problem is reported.
_VALUE_PATHS: tuple[tuple[str, ...], ...] = (
    ("format", "fps"),
    ("final_edit", "fps"),
    ("video", "fps"),
)


def _bad_rate(data: Any, at: tuple[str, ...]) -> bool:
    for key in at:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    try:
        parse_rate(data)
    except FilmfsError:
        return True
    return False


def display_path(path: Path) -> str:
    """How a path is shown: relative to the working directory when below it."""
    # String work, not Path.relative_to: a 40,000-file film shows every path it loads.
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd:
        return "."
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return absolute[len(prefix) :] if absolute.startswith(prefix) else absolute


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except OSError:
        return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while loading (many objects and no garbage).

    What was made is then frozen (moved out of the collector's generations): the first
    collection after a 40,000-file load would otherwise walk every object, for nothing.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def film_order(shot: Shot) -> tuple[int, tuple[int, str]]:
    """Scenes in scene_number order, shots within one by natural shot number; shots with no
    scene (scenes are optional) come first, also by shot number."""
    return (shot.scene or 0, layout.natural_key(shot.shot_number))


def not_a_film(root: Path) -> NotAFilmError:
    """The error for a folder with no film.yaml: inside a film, name that film (never
    suggest making a film inside another one); elsewhere, suggest `filmfs init`."""
    outer = layout.find_root(root)
    if outer is not None:
        return NotAFilmError(
            f"{display_path(root)}: not a film's top folder (no {layout.FILM_FILE}); "
            f"it is inside the film {display_path(outer)}",
            hint=f"pass the film's folder: -C {display_path(outer)}",
        )
    return NotAFilmError(
        f"{display_path(root)}: not a film (no {layout.FILM_FILE} here or in any folder above)",
        hint=f"run `filmfs init {display_path(root)}` to make one, or pass a film's folder with -C",
    )


@dataclass
class Project:
    """A loaded film. Shots are kept in film order (scene, then natural shot order)."""

    root: Path
    film: Film | None = None
    scenes: dict[int, Scene] = field(default_factory=dict)
    shots: dict[str, Shot] = field(default_factory=dict)
    shot_takes: dict[str, tuple[Take, ...]] = field(default_factory=dict)
    """Each shot folder's loadable takes, also when its shot.yaml is not (validate checks them)."""
    characters: dict[str, Character] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    documents: dict[Path, Document] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)
    """Manifests that could not be parsed at all (bad YAML, unsafe tag, too big...)."""
    unreadable_paths: list[Path] = field(default_factory=list)
    fresh: list[Path] = field(default_factory=list)
    """Manifests read and parsed by this load; the others were answered by the cache."""
    stats: list[tuple[Path, os.stat_result | None]] = field(default_factory=list, repr=False)
    """What a load from disk looked at, each with its lstat (None when absent): the film's
    folder, every folder it listed and every manifest. While none of them changes, neither
    does what was loaded, unless ``symlinked`` (a link's target can change unseen)."""
    symlinked: bool = False
    listed: dict[Path, list[str]] = field(default_factory=dict, repr=False)
    """The names in each folder a load from disk listed, as it listed them."""
    tree: Tree | None = field(default=None, repr=False, compare=False)
    """Where the manifests are read from; the folder on disk unless given."""
    _checked: dict[Path, Checked] = field(default_factory=dict, repr=False)
    _show: Callable[[Path], str] = field(default=display_path, repr=False)

    # --- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, root: Path | str, *, jobs: int | None = None) -> Project:
        """Load every manifest under ``root``; problems are collected, not raised.

        Each file's own check comes from the persistent cache when the file is unchanged;
        the others are parsed and checked, in parallel when there are many (``jobs``
        processes, default one per core). The cross-file checks always run on the whole film.
        """
        root = Path(root)
        if not root.is_dir():
            raise NotAFilmError(f"{display_path(root)}: no such directory")
        if not layout.film_file(root).exists():
            raise not_a_film(root)
        project = cls(root=root.resolve())
        cwd = os.getcwd()
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        # display_path for the many paths of one load: they are absolute and normalised, so
        # one outside the working directory is shown as it is.
        project._show = lambda p: (
            str(p)[len(prefix) :] if str(p).startswith(prefix) else str(p) if str(p) != cwd else "."
        )
        with collector_paused():
            project._load_all(jobs)
        return project

    @classmethod
    def from_tree(cls, tree: MemoryTree, *, jobs: int | None = None) -> Project:
        """Load the film from ``tree`` (a Git revision held in memory, see
        :class:`filmfs.manifests.tree.MemoryTree`); paths are shown under ``tree.root``. Each
        file's own check comes from the cache of blobs (:mod:`filmfs.manifests.blobs`)."""
        project = cls(root=tree.root, tree=tree)
        if tree.kind(layout.film_file(tree.root)) is not None:
            with collector_paused():
                project._load_tree(tree, jobs)
        return project

    @property
    def source(self) -> Tree:
        if self.tree is None:
            self.tree = DiskTree(self.root)
        return self.tree

    def _load_all(self, jobs: int | None) -> None:
        root = self.root
        wanted: list[tuple[Path, str, os.stat_result | None]] = []

        def admit(found: Iterable[tuple[Path, os.stat_result | None]], kind: str) -> list[Path]:
            kept = []
            for path, info in found:
                if path.name.endswith(".yml"):
                    self.problem(path, "manifests use the .yaml extension; rename this file")
                    continue
                wanted.append((path, kind, info))
                kept.append(path)
            return kept

        self.stats.append((root, _lstat(root)))
        film_path = layout.film_file(root)
        admit(self._named(film_path) or [], "film")
        scene_paths = admit(self._files(root / layout.SCENES_DIR, "*.y*ml"), "scene")
        char_paths = admit(self._files(root / layout.CHARACTERS_DIR, "*.y*ml"), "character")
        asset_paths = admit(self._files(root / layout.ASSETS_DIR, "*.y*ml"), "asset")
        shot_dirs: list[tuple[Path, list[Path], bool]] = []
        for shot_dir, shot_info in self._files(root / layout.SHOTS_DIR, "*", dirs=True):
            mark = len(self.stats)
            take_paths = admit(self._files(shot_dir / layout.TAKES_DIR, "*.y*ml"), "take")
            shot_path = shot_dir / layout.SHOT_FILE
            named = self._named(shot_path)
            if named is None or self.stats[mark][1] is None:
                # Only then does the folder's listing matter: shot.yaml and takes/ are watched
                # themselves when they are there.
                self.stats.append((shot_dir, shot_info))
            if named is None:
                self.problem(shot_dir, f"shot folder has no {layout.SHOT_FILE}")
            shot_dirs.append((shot_dir, take_paths, bool(named and admit(named, "shot"))))
        self._checked, self.fresh = check_manifests(root, wanted, jobs=jobs)
        self.stats.extend((path, info) for path, _, info in wanted)
        self._build_all(film_path, scene_paths, char_paths, asset_paths, shot_dirs)

    def _build_all(
        self,
        film_path: Path,
        scene_paths: list[Path],
        char_paths: list[Path],
        asset_paths: list[Path],
        shot_dirs: list[tuple[Path, list[Path], bool]],
    ) -> None:
        """The value objects of every checked manifest (``_checked``), in film order."""
        self.film = self._read(film_path, "film", lambda d: Film.from_data(d, film_path))
        for path in scene_paths:
            scene = self._read(path, "scene", partial(Scene.from_data, path=path))
            if scene is not None and scene.scene_number not in self.scenes:
                self.scenes[scene.scene_number] = scene
        self.scenes = dict(sorted(self.scenes.items()))
        for path in char_paths:
            char = self._read(path, "character", partial(Character.from_data, path=path))
            if char is not None:
                self.characters.setdefault(char.id, char)
        for path in asset_paths:
            asset = self._read(path, "asset", partial(Asset.from_data, path=path))
            if asset is not None:
                self.assets.setdefault(asset.id, asset)
        shots = []
        for shot_dir, take_paths, has_shot in shot_dirs:
            takes: list[Take] = []
            for path in take_paths:
                build = partial(Take.from_data, path=path, shot_id=shot_dir.name)
                take = self._read(path, "take", build)
                if take is not None:
                    takes.append(take)
            takes.sort(key=lambda t: t.attempt_number)
            self.shot_takes[shot_dir.name] = tuple(takes)
            if has_shot:
                shot_path = shot_dir / layout.SHOT_FILE
                build_shot = partial(Shot.from_data, path=shot_path, takes=tuple(takes))
                shot = self._read(shot_path, "shot", build_shot)
                if shot is not None:
                    shots.append(shot)
        shots.sort(key=film_order)
        for shot in shots:
            self.shots.setdefault(shot.shot_number, shot)
        self._checked = {}

    def _files(
        self, folder: Path, pattern: str, *, dirs: bool = False
    ) -> list[tuple[Path, os.stat_result | None]]:
        """Entries of a folder named like ``pattern`` and their stat, refusing any that lead
        outside the film. With ``dirs``, only folders (others are reported), with their lstat."""
        try:
            info = folder.lstat()
        except OSError:
            self.stats.append((folder, None))
            return []
        self.stats.append((folder, info))
        if stat.S_ISLNK(info.st_mode):
            self.symlinked = True
            if self._escapes(folder):
                return []
            info = _stat(folder) or info
        if not stat.S_ISDIR(info.st_mode):
            self.problem(folder, f"{folder.name} is a file; it must be a folder")
            return []
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return []
        self.listed[folder] = [entry.name for entry in entries]
        found: list[tuple[Path, os.stat_result | None]] = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or not fnmatch.fnmatchcase(name, pattern):
                continue
            path = folder / name
            # The listing says which entries are symlinks: only those need resolving.
            if entry.is_symlink():
                self.symlinked = True
                if self._escapes(path):
                    continue
            if dirs:
                if not entry.is_dir():
                    self.problem(path, "unexpected file in shots/ (each shot is a folder)")
                    continue
                try:  # taken before its entries are looked at
                    found.append((path, entry.stat(follow_symlinks=False)))
                except OSError:
                    found.append((path, None))
                continue
            try:
                found.append((path, entry.stat()))
            except OSError:
                found.append((path, None))  # reading it will say what is wrong
        return found

    def _named(self, path: Path) -> list[tuple[Path, os.stat_result | None]] | None:
        """A manifest at a fixed name and its stat; None when absent; [] when it escapes."""
        try:
            info = path.lstat()
        except OSError:
            return None
        if stat.S_ISLNK(info.st_mode):
            self.symlinked = True
            if self._escapes(path):
                return []
            return [(path, _stat(path))]
        return [(path, info)]

    # --- loading from a Tree (a Git revision in memory) ----------------------------------
    def _load_tree(self, tree: MemoryTree, jobs: int | None) -> None:
        root = self.root
        wanted: list[tuple[Path, str]] = []

        def admit(found: Iterable[Path], kind: str) -> list[Path]:
            kept = []
            for path in found:
                if path.suffix == ".yml":
                    self.problem(path, "manifests use the .yaml extension; rename this file")
                    continue
                wanted.append((path, kind))
                kept.append(path)
            return kept

        film_path = layout.film_file(root)
        admit([] if self._escapes(film_path) else [film_path], "film")
        scene_paths = admit(self._tree_files(root / layout.SCENES_DIR, "*.y*ml"), "scene")
        char_paths = admit(self._tree_files(root / layout.CHARACTERS_DIR, "*.y*ml"), "character")
        asset_paths = admit(self._tree_files(root / layout.ASSETS_DIR, "*.y*ml"), "asset")
        shot_dirs: list[tuple[Path, list[Path], bool]] = []
        for shot_dir in self._tree_files(root / layout.SHOTS_DIR, "*"):
            if tree.kind(shot_dir) != "dir":
                self.problem(shot_dir, "unexpected file in shots/ (each shot is a folder)")
                continue
            take_paths = admit(self._tree_files(shot_dir / layout.TAKES_DIR, "*.y*ml"), "take")
            shot_path = shot_dir / layout.SHOT_FILE
            if tree.kind(shot_path) is None:
                self.problem(shot_dir, f"shot folder has no {layout.SHOT_FILE}")
                shot_dirs.append((shot_dir, take_paths, False))
                continue
            named = [] if self._escapes(shot_path) else [shot_path]
            shot_dirs.append((shot_dir, take_paths, bool(admit(named, "shot"))))
        self._checked, self.fresh = check_blobs(root, tree, wanted, jobs=jobs)
        self._build_all(film_path, scene_paths, char_paths, asset_paths, shot_dirs)

    def _tree_files(self, folder: Path, pattern: str) -> Iterator[Path]:
        kind = self.source.kind(folder)
        if kind == "file":
            self.problem(folder, f"{folder.name} is a file; it must be a folder")
            return
        if kind != "dir" or self._escapes(folder):
            return
        for path in self.source.children(folder, pattern):
            if path.name.startswith(".") or self._escapes(path):
                continue
            yield path

    def listing(self, folder: Path) -> list[Path]:
        """The entries of ``folder`` in the film as loaded; [] when it is not a folder."""
        if self.source.kind(folder) != "dir":
            return []
        return self.source.children(folder, "*")

    def names_in(self, folder: Path) -> list[str]:
        """The names in ``folder`` (sorted, hidden ones too), as the load listed them."""
        names = self.listed.get(folder)
        if names is not None:
            return names
        return [path.name for path in self.listing(folder)]

    def exists(self, path: Path) -> bool:
        """Whether ``path`` exists in the film as loaded (on disk, or in the revision read)."""
        return self.source.kind(path) is not None

    def _escapes(self, path: Path) -> bool:
        """Record and report a symlink that leaves the film directory.

        Only symlinks need resolving: every folder above ``path`` was checked on the way
        down, which keeps a 10,000-shot film from resolving 30,000 paths.
        """
        if self.source.is_symlink(path) and not self.contains(path):
            self.problem(path, "symlink points outside the film directory; refusing it")
            return True
        return False

    def contains(self, path: Path) -> bool:
        """Whether ``path`` (after resolving symlinks) is inside the film directory."""
        return self.source.contains(path)

    def _read(self, path: Path, kind: str, build: Callable[[Any], T]) -> T | None:
        checked = self._checked.get(path)
        if checked is None:
            return None
        parsed, data, own, modeline = checked
        shown = self._show(path)
        problems = [
            Problem(shown, line, col, message, severity) for line, col, message, severity in own
        ]
        if not parsed:
            self.problems.extend(problems)
            self.unreadable.extend(problems)
            self.unreadable_paths.append(path)
            return None
        tree = self.tree
        document = Document(
            shown,
            data,
            source=None if isinstance(tree, MemoryTree) else path,
            reader=partial(tree.read, path, shown) if isinstance(tree, MemoryTree) else None,
            modeline=modeline,
            modeline_known=True,
        )
        self.documents[path] = document
        if kind == "film":
            versions.check_readable(document, shown)
        self.problems.extend(problems)
        if problems:
            return None
        return self._build(path, data, build)

    def _build(self, path: Path, data: Any, build: Callable[[Any], T]) -> T | None:
        try:
            return build(data)
        except FilmfsError as exc:
            # A value the schema's shape allows but that means nothing (a rate of 0/5).
            at = next((at for at in _VALUE_PATHS if _bad_rate(data, at)), ())
            self.problems.append(self.make_problem(path, exc.message, at=at))
            return None

    # --- problems ------------------------------------------------------------------------
    def problem(self, path: Path, message: str) -> None:
        """Record a load problem with ``path`` (a file or folder that could not be read)."""
        self.problems.append(self.make_problem(path, message))

    def make_problem(
        self,
        path: Path,
        message: str,
        *,
        at: tuple[str | int, ...] = (),
        key: bool = False,
        severity: str = "error",
    ) -> Problem:
        """A problem at the line and column of ``at`` inside ``path``'s document."""
        document = self.documents.get(path)
        line, col = document.where(at, key=key) if document else (1, 1)
        level: Severity = "warning" if severity == "warning" else "error"
        return Problem(display_path(path), line, col, message, level)

    def all_problems(self) -> list[Problem]:
        """Load and schema problems plus cross-file integrity problems, in file order."""
        return sorted(set(self.problems + check_integrity(self)))

    def require_valid(self, *, unless: Callable[[Problem], bool] | None = None) -> Film:
        """Raise ValidationFailed listing the errors unless the film is sound.

        ``unless`` names errors the caller is about to repair (select and several selected
        takes), which then do not count.
        """
        errors = [
            p
            for p in self.all_problems()
            if p.severity == "error" and not (unless is not None and unless(p))
        ]
        if errors or self.film is None:
            shown = "\n".join(f"  {p}" for p in errors[:20])
            more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
            raise ValidationFailed(
                f"the film has {len(errors)} error(s):\n{shown}{more}",
                hint=f"run `filmfs validate {display_path(self.root)}` and fix them first",
            )
        return self.film

    # --- lookups -------------------------------------------------------------------------
    @cached_property
    def store(self) -> MediaStore:
        """The film's media store (``.filmfs/``), made once per loaded project."""
        return MediaStore(layout.state_dir(self.root))

    def shot(self, shot_id: str) -> Shot:
        try:
            return self.shots[shot_id]
        except KeyError:
            known = ", ".join(self.shots) or "none"
            raise FilmfsError(f"no shot {shot_id!r} in this film (shots: {known})") from None
