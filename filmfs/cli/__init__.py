"""The `filmfs` command line. The only package that imports click or prints.

A command's callback returns its result; :class:`FilmfsGroup.invoke` turns how it ended into
an exit code, with :func:`filmfs.errors.exit_code` as the one map: 1 for any FilmfsError (bad
input, failed validation or generation) and for a result whose ``ok`` is false, 2 for a bad
command line (click), 130 for Ctrl-C, 141 (quietly) when the reader of stdout went away
(`filmfs tree | head -1`), 3 for an unexpected bug (a traceback only under FILMFS_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from filmfs import escape
from filmfs.errors import ENVIRONMENT_ERRNOS, FilmfsError, exit_code


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush into the closed pipe does not
    print "Exception ignored ... BrokenPipeError" on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (click's CliRunner)
        pass


class FilmfsGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError as exc:
            _silence_stdout()
            ctx.exit(exit_code(exc))
        except FilmfsError as exc:
            # Messages quote the film (file names, values, URLs): controls shown escaped,
            # URL passwords masked.
            click.secho(
                f"error: {escape.terminal(escape.mask_userinfo(str(exc)))}", err=True, fg="red"
            )
            ctx.exit(exit_code(exc))
        except KeyboardInterrupt as exc:
            click.echo("interrupted", err=True)
            ctx.exit(exit_code(exc))
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRNOS:
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
                ctx.exit(exit_code(exc))
            if os.environ.get("FILMFS_DEBUG"):
                traceback.print_exc()
            click.secho(
                f"internal error: {type(exc).__name__}: "
                f"{escape.terminal(escape.mask_userinfo(str(exc)))}\n"
                "This is a bug in filmfs; rerun with FILMFS_DEBUG=1 for a traceback and report it.",
                err=True,
                fg="red",
            )
            ctx.exit(exit_code(exc))
        code = exit_code(result)
        if code:
            ctx.exit(code)
        return result


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
    "import_edit": ["command"],
    "graph": ["command"],
    "import_script": ["command"],
    "init": ["command"],
    "media": ["command"],
    "providers": ["command"],
    "push": ["push_command", "pull_command", "fetch_command"],
    "queries": ["tree_command", "show_command", "query_group"],
    "remote": ["command"],
    "review": ["command"],
    "screenplay": ["command"],
    "select": ["command"],
    "status": ["command"],
    "upgrade": ["command"],
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
