"""`filmfs import-script`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option, no_commit_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.import_script import ImportResult, import_script


def render(result: ImportResult) -> str:
    verb = "would be made" if result.dry_run else "made"
    lines = []
    for change in result.changes:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        detail = f"  [{change.detail}]" if change.detail else ""
        lines.append(f"{change.action:<8} {change.path}{fields}{detail}")
    summary = (
        f"{result.script}: {result.scenes} scene(s), {result.characters} speaking character(s); "
        + (f"{len(result.changes)} change(s) {verb}" if result.changes else "film up to date")
    )
    if result.conflicts:
        summary += f"; {len(result.conflicts)} field(s) kept as you edited them"
    lines.append(summary)
    if result.commit:
        lines.append(f"committed {result.commit[:10]}")
    return "\n".join(lines)


@click.command("import-script")
@click.argument("script", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@no_commit_option
@format_option()
@film_option
def command(script: Path, dry_run: bool, no_commit: bool, fmt: str, root: Path) -> ImportResult:
    """Import a Fountain screenplay: scenes, speaking characters, a first shot per scene.

    Run it again after editing the script: what the script wrote is updated, new scenes and
    characters are added, scenes gone from the script keep their files and their shots are
    marked omitted, and fields you edited yourself are kept (reported as conflicts).
    """
    result = import_script(root, script=script, dry_run=dry_run, commit=not no_commit)
    return emit(result, fmt, render)
