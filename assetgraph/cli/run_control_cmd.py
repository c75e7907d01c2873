"""``assetgraph runs cancel``, ``runs reexecute`` and ``assetgraph logs``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assetgraph.cli.app import (
    FileOption,
    JsonOption,
    ModuleOption,
    VerboseOption,
    app,
    handle_errors,
    load,
    runs_app,
)
from assetgraph.cli.execution_options import (
    ORIGIN_TAG,
    DaskAddressOption,
    Executor,
    ExecutorOption,
    LogLevel,
    LogLevelOption,
    NoWaitOption,
    WorkersOption,
    execution_options,
    run_and_report,
)

if TYPE_CHECKING:
    from assetgraph.storage.interface import CoordinationStore
    from assetgraph.storage.records import RunRecord

RunIdArgument = Annotated[
    str,
    typer.Argument(help="Run id, or a unique prefix of at least 4 characters.", metavar="RUN_ID"),
]


def find_run(storage: CoordinationStore, run_id: str) -> RunRecord:
    """The run ``run_id`` names (an id or a unique prefix), after runs that died are
    marked failed."""
    from assetgraph.errors import RunNotFoundError
    from assetgraph.storage.coordination import reconcile_runs

    reconcile_runs(storage)
    run = storage.get_run(run_id)
    if run is None:
        raise RunNotFoundError(_not_found(run_id))
    return run


def _not_found(run_id: str) -> str:
    """Why no run matched ``run_id``: too short a prefix, or no such run."""
    if len(run_id) < 4:
        return (
            f"No run '{run_id}': a run id prefix needs 4 or more characters "
            "(see 'assetgraph runs list')."
        )
    return f"No run '{run_id}': see 'assetgraph runs list'."


@runs_app.command("cancel")
@handle_errors
def cancel(
    run_id: RunIdArgument,
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for the run to stop.", metavar="SECONDS"),
    ] = 30.0,
    verbose: VerboseOption = False,
) -> None:
    """Cancel a run: launch nothing more, stop running steps, mark it canceled."""
    from assetgraph.errors import UsageError
    from assetgraph.storage.coordination import request_cancel
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.records import RunStatus

    storage = Instance.from_env().storage
    run = find_run(storage, run_id)
    if run.status.is_finished:
        raise UsageError(f"Run {run.run_id} already finished ({run.status.value}).")
    request_cancel(storage, run.run_id)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        current = find_run(storage, run.run_id)
        if current.status.is_finished:
            typer.echo(f"Run {run.run_id} is {current.status.value}.")
            return
        time.sleep(0.2)
    if run.pid is None:  # nobody runs it (still queued): cancel it directly
        storage.update_run(run.run_id, status=RunStatus.CANCELED, ended_at=time.time())
        typer.echo(f"Run {run.run_id} is canceled.")
        return
    typer.echo(
        f"Cancel requested for run {run.run_id}; it stops at its next heartbeat "
        f"(check with 'assetgraph runs show {run.run_id[:8]}')."
    )


@runs_app.command("reexecute")
@handle_errors
def reexecute(
    run_id: RunIdArgument,
    from_failure: Annotated[
        bool,
        typer.Option(
            "--from-failure",
            help="Only the steps that failed, were skipped or never ran (default: all).",
        ),
    ] = False,
    file: FileOption = None,
    module: ModuleOption = None,
    executor: ExecutorOption = Executor.IN_PROCESS,
    workers: WorkersOption = None,
    dask_address: DaskAddressOption = None,
    no_wait: NoWaitOption = False,
    log_level: LogLevelOption = LogLevel.INFO,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run a past run again: exactly the partitions it built, with its run config (as a
    new run).

    The code location is the one the run used, unless -f / -m says otherwise.
    """
    from assetgraph.execution.reexecution import plan_reexecution, reexecution_tags
    from assetgraph.storage.instance import Instance

    instance = Instance.from_env()
    run = find_run(instance.storage, run_id)
    if file is None and module is None and ORIGIN_TAG in run.tags:
        kind, _, value = run.tags[ORIGIN_TAG].partition(":")
        file, module = (Path(value), None) if kind == "file" else (None, value)
    defs = load(file, module)
    plan = plan_reexecution(defs, run, instance, from_failure=from_failure)
    if not plan:
        typer.echo(f"Nothing to re-execute: every step of run {run.run_id[:8]} succeeded.")
        return
    execution = execution_options(executor, workers, dask_address, no_wait)
    tags = reexecution_tags(run)
    run_and_report(
        defs,
        plan,
        instance,
        run.run_config,
        tags,
        run.selection,
        execution,
        log_level=log_level,
        verbose=verbose,
        as_json=as_json,
    )


@app.command("logs")
@handle_errors
def logs(
    run_id: RunIdArgument,
    step: Annotated[
        str | None,
        typer.Option(
            "--step", help="Only this step's logs (its key).", metavar="STEP", show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Print a run's logs: context.log messages and what steps printed (stdout, stderr)."""
    from assetgraph.errors import UsageError
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.records import EventType

    storage = Instance.from_env().storage
    run = find_run(storage, run_id)
    events = storage.events_for_run(run.run_id, event_types=[EventType.LOG])
    if step is not None:
        steps = {e.step_key for e in events}
        events = [e for e in events if e.step_key == step]
        if not events and step not in steps:
            from assetgraph.errors import did_you_mean

            raise UsageError(
                f"Run {run.run_id[:8]} has no logs for step '{step}'."
                + did_you_mean(step, [s for s in steps if s])
            )
    if as_json:
        from assetgraph.cli import render

        render.print_json(
            [
                {
                    "step_key": e.step_key,
                    "level": e.payload.get("level", "INFO"),
                    "timestamp": e.timestamp,
                    "message": e.message,
                }
                for e in events
            ]
        )
        return
    if not events:
        typer.echo(
            f"Run {run.run_id[:8]} ({run.status.value}) has no logs: its steps neither called "
            "context.log nor printed anything."
        )
        return
    for event in events:
        level = event.payload.get("level", "INFO")
        for line in (event.message or "").splitlines() or [""]:
            typer.echo(f"[{event.step_key}] {level}: {line}")
