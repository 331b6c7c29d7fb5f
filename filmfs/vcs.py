"""Git, through GitPython. The only module that imports git; its errors become FilmfsErrors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from filmfs.errors import FilmfsError, ToolError

if TYPE_CHECKING:
    import git


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
        repo.git.add("--all", "--", *rel)
        if not repo.git.diff("--cached", "--name-only", "--", *rel).strip():
            return None
        identity = (
            []
            if _has_identity(repo)
            else ["-c", "user.name=filmfs", "-c", "user.email=filmfs@localhost"]
        )
        repo.git.execute(["git", *identity, "commit", "--no-verify", "-m", message, "--", *rel])
        return str(repo.head.commit.hexsha)


def _has_identity(repo: git.Repo) -> bool:
    try:
        reader = repo.config_reader()
        return bool(reader.get_value("user", "email", "")) and bool(
            reader.get_value("user", "name", "")
        )
    except Exception:
        return False
