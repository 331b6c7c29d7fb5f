"""`filmfs validate`: schema and integrity checks of every manifest, in one pass.

The report of a film checked before is kept (:mod:`filmfs.manifests.results`) with the stat of
everything it was made from (:mod:`filmfs.commands.checks` says what each check read): when
none of it has changed, the report is answered without loading the film.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from filmfs.manifests import results, schema
from filmfs.manifests.problems import Problem, Report

KEPT = "validate"
_ENVIRONMENT = ("PATH", "HOME", "XDG_CONFIG_HOME")


def validate(root: Path, *, check_media: bool = True, fix_modelines: bool = False) -> Report:
    """Check a film; problems are data in the report, never raised.

    ``fix_modelines`` first repoints every modeline that points nowhere (the one write
    validate makes, on request)."""
    key = None if fix_modelines else kept_key(root, check_media=check_media)
    if key is not None:
        report = _report_of(results.recall(root, _name(check_media), key))
        if report is not None:
            return report
    # Loading and checking a film takes most of filmfs: imported only when the kept report
    # cannot answer, so that validating an unchanged film starts at once (start-up).
    from filmfs.commands import checks

    watch = results.Watch()
    report = checks.check_film(
        root, check_media=check_media, fix_modelines=fix_modelines, watch=watch
    )
    if key is not None:
        results.keep(root, _name(check_media), key, watch, _data_of(report))
    return report


def _name(check_media: bool) -> str:
    return KEPT if check_media else f"{KEPT}-no-media"


def kept_key(root: Path, *, check_media: bool) -> list[Any]:
    """Everything a report depends on besides the files it watches: filmfs's code and schemas,
    where it runs from (paths are shown relative to it), the options and the environment
    variables git and filmfs read."""
    environment = sorted(
        (name, value)
        for name, value in os.environ.items()
        if name.startswith(("GIT_", "FILMFS_")) or name in _ENVIRONMENT
    )
    return [
        results.code_fingerprint(),
        schema.fingerprint(),
        os.getcwd(),
        str(root),
        check_media,
        [list(pair) for pair in environment],
        os.getuid(),
    ]


def _data_of(report: Report) -> list[Any]:
    problems = [[p.path, p.line, p.col, p.message, p.severity] for p in report.problems]
    return [report.root, report.files, problems]


def _report_of(data: Any) -> Report | None:
    if data is None:
        return None
    try:
        root, files, problems = data
        kept = [Problem(str(a), int(b), int(c), str(d), e) for a, b, c, d, e in problems]
        if any(p.severity not in ("error", "warning") for p in kept):
            return None
        return Report(root=str(root), files=int(files), problems=kept)
    except (TypeError, ValueError):
        return None
