"""`filmfs push` and `filmfs pull` / `filmfs fetch`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option
from filmfs.cli.output import echo_json, format_option
from filmfs.cli.sizes import human_size
from filmfs.commands.pull import pull
from filmfs.commands.push import push
from filmfs.project import Project
from filmfs.store.transfer import Transfer

remote_option = click.option(
    "-r", "--remote", help="The remote's name (default: the default remote)."
)
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Objects transferred at once.",
)


def report(result: Transfer, *, verb: str, fmt: str) -> Transfer:
    """Print a transfer; it is not ok (exit 1) when an object failed or is nowhere to be had."""
    if fmt == "json":
        echo_json(result)
    else:
        where = f" ({result.remote})" if result.remote else ""
        click.echo(
            f"{len(result.transferred)} object(s) {verb}{where}, {human_size(result.bytes)} "
            f"in {result.elapsed:.1f} s; {result.up_to_date} already up to date"
        )
        for sha in result.unavailable:
            click.secho(f"  {sha[:12]}: not available anywhere", fg="yellow", err=True)
        for sha, why in result.failed.items():
            click.secho(f"  {sha[:12]}: FAILED: {why}", fg="red", err=True)
        if result.failed:
            click.secho(
                f"error: {len(result.failed)} object(s) failed to transfer", fg="red", err=True
            )
        if result.unavailable:
            click.secho(
                f"error: {len(result.unavailable)} referenced object(s) are not available\n"
                "  hint: push them from a clone that has them, or regenerate those takes",
                fg="red",
                err=True,
            )
    return result


@click.command("push")
@remote_option
@click.option("--all-commits", is_flag=True, help="Also objects referenced by any commit.")
@click.option("--all", "all_objects", is_flag=True, help="Every object in the local store.")
@jobs_option
@format_option()
@film_option
def push_command(
    remote: str | None,
    all_commits: bool,
    all_objects: bool,
    jobs: int,
    fmt: str,
    root: Path,
) -> Transfer:
    """Upload the media the manifests reference to a remote that lacks it."""
    result = push(
        Project.load(root),
        remote=remote,
        all_commits=all_commits,
        all_objects=all_objects,
        jobs=jobs,
    )
    return report(result, verb="pushed", fmt=fmt)


def _pull(remote: str | None, jobs: int, fmt: str, root: Path) -> Transfer:
    return report(pull(Project.load(root), remote=remote, jobs=jobs), verb="fetched", fmt=fmt)


_pull_help = (
    "Download the media the manifests reference and the local store lacks.\n\n"
    "From the remote, or from an asset's url; every object's sha256 is checked on the way in."
)
pull_command = click.command("pull", help=_pull_help)(
    remote_option(jobs_option(format_option()(film_option(_pull))))
)
fetch_command = click.command("fetch", help="The same as `filmfs pull`.")(
    remote_option(jobs_option(format_option()(film_option(_pull))))
)
