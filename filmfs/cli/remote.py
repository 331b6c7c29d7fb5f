"""`filmfs remote add|list|remove|modify`."""

from __future__ import annotations

from pathlib import Path

import click

from filmfs.cli.options import film_option
from filmfs.cli.output import emit, format_option
from filmfs.commands.remote import (
    RemoteRow,
    add_remote,
    list_remotes,
    modify_remote,
    remove_remote,
)
from filmfs.manifests.loader import parse

local_option = click.option(
    "--local",
    is_flag=True,
    help="Write .filmfs/config.local.yaml (git-ignored: secrets, this machine only).",
)


@click.group("remote")
def command() -> None:
    """Media remotes: where `filmfs push` sends objects and `filmfs pull` fetches them.

    Names and URLs are kept in .filmfs/config.yaml (commit it); secrets and overrides in
    .filmfs/config.local.yaml (git-ignored).
    """


@command.command("add")
@click.argument("name")
@click.argument("url")
@click.option("-d", "--default", "default", is_flag=True, help="Make it the default remote.")
@click.option("-f", "--force", is_flag=True, help="Replace a remote of the same name.")
@local_option
@film_option
def add(name: str, url: str, default: bool, force: bool, local: bool, root: Path) -> None:
    """Add remote NAME at URL: a directory, file://, s3://, gs://, ssh://, ..."""
    path = add_remote(root, name=name, url=url, default=default, local=local, force=force)
    click.echo(f"remote {name} -> {url}" + (" (default)" if default else "") + f" in {path}")


@command.command("modify")
@click.argument("name")
@click.argument("option")
@click.argument("value", required=False)
@click.option("-u", "--unset", is_flag=True, help="Remove OPTION.")
@local_option
@film_option
def modify(name: str, option: str, value: str | None, unset: bool, local: bool, root: Path) -> None:
    """Set OPTION of remote NAME to VALUE; options go to its fsspec filesystem.

    Examples: `modify storage profile work --local`, `modify storage endpoint_url http://...`.
    VALUE is read as YAML, so true, false and numbers keep their type.
    """
    if value is None and not unset:
        raise click.UsageError("give a VALUE, or --unset")
    # Read as filmfs reads manifests: plain YAML data only, errors with a position.
    parsed = None if unset or value is None else parse(value, "VALUE").data if value else ""
    path = modify_remote(root, name=name, option=option, value=parsed, local=local)
    click.echo(f"remote {name}: {option} {'unset' if unset else 'set'} in {path}")


@command.command("remove")
@click.argument("name")
@film_option
def remove(name: str, root: Path) -> None:
    """Forget remote NAME (its objects stay where they are)."""
    for path in remove_remote(root, name=name):
        click.echo(f"removed remote {name} from {path}")


@command.command("list")
@format_option()
@film_option
def list_(fmt: str, root: Path) -> list[RemoteRow]:
    """List the remotes; the default one is marked with *."""
    return emit(list_remotes(root), fmt, render_list)


def render_list(rows: list[RemoteRow]) -> str:
    return "\n".join(f"{'*' if row.default else ' '} {row.name}\t{row.url}" for row in rows)
