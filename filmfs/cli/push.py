"""`filmfs push` and `filmfs pull` / `filmfs fetch`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs import escape
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
            shown = escape.terminal(escape.mask_userinfo(why))
            click.secho(f"  {sha[:12]}: FAILED: {shown}", fg="red", err=True)
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


def _pull(
    remote: str | None, jobs: int, fmt: str, root: Path, allow_private_host: tuple[str, ...]
) -> Transfer:
    result = pull(Project.load(root), remote=remote, jobs=jobs, allow_hosts=allow_private_host)
    return report(result, verb="fetched", fmt=fmt)


allow_host_option = click.option(
    "--allow-private-host",
    multiple=True,
    metavar="HOST",
    help="Let an asset's url reach this loopback/private host or network (e.g. 10.0.0.0/8); "
    "as allow_private_hosts in .filmfs/config.local.yaml. Repeatable.",
)


_pull_help = (
    "Download the media the manifests reference and the local store lacks.\n\n"
    "From the remote, or from an asset's url; every object's sha256 is checked on the way in. "
    "An asset's url may only reach public hosts (see --allow-private-host)."
)
pull_command = click.command("pull", help=_pull_help)(
    remote_option(jobs_option(format_option()(film_option(allow_host_option(_pull)))))
)
fetch_command = click.command("fetch", help="The same as `filmfs pull`.")(
    remote_option(jobs_option(format_option()(film_option(allow_host_option(_pull)))))
)
