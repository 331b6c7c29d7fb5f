"""The `filmfs` command line. The only package that imports click or prints.

Errors are mapped to exit codes in one place, :class:`FilmfsGroup.invoke`:
1 for any FilmfsError (bad input, failed validation or generation), 2 for a bad command line
(click), 130 for Ctrl-C, 3 for an unexpected bug (with a traceback only under FILMFS_DEBUG=1).
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from typing import Any

import click

from filmfs import escape
from filmfs.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    FilmfsError,
)

# OSErrors that come from the machine rather than from a bug: a full or read-only disk, a
# quota, a file size limit, a failing device.
_ENVIRONMENT = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.ENOMEM}
)


class FilmfsGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FilmfsError as exc:
            # Messages quote the film (file names, values, URLs): controls shown escaped,
            # URL passwords masked.
            shown = escape.terminal(escape.mask_userinfo(str(exc)))
            click.secho(f"error: {shown}", err=True, fg="red")
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno in _ENVIRONMENT:
                # The machine, not filmfs: say so, and what a failed write leaves behind.
                where = f": {escape.terminal(str(exc.filename))}" if exc.filename else ""
                click.secho(
                    f"error: {exc.strerror}{where}\n  nothing half-written was kept: filmfs "
                    "writes files whole (temp file, then rename); takes and objects already "
                    "stored and committed stay so\n  hint: free disk space (or fix the "
                    "device), then run the command again",
                    err=True,
                    fg="red",
                )
                ctx.exit(EXIT_ERROR)
            if os.environ.get("FILMFS_DEBUG"):
                traceback.print_exc()
            click.secho(
                f"internal error: {type(exc).__name__}: "
                f"{escape.terminal(escape.mask_userinfo(str(exc)))}\n"
                "This is a bug in filmfs; rerun with FILMFS_DEBUG=1 for a traceback and report it.",
                err=True,
                fg="red",
            )
            ctx.exit(EXIT_UNEXPECTED)


@click.group(cls=FilmfsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="filmfs")
def cli() -> None:
    """filmfs: a film kept as code.

    Manifests (film.yaml, scenes/, shots/<ID>/shot.yaml, shots/<ID>/takes/) live in Git;
    media lives in a content-addressed store. Run a command with -h for its help.
    """


# Each module's click commands, in the order `filmfs --help` lists them (alphabetical).
COMMANDS = {
    "add_asset": ["command"],
    "add_take": ["command"],
    "assemble": ["command"],
    "diff": ["command"],
    "export": ["command"],
    "export_sql": ["command"],
    "frame": ["command"],
    "generate": ["command"],
    "graph": ["command"],
    "init": ["command"],
    "media": ["command"],
    "providers": ["command"],
    "push": ["push_command", "pull_command", "fetch_command"],
    "queries": ["tree_command", "show_command", "query_group"],
    "remote": ["command"],
    "review": ["command"],
    "select": ["command"],
    "status": ["command"],
    "validate": ["command"],
}


def _register() -> None:
    import importlib

    for module_name, attributes in COMMANDS.items():
        module = importlib.import_module(f"filmfs.cli.{module_name}")
        for attribute in attributes:
            cli.add_command(getattr(module, attribute))


_register()


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli.main(prog_name="filmfs", standalone_mode=True))
