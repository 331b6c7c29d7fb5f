"""Git, through GitPython. The only module that imports git; its errors become FilmfsErrors."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filmfs.errors import FilmfsError, ToolError

if TYPE_CHECKING:
    import git

MAX_BLOB = 1_000_000  # as the manifest reader: bigger files are not manifests


@contextmanager
def _translated(what: str) -> Iterator[None]:
    import git

    try:
        yield
    except git.GitCommandError as exc:
        raise ToolError(
            f"{what}: git failed",
            argv=[
                str(a) for a in (exc.command if isinstance(exc.command, list) else [exc.command])
            ],
            returncode=exc.status if isinstance(exc.status, int) else None,
            stderr=str(exc.stderr),
        ) from None
    except git.GitError as exc:
        raise FilmfsError(f"{what}: {exc}") from None


def init_repo(path: Path) -> bool:
    """Make ``path`` a Git repository unless it is inside one; True if one was created."""
    import git

    if find_toplevel(path) is not None:
        return False
    with _translated("git init"):
        git.Repo.init(path)
    return True


def find_toplevel(path: Path) -> Path | None:
    """The working tree root of the repository containing ``path``, if any."""
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    return Path(repo.working_tree_dir) if repo.working_tree_dir else None


ATTEMPTS = 12  # about 4 s of waiting in all


def commit_paths(root: Path, paths: Iterable[Path], message: str) -> str | None:
    """Stage exactly ``paths`` (added, changed or deleted) and commit them.

    Returns the new commit's sha, or None when ``root`` is not in a repository or nothing
    changed. Other staged changes of the user are left out of the commit.
    """
    import git

    top = find_toplevel(root)
    if top is None:
        return None
    with _translated("git commit"):
        repo = git.Repo(top)
        rel = [str(Path(p).resolve().relative_to(top.resolve())) for p in paths]
        if not rel:
            return None
        identity = (
            []
            if _has_identity(repo)
            else ["-c", "user.name=filmfs", "-c", "user.email=filmfs@localhost"]
        )
        # Another filmfs process may change these files between our `add` and our commit (a
        # concurrent `select` on the shot); then `git commit -- paths` finds nothing left to
        # commit and fails. Staging again shows what is there now: nothing new (that process
        # commits its own state), or something to commit.
        # Git's own index.lock may also be held for a moment by a git command another program
        # runs in the repository: wait and try again rather than fail a finished run.
        for attempt in range(ATTEMPTS):
            try:
                repo.git.add("--all", "--", *rel)
                if not repo.git.diff("--cached", "--name-only", "--", *rel).strip():
                    return None
                repo.git.execute(
                    ["git", *identity, "commit", "--no-verify", "-m", message, "--", *rel]
                )
            except git.GitCommandError:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
                continue
            break
        return str(repo.head.commit.hexsha)


def uncommitted(root: Path, paths: Iterable[Path], *, untracked_only: bool = False) -> list[Path]:
    """Files at or below ``paths`` that differ from HEAD: untracked, changed or deleted
    (``untracked_only``: new files only). Empty outside a repository; ignored files are
    left out."""
    import git

    top = find_toplevel(root)
    if top is None:
        return []
    rel = [str(Path(p).resolve().relative_to(top.resolve())) for p in paths]
    if not rel:
        return []
    with _translated("git status"):
        repo = git.Repo(top)
        # --no-optional-locks: a status never takes index.lock to refresh the index, so it
        # never makes another filmfs process's `git add` fail while it looks.
        out = repo.git.execute(
            [
                "git", "--no-optional-locks", "status", "--porcelain=v1", "-z",
                "--untracked-files=all", "--", *rel,
            ]
        )  # fmt: skip
    found = []
    entries = iter(out.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        if entry[0] in "RC":  # a rename: the next field is the old name
            next(entries, None)
        if not untracked_only or entry.startswith("??"):
            found.append(top / entry[3:])
    return found


def _has_identity(repo: git.Repo) -> bool:
    try:
        reader = repo.config_reader()
        return bool(reader.get_value("user", "email", "")) and bool(
            reader.get_value("user", "name", "")
        )
    except Exception:
        return False


def tracked_files(root: Path, under: str) -> list[str]:
    """Paths (relative to ``root``, POSIX) of the files Git tracks below ``root/under``;
    empty when ``root`` is not in a repository."""
    # A plain `git ls-files` (paths come out relative to -C): validate runs this on every
    # call, and importing GitPython would cost more than the whole check of a small film.
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", under],
            capture_output=True,
            check=False,
        )
    except OSError:
        return []
    if done.returncode != 0:  # not in a repository
        return []
    names = done.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    return sorted(name for name in names if name)


def iter_history_files(root: Path, *, suffix: str) -> Iterator[tuple[str, str]]:
    """(path relative to ``root``, text) of every distinct version of every ``suffix`` file
    below ``root`` in every commit reachable from any ref (branches, tags, stashes) of its
    repository. Hidden folders (``.filmfs/``) are skipped. Nothing when not in a repository.
    """
    import git

    top = find_toplevel(root)
    if top is None:
        return
    with _translated("reading history"):
        repo = git.Repo(top)
        try:
            revs = repo.git.rev_list("--all").split()
        except git.GitCommandError:
            return  # no commits yet
        prefix = Path(root).resolve().relative_to(top.resolve()).as_posix()
        seen: set[str] = set()
        for rev in revs:
            tree = repo.commit(rev).tree
            if prefix != ".":
                try:
                    tree = tree / prefix
                except KeyError:
                    continue
            yield from _walk(tree, "", suffix, seen)


def _walk(tree: git.Tree, at: str, suffix: str, seen: set[str]) -> Iterator[tuple[str, str]]:
    # Trees and blobs are content-addressed: one already seen holds nothing new.
    if tree.hexsha in seen:
        return
    seen.add(tree.hexsha)
    for sub in tree.trees:
        if not sub.name.startswith("."):
            yield from _walk(sub, f"{at}{sub.name}/", suffix, seen)
    for blob in tree.blobs:
        if blob.name.endswith(suffix) and blob.hexsha not in seen and blob.size <= MAX_BLOB:
            seen.add(blob.hexsha)
            try:
                text = blob.data_stream.read().decode("utf-8")
            except UnicodeDecodeError:
                continue
            yield f"{at}{blob.name}", text


def resolve_revision(root: Path, rev: str) -> str:
    """The commit sha that ``rev`` (a branch, tag, sha, ``HEAD~2``...) names, in the repository
    containing ``root``. A FilmfsError names the revision when it is unknown."""
    import git

    top = find_toplevel(root)
    if top is None:
        raise FilmfsError(
            f"{Path(root).resolve()}: not inside a Git repository",
            hint="run filmfs diff in a film kept in Git (`git init`, then commit)",
        )
    repo = git.Repo(top)
    try:
        return str(repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}")).strip()
    except git.GitCommandError:
        raise FilmfsError(
            f"unknown revision {rev!r}: no such branch, tag or commit in {top}",
            hint="pass a branch, tag or commit sha (`git log --oneline` lists them)",
        ) from None


def merge_base(root: Path, one: str, other: str) -> str:
    """The best common ancestor of two revisions (what ``git diff A...B`` compares against)."""
    import git

    top = find_toplevel(root)
    if top is None:
        raise FilmfsError(f"{root}: not inside a Git repository")
    a, b = resolve_revision(root, one), resolve_revision(root, other)
    try:
        return str(git.Repo(top).git.merge_base(a, b)).strip()
    except git.GitCommandError:
        raise FilmfsError(f"{one!r} and {other!r} have no common ancestor") from None


@dataclass(frozen=True)
class BlobEntry:
    """One file or symlink of a revision, not read: its path below the film, mode, blob id
    (what the manifest cache keys a revision's files by) and size."""

    path: str
    mode: int
    blob: str
    size: int


def _git_out(top: Path, args: list[str], what: str, stdin: bytes | None = None) -> bytes:
    argv = ["git", "-C", str(top), *args]
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise ToolError(f"{what}: cannot run git ({exc.strerror})", argv=argv) from None
    if done.returncode != 0:
        raise ToolError(
            f"{what}: git failed",
            argv=argv,
            returncode=done.returncode,
            stderr=done.stderr.decode("utf-8", "replace"),
        )
    return done.stdout


def revision_blobs(root: Path, sha: str) -> list[BlobEntry]:
    """Every file and symlink below ``root`` in commit ``sha``, as :class:`BlobEntry` (one
    ``git ls-tree``; nothing is read or written). Hidden folders (``.filmfs/``) are skipped.
    A tree listing a name twice, which Git itself never writes, is refused: it is a crafted
    commit. Empty when ``root`` is not in that commit."""
    top = find_toplevel(root)
    if top is None:
        raise FilmfsError(f"{root}: not inside a Git repository")
    prefix = Path(root).resolve().relative_to(top.resolve()).as_posix()
    what = f"reading {sha[:12]}"
    treeish = sha if prefix == "." else f"{sha}:{prefix}"
    if prefix != ".":
        check = ["git", "-C", str(top), "cat-file", "-t", treeish]
        if subprocess.run(check, capture_output=True, check=False).stdout.strip() != b"tree":
            return []  # the film's folder is not in that commit
    # -t lists each folder too, before what is in it: a name listed twice is seen twice.
    listing = _git_out(top, ["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", treeish], what)
    entries: list[BlobEntry] = []
    seen: set[str] = set()
    for record in listing.split(b"\0"):
        if not record:
            continue
        head, _, raw = record.partition(b"\t")
        mode, kind, blob, size = head.split()
        path = raw.decode("utf-8", "surrogateescape")
        if path in seen:
            folder, _, name = path.rpartition("/")
            raise FilmfsError(
                f"commit {sha[:12]}: the folder {folder + '/' if folder else './'} lists "
                f"{name!r} twice; Git never writes such a tree, so the commit was crafted: "
                "refused",
                hint="compare against another revision, or rewrite the branch with plain git",
            )
        seen.add(path)
        if kind != b"blob" or any(part.startswith(".") for part in path.split("/")):
            continue
        entries.append(BlobEntry(path, int(mode, 8), blob.decode(), int(size)))
    return entries


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The bytes of each blob (one ``git cat-file --batch`` for them all); a blob over
    MAX_BLOB is cut just past it (the reader reports it as too big)."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    top = find_toplevel(root)
    if top is None:
        raise FilmfsError(f"{root}: not inside a Git repository")
    out = _git_out(
        top, ["cat-file", "--batch"], "reading blobs", stdin="\n".join(wanted).encode() + b"\n"
    )
    found: dict[str, bytes] = {}
    at = 0
    for blob in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise FilmfsError(f"object {blob[:12]} is not a blob in this repository")
        size = int(header[2])
        found[blob] = out[end + 1 : end + 1 + min(size, MAX_BLOB + 1)]
        at = end + 1 + size + 1
    return found


def revision_files(root: Path, sha: str) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every regular file below ``root`` in commit ``sha`` (see
    :func:`revision_blobs`; symlinks left out), read from Git's objects in memory."""
    entries = [e for e in revision_blobs(root, sha) if e.mode & 0o170000 == 0o100000]
    data = read_blobs(root, [e.blob for e in entries])
    for entry in entries:
        yield entry.path, data[entry.blob]


def revision_file(root: Path, sha: str, rel: str) -> bytes | None:
    """The bytes of one regular file (``rel``, relative to ``root``, hidden folders allowed)
    in commit ``sha``; None when it is absent or not a regular file."""
    import git

    top = find_toplevel(root)
    if top is None:
        return None
    with _translated(f"reading {sha[:12]}"), git.Repo(top) as repo:
        prefix = Path(root).resolve().relative_to(top.resolve()).as_posix()
        path = rel if prefix == "." else f"{prefix}/{rel}"
        try:
            blob = repo.commit(sha).tree / path
        except KeyError:
            return None
        if not isinstance(blob, git.Blob) or blob.mode & 0o170000 != 0o100000:
            return None
        return bytes(blob.data_stream.read(MAX_BLOB + 1))
