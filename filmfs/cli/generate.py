"""`filmfs generate SHOT... | --all | --missing`."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import click

from filmfs.cli.options import Seconds, film_option, no_commit_option
from filmfs.cli.output import echo_json, format_option
from filmfs.commands.generate import GenerateResult, TakeOutcome, generate
from filmfs.commands.generate_assets import generate_assets
from filmfs.commands.planning import usd
from filmfs.project import Project
from filmfs.providers.runner import DEFAULT_POLL_INTERVAL, Progress


def money_text(amount: Decimal | None, basis: str | None) -> str:
    """``$0.60`` (reported by the provider) or ``$0.60 (estimate)``; ``cost unknown``."""
    if amount is None:
        return "cost unknown"
    return usd(amount) + (" (estimate)" if basis != "provider" else "")


def render_estimates(result: GenerateResult) -> str:
    """The dry run: each shot's request and price, the total, and the budget."""
    lines = []
    for e in result.estimates:
        shape = ", ".join(
            part
            for part in (
                f"{e.seconds} s" if e.seconds is not None else "",
                e.resolution or "",
                e.ratio or "",
            )
            if part
        )
        price = usd(e.estimate) if e.estimate is not None else "price unknown"
        lines.append(f"{e.shot_id}  {e.provider}/{e.model}  {shape or '-'}  {price}")
        lines += [f"    fit: {note}" for note in e.fit]
        if e.warning:
            lines.append(f"    warning: {e.warning}")
    if not result.estimates:
        lines.append("nothing to generate")
    unknown = f" (+ {len(result.unpriced)} shot(s) without a price)" if result.unpriced else ""
    lines.append(f"estimated total: {usd(result.estimated_total)}{unknown}; nothing was sent")
    if result.budget_total is not None or result.budget_per_run is not None:
        parts = [f"spent so far {usd(result.spent_before)}"]
        if result.budget_total is not None:
            parts.append(f"budget.total {usd(result.budget_total)}")
        if result.budget_per_run is not None:
            parts.append(f"budget.per_run {usd(result.budget_per_run)}")
        lines.append("budget: " + ", ".join(parts))
    if result.refusal:
        lines.append(f"a real run would be refused: {result.refusal}")
    return "\n".join(lines)


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
    help="Least seconds between status polls (never below the provider's documented cadence, "
    "5 s for Runway); polls then follow 20% of the elapsed time, up to the provider's maximum.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check every shot against its model and show each one's price and the total; "
    "send nothing, spend nothing.",
)
@click.option(
    "--over-budget",
    is_flag=True,
    help="Spend even if the run passes the film's budget (film.yaml `budget`).",
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
    dry_run: bool,
    over_budget: bool,
    verbose: bool,
    no_commit: bool,
    fmt: str,
    root: Path,
) -> GenerateResult:
    """Generate a new take for each named shot (or --all, --missing or --stale).

    Each take is written to shots/<ID>/takes/<NNN>.yaml with its provider, model, seed, cost
    and the probed video, whose bytes go to the media store. A shot's first take is selected.
    Inside a Git repository the new take files are committed.

    Before any request every shot is checked against its model (length, ratio, inputs, prompt
    length) and priced; a run that would pass the film's budget is refused. Tasks a killed
    run left behind are resumed first, so nothing is paid twice.
    """
    project = Project.load(root)
    lock = threading.Lock()
    done = [0]
    total = [0]

    def progress(shot_id: str, event: Progress) -> None:
        # What happened to a cancelled task (and its money) is always worth saying.
        if verbose or event.stage == "cancel":
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
                mark += " (resumed)" if outcome.resumed else ""
                cost = money_text(outcome.cost, outcome.cost_basis)
                click.echo(
                    f"{head}: take {outcome.attempt}{mark} via {outcome.provider}/"
                    f"{outcome.model}, {cost}, {outcome.elapsed:.1f} s"
                )
            else:
                click.secho(f"{head}: FAILED: {outcome.error}", fg="red", err=True)

    def started(count: int) -> None:
        total[0] = count

    if (all_shots or missing) and not dry_run:
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
        over_budget=over_budget,
        jobs=jobs,
        commit=not no_commit,
        dry_run=dry_run,
        on_start=started,
        on_progress=progress,
        on_done=finished,
    )
    if fmt == "json":
        echo_json(result)
        return result
    if dry_run:
        click.echo(render_estimates(result))
        return result
    for warning in sorted({e.warning for e in result.estimates if e.warning}):
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    if not result.outcomes:
        click.echo(
            "nothing to generate: no shot's selected take is stale"
            if stale
            else "nothing to generate: every shot has a take"
        )
    else:
        made = len(result.outcomes) - len(result.failed)
        click.echo(
            f"{made} take(s) generated in {result.elapsed:.1f} s, total cost "
            f"{usd(result.total_cost)}"
            + (f"; committed {result.commit[:10]}" if result.commit else "")
        )
        if result.failed:
            click.secho(
                f"error: {len(result.failed)} of {len(result.outcomes)} generation(s) failed",
                fg="red",
                err=True,
            )
    return result
