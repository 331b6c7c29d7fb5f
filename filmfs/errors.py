"""The one error base of filmfs, and the exit codes the CLI maps errors to.

Every error a user can cause or meet carries a message that says what is wrong, where, and
how to fix it. The CLI (``filmfs.cli``) is the only place that turns errors into exit codes.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence

EXIT_OK = 0
EXIT_ERROR = 1  # bad input, failed validation, failed generation or assembly
EXIT_USAGE = 2  # click's own code for a bad command line
EXIT_UNEXPECTED = 3  # a bug in filmfs: reported with a traceback hint
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_PIPE = 141  # stdout closed early (`filmfs tree | head -1`): quiet, as git and DVC do


class FilmfsError(Exception):
    """Base of every error filmfs raises on purpose.

    ``str(error)`` is the full user-facing message; ``hint`` (optional) says how to fix it.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ManifestError(FilmfsError):
    """A manifest cannot be read at all (bad YAML, unsafe tag, too big, outside the film)."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{col}: {message}")
        self.path = path
        self.line = line
        self.col = col
        self.detail = message


class NotAFilmError(FilmfsError):
    """The directory is not a film (no film.yaml)."""


class ValidationFailed(FilmfsError):
    """The film has errors; raised by commands that need a valid film to proceed."""


class ToolError(FilmfsError):
    """An external program (ffmpeg, git) failed; carries what is needed to debug it."""

    def __init__(
        self,
        message: str,
        *,
        argv: Sequence[str] = (),
        returncode: int | None = None,
        stderr: str = "",
        hint: str | None = None,
    ) -> None:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        parts = [message]
        if argv:
            parts.append("  command: " + " ".join(argv))
        if returncode is not None:
            parts.append(f"  exit code: {returncode}")
        if tail:
            parts.append("  stderr (last lines):\n    " + tail.replace("\n", "\n    "))
        super().__init__("\n".join(parts), hint=hint)
        self.argv = list(argv)
        self.returncode = returncode
        self.stderr = stderr


class ProviderError(FilmfsError):
    """A generation provider failed: the task failed, the API refused, or the download was bad.

    ``retryable`` tells the runner whether trying again may help (rate limits, 5xx, timeouts);
    a create request is re-sent only when ``nothing_created`` or its HTTP status says no task
    was made (see ``create_retry`` in the provider capabilities).
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        url: str | None = None,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        hint: str | None = None,
        nothing_created: bool = False,
    ) -> None:
        where = f" ({url} -> HTTP {status})" if url and status else (f" ({url})" if url else "")
        super().__init__(f"{provider}: {message}{where}", hint=hint)
        self.detail = message
        """The message without the provider and URL decoration."""
        self.provider = provider
        self.url = url
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after
        self.nothing_created = nothing_created
        """The service refused a create outright (a rate limit): sending it again is safe."""


class TaskEnded(ProviderError):
    """The provider's task itself failed or was cancelled by the provider: it is over, so there
    is nothing to resume (unlike a run that gave up polling a task that may still finish)."""


class ProviderNotConfigured(FilmfsError):
    """A provider lacks its API key or other settings."""


class StoreError(FilmfsError):
    """The media store is missing an object, or an object is corrupt."""


class LockedError(FilmfsError):
    """Another filmfs process holds the lock this command needs."""


class GenerationCancelled(ProviderError):
    """A generation was cancelled by the user (Ctrl-C or a cancel event); not retryable."""


# OSErrors that come from the machine rather than from a bug: a full or read-only disk, a
# quota, a file size limit, a failing device. The CLI reports them as errors (exit 1).
ENVIRONMENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.ENOMEM}
)


def exit_code(outcome: object) -> int:
    """The one map from how a command ended to the process's exit code.

    ``outcome`` is the exception it raised, or the result it returned: a result that carries
    ``ok`` (a failed check, a transfer with failures) exits 1 when ``ok`` is false.
    """
    if isinstance(outcome, FilmfsError):
        return EXIT_ERROR
    if isinstance(outcome, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(outcome, BrokenPipeError):
        return EXIT_PIPE
    if isinstance(outcome, OSError) and outcome.errno in ENVIRONMENT_ERRNOS:
        return EXIT_ERROR  # the machine (a full disk), not a bug
    if isinstance(outcome, BaseException):
        return EXIT_UNEXPECTED
    return EXIT_ERROR if getattr(outcome, "ok", True) is False else EXIT_OK
