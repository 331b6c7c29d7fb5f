"""`filmfs pull` (alias `fetch`): bring the objects the manifests reference into the local store.

Sources, in order: the remote, then the ``url`` a manifest gives next to the sha256 (an asset
kept on the web or in the film's folder). Every byte is hashed on the way in; an object whose
bytes do not match is refused, never stored.
"""

from __future__ import annotations

import time

from filmfs.errors import FilmfsError
from filmfs.manifests.config import load_config, private_hosts
from filmfs.project import Project
from filmfs.store.download import parse_allowed
from filmfs.store.refs import Reference, transferable, workspace_references
from filmfs.store.remotes import Remote, RemoteError
from filmfs.store.transfer import Transfer, fetch_url


def source_remote(project: Project, name: str | None) -> Remote | None:
    """The remote to read from; None when none is named and none is configured."""
    config = load_config(project.root)
    if name is None and not config.remotes:
        return None
    return Remote(config.remote(name), project.root)


def pull(
    project: Project,
    *,
    remote: str | None = None,
    jobs: int = 4,
    allow_hosts: tuple[str, ...] = (),
) -> Transfer:
    """Fetch every referenced object missing locally. Idempotent.

    An asset's http(s) url reaches only public hosts, plus those in ``allow_hosts`` and the
    local config's ``allow_private_hosts`` (see :mod:`filmfs.store.download`)."""
    started = time.monotonic()
    allowed = parse_allowed((*private_hosts(project.root), *allow_hosts))
    source = source_remote(project, remote)
    store = project.store
    references = transferable(workspace_references(project))
    on_remote = source.list_objects() if source else {}
    result = Transfer(remote=source.name if source else None)
    todo: dict[str, list[Reference]] = {}
    for sha, refs in references.items():
        if store.has(sha):
            result.up_to_date += 1
        elif sha in on_remote or any(ref.url for ref in refs):
            todo[sha] = refs
        else:
            result.unavailable.append(sha)

    def fetch(sha: str) -> int:
        errors: list[str] = []
        if source and sha in on_remote:
            try:
                return source.download(sha, store).size
            except FilmfsError as exc:
                errors.append(str(exc))
        sizes = {ref.url: ref.size for ref in reversed(todo[sha]) if ref.url}
        for url, size in sizes.items():
            try:
                return fetch_url(
                    url, sha, store, root=project.root, size=size, allowed=allowed
                ).size
            except FilmfsError as exc:
                errors.append(str(exc))
        raise RemoteError("; ".join(errors))

    return result.run(todo, fetch, jobs=jobs, started=started)
