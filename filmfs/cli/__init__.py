"""The `filmfs` command line. The only package that imports click or prints.

A command's callback returns its result; :class:`FilmfsGroup.invoke` turns how it ended into
an exit code, with :func:`filmfs.errors.exit_code` as the one map: 1 for any FilmfsError (bad
input, failed validation or generation) and for a result whose ``ok`` is false, 2 for a bad
command line (click), 130 for Ctrl-C, 141 (quietly) when the reader of stdout went away
(`filmfs tree | head -1`), 3 for an unexpected bug (a traceback only under FILMFS_DEBUG=1).
"""

from __future__ import annotations

import gc
import importlib
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
    """The root group: error mapping, and subcommands imported only when used (see COMMANDS)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module_name, attribute, _ = COMMANDS[cmd_name]
            # A command's modules make objects that live as long as the process, and no
            # garbage: the cyclic collector pauses while they import (its passes cost
            # add-take's start-up 3-7 ms) and what they made is frozen, as a film's load is
            # (filmfs.project.collector_paused).
            enabled = gc.isenabled()
            gc.disable()
            try:
                module = importlib.import_module(f"filmfs.cli.{module_name}")
            finally:
                gc.freeze()
                if enabled:
                    gc.enable()
            self.add_command(getattr(module, attribute), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the static table: listing the commands must not import them all.
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None:
                if not loaded.hidden:
                    rows.append((name, loaded.get_short_help_str(limit)))
            else:
                # Shortened exactly as click shortens a loaded command's help.
                placeholder = click.Command(name, help=COMMANDS[name][2])
                rows.append((name, placeholder.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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


# Every subcommand: name -> (module under filmfs.cli, attribute, its one-line help). A module is
# imported only when its command runs (or its own --help is asked for), so `filmfs --help` and a
# quick `filmfs validate` never import av, opentimelineio, httpx or fsspec. The help text is the
# first paragraph of the command's docstring; tests/test_cli_lazy.py keeps this table true.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "add-asset": (
        "add_asset",
        "command",
        "Store FILE (a reference image, a storyboard frame, music...) as asset ASSET_ID.",
    ),
    "add-take": (
        "add_take",
        "command",
        "Add the video SOURCE, made elsewhere, as the next take of shot SHOT_ID.",
    ),
    "assemble": (
        "assemble",
        "command",
        "Cut the selected takes together, in film order and format, into one MP4.",
    ),
    "diff": (
        "diff",
        "command",
        "What changed in the film between two Git revisions, in film terms.",
    ),
    "export": (
        "export",
        "command",
        "Write the cut as an editorial timeline; the format follows DEST's suffix.",
    ),
    "export-sql": (
        "export_sql",
        "command",
        "Export the film's assets and relationships to SQLite or PostgreSQL.",
    ),
    "fetch": ("push", "fetch_command", "The same as `filmfs pull`."),
    "frame": ("frame", "command", "Store one frame of a take of SHOT_ID as an image asset."),
    "generate": (
        "generate",
        "command",
        "Generate a new take for each named shot (or --all, --missing or --stale).",
    ),
    "import-edit": (
        "import_edit",
        "command",
        "Write an edited timeline's decisions into the manifests.",
    ),
    "graph": (
        "graph",
        "command",
        "The film's assets and relationships: a picture of its structure.",
    ),
    "import-script": (
        "import_script",
        "command",
        "Import a Fountain screenplay: scenes, speaking characters, a first shot per scene.",
    ),
    "init": (
        "init",
        "command",
        "Make DIR a new film: film.yaml, folders, .gitignore, schemas, a Git repository, and a "
        "first commit of that skeleton (unless --no-commit).",
    ),
    "media": (
        "media",
        "command",
        "The media store: status against a remote, garbage collection, integrity check.",
    ),
    "providers": (
        "providers",
        "command",
        "List the generation providers: built-in and plugins, and what each one still needs.",
    ),
    "pull": (
        "push",
        "pull_command",
        "Download the media the manifests reference and the local store lacks.",
    ),
    "push": (
        "push",
        "push_command",
        "Upload the media the manifests reference to a remote that lacks it.",
    ),
    "query": (
        "queries",
        "query_group",
        "The shot-film model's query patterns, answered from the manifests.",
    ),
    "remote": (
        "remote",
        "command",
        "Media remotes: where `filmfs push` sends objects and `filmfs pull` fetches them.",
    ),
    "review": (
        "review",
        "command",
        'Write the review page: shots in cut order, every take to compare, and "Play cut".',
    ),
    "script": (
        "screenplay",
        "command",
        "The film as a screenplay: scene by scene, each shot's text beside its selected take.",
    ),
    "select": (
        "select",
        "command",
        "Use take ATTEMPT of shot SHOT_ID in the cut (and no other take of that shot).",
    ),
    "show": (
        "queries",
        "show_command",
        "One shot: its takes (cost, score, notes, which is selected) and what it uses.",
    ),
    "status": (
        "status",
        "command",
        "Production metrics per shot, scene and film: attempts, cost, scores, what is missing.",
    ),
    "tree": (
        "queries",
        "tree_command",
        "Film -> scenes -> shots, with each shot's selected take and durations.",
    ),
    "upgrade": (
        "upgrade",
        "command",
        "Bring the film's manifests to the format this filmfs writes (film.yaml's `filmfs:`).",
    ),
    "validate": (
        "validate",
        "command",
        "Check every manifest of the film in DIRECTORY (or -C; default: the film you are in) "
        "against the schemas and each other.",
    ),
}


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli.main(prog_name="filmfs", standalone_mode=True))
