"""The `filmfs` command line. The only package that imports click or prints.

Errors are mapped to exit codes in one place, :class:`FilmfsGroup.invoke`:
1 for any FilmfsError (bad input, failed validation or generation), 2 for a bad command line
(click), 130 for Ctrl-C, 3 for an unexpected bug (with a traceback only under FILMFS_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from filmfs.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    FilmfsError,
)


class FilmfsGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FilmfsError as exc:
            click.secho(f"error: {exc}", err=True, fg="red")
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("FILMFS_DEBUG"):
                traceback.print_exc()
            click.secho(
                f"internal error: {type(exc).__name__}: {exc}\n"
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
