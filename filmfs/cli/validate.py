"""`filmfs validate [DIR]`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs import escape
from filmfs.cli.options import film_option, find_film
from filmfs.cli.output import Verdict, echo_json, format_option
from filmfs.commands.validate import validate
from filmfs.manifests.problems import Report


def render(report: Report, fmt: str) -> str:
    lines = [f"repointed the modeline of {name}" for name in report.fixed] if fmt == "text" else []
    for problem in report.sorted():
        if fmt == "github":
            # Workflow commands, escaped as the runner reads them: a file name with `,` `:`
            # or a newline can neither add properties nor start a command of its own.
            where = escape.github_property(problem.path)
            prop = f"file={where},line={problem.line},col={problem.col}"
            lines.append(f"::{problem.severity} {prop}::{escape.github_data(problem.message)}")
        else:
            lines.append(escape.terminal(str(problem), newlines=False))
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "ok" if report.ok else "FAILED"
    lines.append(
        f"{escape.terminal(report.root, newlines=False)}: {report.files} files checked, "
        f"{errors} error(s), {warnings} warning(s): {verdict}"
    )
    return "\n".join(lines)


@click.command("validate")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=None, required=False
)
@format_option("text", "json", "github")
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
) -> Verdict:
    """Check every manifest of the film in DIRECTORY (or -C; default: the film you are in)
    against the schemas and each other.

    Every problem is reported as path:line:col: message. Exit 0 when clean, 1 on any error.
    """
    if directory is not None:
        root = find_film(directory)
    report = validate(root, check_media=not no_media, fix_modelines=fix_modelines)
    if fmt == "json":
        echo_json(report.as_dict())
    else:
        click.echo(render(report, fmt))
    return Verdict(ok=report.ok and not (strict and report.warnings))
