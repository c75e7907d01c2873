"""``assetgraph list``, ``check`` and ``materialize``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import (
    AllPartitionsOption,
    ExcludeOption as ExcludeOption,  # re-exported: status, observe and others import
    FileOption,
    JsonOption,
    ModuleOption,
    PartitionOption,
    PartitionRangeOption,
    SelectOption as SelectOption,  # these two from here
    VerboseOption,
    app,
    handle_errors,
    load,
    parse_tags,
    partition_selection,
)
from assetgraph.cli.execution_options import (
    DaskAddressOption,
    Executor,
    ExecutorOption,
    LogLevel,
    LogLevelOption,
    NoWaitOption,
    WorkersOption,
    execution_options,
    run_and_report,
    run_origin_tags,
)

if TYPE_CHECKING:
    from assetgraph.keys import AssetKey
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.status.partitions import PartitionStatusSubsets


@app.command("list")
@handle_errors
def list_assets(
    file: FileOption = None,
    module: ModuleOption = None,
    select: SelectOption = None,
    exclude: ExcludeOption = None,
    jobs: Annotated[
        bool, typer.Option("--jobs", help="List the jobs (define_asset_job) instead.")
    ] = False,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """List the assets of a code location with their group, upstreams and last run."""
    if jobs:
        from assetgraph.cli.job_runs import print_jobs

        print_jobs(load(file, module), as_json)
        return
    from assetgraph.selection import select_assets
    from assetgraph.status.staleness import compute_staleness
    from assetgraph.storage.sqlite_reader import status_reader

    defs = load(file, module)
    graph = defs.graph
    keys = select_assets(graph, select, exclude) if select or exclude else list(graph.all_keys)
    storage = status_reader()  # the default SQLite database read without SQLAlchemy
    now = datetime.now(UTC)
    statuses = compute_staleness(graph, keys, storage, now)
    latest = storage.latest_materializations(
        [k.to_string() for k in keys if graph.partitions_def(k) is None]
    )
    partitioned = {k: pdef for k in keys if (pdef := graph.partitions_def(k)) is not None}
    partition_status = _partition_statuses(partitioned, now)
    rows: list[dict[str, Any]] = []
    for key in keys:
        spec = graph.spec(key)
        record = latest.get((key.to_string(), None))
        pdef = graph.partitions_def(key)
        rows.append(
            {
                "key": key.to_string(),
                "group": spec.group,
                "upstream": [p.to_string() for p in graph.parents(key)],
                "tags": dict(spec.tags),
                "owners": list(spec.owners),
                "kinds": sorted(
                    t.removeprefix("dagster/kind/")
                    for t in spec.tags
                    if t.startswith("dagster/kind/")
                ),
                "compute_kind": getattr(graph.assets_def(key), "compute_kind", None),
                "check_specs": [
                    s.name
                    for s in getattr(graph.assets_def(key), "check_specs", ())
                    if s.asset_key == key
                ],
                "description": spec.description,
                "code_version": graph.assets_def(key).code_version(key),
                "status": statuses[key].status,
                "partitions": None
                if pdef is None
                else _partition_counts(pdef, partition_status[key]),
                "last_materialization": None
                if record is None
                else {
                    "run_id": record.run_id,
                    "timestamp": record.timestamp,
                    "code_version": record.code_version,
                },
            }
        )
    if as_json:
        render.print_json(rows)
        return
    render.print_table(
        f"{len(rows)} asset{'' if len(rows) == 1 else 's'}",
        ["asset", "group", "upstream", "status", "last materialized"],
        [
            [row["key"], row["group"], ", ".join(row["upstream"]) or "-", row["status"], _last(row)]
            for row in rows
        ],
    )


def _partition_statuses(
    partitioned: dict[AssetKey, PartitionsDefinition], now: datetime
) -> dict[AssetKey, PartitionStatusSubsets]:
    """The partition status of the partitioned assets listed, through ``SqlStorage``
    (status kept as ranges is brought up to date as it is read)."""
    if not partitioned:
        return {}
    from assetgraph.status.partitions import partition_statuses
    from assetgraph.storage.instance import Instance

    return partition_statuses(partitioned, Instance.from_env().storage, now)


def _partition_counts(pdef: Any, status: PartitionStatusSubsets) -> dict[str, Any]:
    """Materialized (ever) / failed (latest attempt) / missing (never materialized)
    partitions, out of those that exist now."""
    return {
        "definition": repr(pdef),
        "total": len(status.existing),
        "materialized": len(status.materialized),
        "failed": len(status.failed),
        "missing": len(status.unmaterialized),
    }


def _last(row: dict[str, Any]) -> str:
    parts = row["partitions"]
    if parts is not None:
        text = f"{parts['materialized']}/{parts['total']} partitions"
        if parts["failed"]:
            text += f", {parts['failed']} failed"
        return text
    last = row["last_materialization"]
    if last is None:
        return "never"
    run = f"run {last['run_id'][:8]}" if last["run_id"] else "reported outside a run"
    return f"{render.ago(last['timestamp'])} ({run})"


@app.command("check")
@handle_errors
def check(
    file: FileOption = None,
    module: ModuleOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Load and validate a code location without running anything."""
    defs = load(file, module)
    graph = defs.graph
    typer.echo(
        f"OK: {len(graph.all_keys)} assets in {len(graph.groups())} group(s), "
        f"{graph.edge_count} dependencies, no cycles."
    )


@app.command("materialize")
@handle_errors
def materialize_cmd(
    file: FileOption = None,
    module: ModuleOption = None,
    select: SelectOption = None,
    exclude: ExcludeOption = None,
    job: Annotated[
        str | None,
        typer.Option(
            "--job",
            "-j",
            metavar="NAME",
            help="Run this job with its config and tags: an asset job (define_asset_job), "
            "which --select and --exclude narrow, or an op job (@job).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan and run nothing.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="YAML/JSON run config file.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", help="Run tag (repeatable).", metavar="KEY=VALUE", show_default=False
        ),
    ] = None,
    partition: PartitionOption = None,
    partition_range: PartitionRangeOption = None,
    all_partitions: AllPartitionsOption = False,
    missing: Annotated[
        bool,
        typer.Option(
            "--missing",
            help="Only partitions (and unpartitioned assets) never materialized; alone, or "
            "within --partition / --partition-range.",
        ),
    ] = False,
    stale: Annotated[
        bool,
        typer.Option(
            "--stale",
            help="Only stale partitions (see 'assetgraph status'); with --missing, missing "
            "ones too.",
        ),
    ] = False,
    executor: ExecutorOption = Executor.IN_PROCESS,
    workers: WorkersOption = None,
    dask_address: DaskAddressOption = None,
    no_wait: NoWaitOption = False,
    log_level: LogLevelOption = LogLevel.INFO,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the run's result as JSON (id, status, steps, materializations); "
            "the progress display goes to stderr.",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Show full tracebacks: of failed steps, and of errors."
        ),
    ] = False,
) -> None:
    """Materialize the selected assets (all by default) in one run.

    Partitioned assets need their partitions named: --partition, --partition-range,
    --all-partitions, --missing or --stale. Unpartitioned assets downstream of them run
    once.
    """
    from assetgraph.execution.materialize import plan_for_selection
    from assetgraph.execution.run_config import load_run_config_file
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    instance = Instance.from_env()
    execution = execution_options(executor, workers, dask_address, no_wait)
    partitions = partition_selection(partition, partition_range, all_partitions, missing, stale)
    run_config = load_run_config_file(config) if config else None
    tags = {**run_origin_tags(defs, exclude), **parse_tags(tag)}
    selection: Any = select
    checks = None  # the checks of the selected assets
    if job is None and not defs.graph.all_keys:
        from assetgraph.cli.job_runs import refuse_op_only_location

        refuse_op_only_location(defs)
    if job is not None and getattr(defs.get_job_def(job), "is_op_job", False):
        from assetgraph.cli.job_runs import report_op_job, run_op_job

        if dry_run:
            typer.echo(f"Job '{job}' runs ops: " + ", ".join(defs.get_job_def(job).op_handles))
            return
        result = run_op_job(
            defs.get_job_def(job), instance, run_config, tags, partition_keys=partitions.keys
        )
        report_op_job(result, as_json, verbose)
        return
    if job is not None:
        from assetgraph.cli.job_runs import job_run

        selection, run_config, tags, checks = job_run(
            defs, job, select, exclude, run_config, tags, partitions.keys
        )
        exclude = None  # applied by job_run
        if not defs.get_job_def(job).runs_partitions_of_assets():
            partitions = type(partitions)()  # the partition picked the job's config only
    plan = plan_for_selection(
        defs, selection, exclude, partitions, instance=instance, checks=checks
    )
    if dry_run:
        if as_json:
            render.print_json(render.plan_json(plan))
        else:
            render.print_plan(plan, render.nothing_to_do(missing, stale))
        return
    if not plan:
        from assetgraph.storage.coordination import reconcile_runs

        reconcile_runs(instance.storage)  # as a run would: report runs that died
        if as_json:
            render.print_json(
                {
                    "run_id": None,
                    "status": "nothing_to_do",
                    "success": True,
                    "steps": [],
                    "materializations": [],
                }
            )
        else:
            typer.echo(render.nothing_to_do(missing, stale))
        return
    selection_text = " ".join(selection) if job is not None else select or "*"
    if job is not None and not selection:
        selection_text = " ".join(sorted(key.to_user_string() for key in checks or ()))
    run_and_report(
        defs,
        plan,
        instance,
        run_config,
        tags,
        selection_text,
        execution,
        log_level=log_level,
        verbose=verbose,
        as_json=as_json,
    )
