"""``assetgraph backfill launch|list|show|cancel|resume``: a thin layer over
``assetgraph.automation.backfills``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import (
    AllPartitionsOption,
    FileOption,
    JsonOption,
    ModuleOption,
    PartitionOption,
    PartitionRangeOption,
    VerboseOption,
    backfill_app,
    handle_errors,
    load,
    parse_tags,
)
from assetgraph.cli.assets_cmd import ExcludeOption, SelectOption

BackfillIdArgument = Annotated[
    str, typer.Argument(help="The backfill's id (or a unique prefix of 4+ characters).")
]


@backfill_app.command("launch")
@handle_errors
def launch(
    file: FileOption = None,
    module: ModuleOption = None,
    select: SelectOption = None,
    exclude: ExcludeOption = None,
    partition: PartitionOption = None,
    partition_range: PartitionRangeOption = None,
    all_partitions: AllPartitionsOption = False,
    missing: Annotated[
        bool, typer.Option("--missing", help="Only partitions never materialized.")
    ] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", help="Tag KEY=VALUE for every run (repeatable).", show_default=False),
    ] = None,
    max_concurrent_runs: Annotated[
        int | None,
        typer.Option(
            "--max-concurrent-runs",
            min=1,
            help="Runs of this backfill queued or running at once (default: the run queue's "
            "max_concurrent_runs).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Store a backfill of the selected assets' partitions for the daemon to carry out.

    The daemon ('assetgraph automate') launches its runs, cut by each asset's
    BackfillPolicy, at most --max-concurrent-runs at a time; 'backfill show ID' follows it.
    """
    from assetgraph.automation.backfills import backfill_to_json, launch_backfill
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    backfill = launch_backfill(
        defs,
        select,
        exclude=exclude,
        partition_keys=partition,
        partition_range=partition_range,
        all_partitions=all_partitions,
        missing=missing,
        tags=parse_tags(tag),
        max_concurrent_runs=max_concurrent_runs,
        instance=Instance.from_env(),
    )
    if as_json:
        render.print_json(backfill_to_json(backfill))
        return
    total = sum(p["target"] for p in backfill.state["progress"].values())
    typer.echo(
        f"Backfill {backfill.backfill_id} requested: {total} partition(s) of "
        f"{len(backfill.state['assets'])} asset(s). 'assetgraph automate' carries it out; "
        f"'assetgraph backfill show {backfill.backfill_id}' shows its progress."
    )


@backfill_app.command("list")
@handle_errors
def list_backfills(
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Show at most this many backfills.", min=1)
    ] = 20,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Only backfills with this status (repeatable): requested, canceling, "
            "canceled, completed_success, completed_failed, failed.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """List backfills, newest first, with their progress."""
    from assetgraph.automation.backfills import backfill_to_json, get_backfills
    from assetgraph.errors import UsageError
    from assetgraph.storage.backfill_store import BulkActionStatus
    from assetgraph.storage.instance import Instance

    try:
        statuses = [BulkActionStatus(s) for s in status] if status else None
    except ValueError:
        choices = ", ".join(s.value for s in BulkActionStatus)
        raise UsageError(f"Unknown --status {status}; use one of: {choices}.") from None
    backfills = get_backfills(Instance.from_env(), statuses, limit)
    if as_json:
        render.print_json([backfill_to_json(b) for b in backfills])
        return
    rows = []
    for backfill in backfills:
        totals = _totals(backfill)
        rows.append(
            [
                backfill.backfill_id,
                backfill.status.value,
                render.timestamp_text(backfill.created_at),
                backfill.selection,
                f"{totals['done']}/{totals['target']}",
                str(totals["failed"]),
                str(totals["in_progress"]),
                str(totals["remaining"]),
            ]
        )
    render.print_table(
        f"{len(backfills)} backfill(s)",
        ["backfill", "status", "created", "request", "done", "failed", "running", "remaining"],
        rows,
    )


@backfill_app.command("show")
@handle_errors
def show(
    backfill_id: BackfillIdArgument,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """A backfill's status and its progress per asset (done, failed, in progress, remaining)."""
    from assetgraph.automation.backfills import backfill_progress, backfill_to_json, get_backfill
    from assetgraph.storage.instance import Instance

    backfill = get_backfill(backfill_id, Instance.from_env())
    if as_json:
        render.print_json(backfill_to_json(backfill))
        return
    typer.echo(f"Backfill {backfill.backfill_id}  {backfill.status.value}")
    typer.echo(f"  request:  {backfill.selection}")
    typer.echo(f"  created:  {render.timestamp_text(backfill.created_at)}")
    typer.echo(f"  updated:  {render.timestamp_text(backfill.updated_at)}")
    typer.echo(
        f"  runs:     {len(backfill.state.get('runs', {}))} in flight, at most "
        f"{backfill.state.get('max_concurrent_runs')} at a time"
    )
    if backfill.error:
        typer.echo(f"  error:    {backfill.error}")
    render.print_table(
        None,
        ["asset", "partitions", "done", "failed", "running", "remaining", "failed partitions"],
        [
            [
                p.asset,
                ", ".join(p.target_ranges) or "(unpartitioned)",
                str(p.done),
                str(p.failed),
                str(p.in_progress),
                str(p.remaining),
                ", ".join(p.failed_ranges) or "-",
            ]
            for p in backfill_progress(backfill)
        ],
    )


@backfill_app.command("cancel")
@handle_errors
def cancel(backfill_id: BackfillIdArgument, verbose: VerboseOption = False) -> None:
    """Stop launching runs for a backfill and cancel its queued runs (started ones finish)."""
    from assetgraph.automation.backfills import cancel_backfill
    from assetgraph.storage.instance import Instance

    backfill = cancel_backfill(backfill_id, Instance.from_env())
    if backfill.status.value == "canceled":
        typer.echo(f"Backfill {backfill.backfill_id} canceled.")
    else:
        typer.echo(
            f"Backfill {backfill.backfill_id} canceling: no new runs; it is canceled once "
            "its running runs end (the daemon notes it)."
        )


@backfill_app.command("resume")
@handle_errors
def resume(backfill_id: BackfillIdArgument, verbose: VerboseOption = False) -> None:
    """Carry on a canceled or failed backfill: what failed or remains is launched again."""
    from assetgraph.automation.backfills import resume_backfill
    from assetgraph.storage.instance import Instance

    backfill = resume_backfill(backfill_id, Instance.from_env())
    totals = _totals(backfill)
    typer.echo(
        f"Backfill {backfill.backfill_id} requested again: {totals['remaining']} partition(s) "
        "to build; 'assetgraph automate' carries it out."
    )


def _totals(backfill: Any) -> dict[str, int]:
    totals = {"target": 0, "done": 0, "failed": 0, "in_progress": 0, "remaining": 0}
    for counts in backfill.state.get("progress", {}).values():
        for name in totals:
            totals[name] += counts.get(name, 0)
    return totals
