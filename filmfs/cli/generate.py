"""`filmfs generate SHOT... | --all | --missing`."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from filmfs.cli.options import Seconds, film_option, no_commit_option
from filmfs.cli.output import echo_json, format_option
from filmfs.commands.generate import GenerateResult, TakeOutcome, generate
from filmfs.commands.generate_assets import generate_assets
from filmfs.project import Project
from filmfs.providers.runner import DEFAULT_POLL_INTERVAL, Progress


@click.command("generate")
@click.argument("shot_ids", nargs=-1)
@click.option("--all", "all_shots", is_flag=True, help="A new take of every shot.")
@click.option("--missing", is_flag=True, help="A take of every shot that has none yet.")
@click.option(
    "--stale",
    is_flag=True,
    help="A new take of every shot whose selected take was made from other inputs than the "
    "film has now (see `filmfs status`).",
)
@click.option("--provider", help="Provider name (see `filmfs providers`); default from manifests.")
@click.option("--model", help="Provider model; default from the shot, then the provider.")
@click.option("--seed", type=int, help="Seed for every take (default: derived per shot+attempt).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Shots generated at once (also bounded per provider).",
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=1800,
    show_default=True,
    help="Seconds one generation may take.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(0.05, 60),
    default=DEFAULT_POLL_INTERVAL,
    show_default=True,
    help="Least seconds between status polls; polls then follow 20% of the elapsed time, "
    "up to 15 s apart.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show each submit, poll and download.")
@no_commit_option
@format_option()
@film_option
def command(
    shot_ids: tuple[str, ...],
    all_shots: bool,
    missing: bool,
    stale: bool,
    provider: str | None,
    model: str | None,
    seed: int | None,
    jobs: int,
    timeout: float,
    poll_interval: float,
    verbose: bool,
    no_commit: bool,
    fmt: str,
    root: Path,
) -> GenerateResult:
    """Generate a new take for each named shot (or --all, --missing or --stale).

    Each take is written to shots/<ID>/takes/<NNN>.yaml with its provider, model, seed, cost
    and the probed video, whose bytes go to the media store. A shot's first take is selected.
    Inside a Git repository the new take files are committed.
    """
    project = Project.load(root)
    lock = threading.Lock()
    done = [0]
    total = [0]

    def progress(shot_id: str, event: Progress) -> None:
        if verbose:
            with lock:
                click.echo(f"  {shot_id}: {event.stage}: {event.message}", err=True)

    def finished(outcome: TakeOutcome) -> None:
        if fmt == "json":
            return
        with lock:
            done[0] += 1
            head = f"[{done[0]}/{total[0]}] {outcome.shot_id}"
            if outcome.ok:
                mark = " (selected)" if outcome.selected else ""
                cost = f"${outcome.cost:.2f}" if outcome.cost is not None else "cost unknown"
                click.echo(
                    f"{head}: take {outcome.attempt}{mark} via {outcome.provider}/"
                    f"{outcome.model}, {cost}, {outcome.elapsed:.1f} s"
                )
            else:
                click.secho(f"{head}: FAILED: {outcome.error}", fg="red", err=True)

    def started(count: int) -> None:
        total[0] = count

    if all_shots or missing:
        assets, asset_commit = generate_assets(project, commit=not no_commit)
        for asset in assets if fmt == "text" else ():
            click.echo(f"asset {asset.asset_id}: {asset.duration:g} s, sha256 {asset.sha256[:12]}")
        if asset_commit and fmt == "text":
            click.echo(f"committed {asset_commit[:10]}")
    result = generate(
        project,
        shot_ids=list(shot_ids),
        all_shots=all_shots,
        missing=missing,
        stale=stale,
        provider=provider,
        model=model,
        seed=seed,
        timeout=timeout,
        poll_interval=poll_interval,
        jobs=jobs,
        commit=not no_commit,
        on_start=started,
        on_progress=progress,
        on_done=finished,
    )
    if fmt == "json":
        echo_json(result)
    elif not result.outcomes:
        click.echo(
            "nothing to generate: no shot's selected take is stale"
            if stale
            else "nothing to generate: every shot has a take"
        )
    else:
        made = len(result.outcomes) - len(result.failed)
        click.echo(
            f"{made} take(s) generated in {result.elapsed:.1f} s, total cost "
            f"${result.total_cost:.2f}"
            + (f"; committed {result.commit[:10]}" if result.commit else "")
        )
        if result.failed:
            click.secho(
                f"error: {len(result.failed)} of {len(result.outcomes)} generation(s) failed",
                fg="red",
                err=True,
            )
    return result
