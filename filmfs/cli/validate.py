"""`filmfs validate [DIR]`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from filmfs.cli.options import film_option, find_film
from filmfs.commands.validate import validate
from filmfs.manifests.problems import Report


def _escape(text: str) -> str:
    # GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.as_dict(), indent=2)
    lines = [f"repointed the modeline of {name}" for name in report.fixed] if fmt == "text" else []
    for problem in report.sorted():
        if fmt == "github":
            prop = f"file={problem.path},line={problem.line},col={problem.col}"
            lines.append(f"::{problem.severity} {prop}::{_escape(problem.message)}")
        else:
            lines.append(str(problem))
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "ok" if report.ok else "FAILED"
    lines.append(
        f"{report.root}: {report.files} files checked, {errors} error(s), "
        f"{warnings} warning(s): {verdict}"
    )
    return "\n".join(lines)


@click.command("validate")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=None, required=False
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-media", is_flag=True, help="Skip the check for media missing from the store.")
@click.option(
    "--fix-modelines",
    is_flag=True,
    help="Repoint yaml-language-server lines that point nowhere at .filmfs/schemas/.",
)
@film_option
def command(
    directory: Path | None,
    fmt: str,
    strict: bool,
    no_media: bool,
    fix_modelines: bool,
    root: Path,
) -> None:
    """Check every manifest of the film in DIRECTORY (or -C; default: the film you are in)
    against the schemas and each other.

    Every problem is reported as path:line:col: message. Exit 0 when clean, 1 on any error.
    """
    if directory is not None:
        root = find_film(directory)
    report = validate(root, check_media=not no_media, fix_modelines=fix_modelines)
    click.echo(render(report, fmt))
    if not report.ok or (strict and report.warnings):
        raise click.exceptions.Exit(1)
