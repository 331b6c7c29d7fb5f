"""`filmfs push`: send the objects the manifests reference to a remote that lacks them."""

from __future__ import annotations

import time

from filmfs.errors import StoreError
from filmfs.manifests.config import load_config
from filmfs.project import Project
from filmfs.store.refs import history_references, transferable, workspace_references
from filmfs.store.remotes import Remote
from filmfs.store.transfer import Transfer


def push(
    project: Project,
    *,
    remote: str | None = None,
    all_commits: bool = False,
    all_objects: bool = False,
    jobs: int = 4,
) -> Transfer:
    """Upload what the remote lacks: objects of the working tree's manifests, plus the local
    ones any commit references (``all_commits``) or every local object (``all_objects``).

    Each object is re-hashed before it leaves, so a corrupt local copy never reaches the
    remote. Idempotent: a second run transfers nothing.
    """
    started = time.monotonic()
    target = Remote(load_config(project.root).remote(remote), project.root)
    store = project.store
    wanted = list(transferable(workspace_references(project)))
    if all_commits:
        # Only what this store holds: an object an old commit named but nobody kept is not
        # this push's failure.
        wanted += [sha for sha in transferable(history_references(project)) if store.has(sha)]
    if all_objects:
        wanted += [obj.sha256 for obj in store.iter_objects()]
    wanted = list(dict.fromkeys(wanted))
    on_remote = target.list_objects()
    result = Transfer(remote=target.name)
    todo = []
    for sha in wanted:
        if sha in on_remote:
            result.up_to_date += 1
        elif store.has(sha):
            todo.append(sha)
        else:
            result.unavailable.append(sha)

    def send(sha: str) -> int:
        path = store.path_of(sha)
        if not store.verify(sha):
            raise StoreError(
                f"local object {sha[:12]} is corrupt; not pushed",
                hint="run `filmfs media fsck` to quarantine it, then `filmfs pull` or regenerate",
            )
        target.upload(path, sha)
        return path.stat().st_size

    return result.run(todo, send, jobs=jobs, started=started)
