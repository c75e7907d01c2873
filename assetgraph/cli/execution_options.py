"""Options that say how a run executes, and running a plan with a progress display."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import typer

ORIGIN_TAG = "assetgraph/code_location"
EXCLUDE_TAG = "assetgraph/exclude"


class Executor(StrEnum):
    """Where a run's steps run (``--executor``); the library spells ``in-process`` as
    ``in_process``."""

    IN_PROCESS = "in-process"
    MULTIPROCESS = "multiprocess"
    DASK = "dask"

    @property
    def library_name(self) -> str:
        return self.value.replace("-", "_")


ExecutorOption = Annotated[
    Executor,
    typer.Option(
        "--executor",
        "-e",
        help="Where steps run: in this process, in --workers processes, or on Dask.",
        case_sensitive=False,
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        help="Worker processes (implies --executor multiprocess unless dask); default: cores.",
        metavar="N",
        show_default=False,
    ),
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        help="Dask scheduler, e.g. tcp://scheduler:8786 (implies --executor dask); without "
        "it the dask executor starts a local cluster.",
        metavar="ADDRESS",
        show_default=False,
    ),
]
NoWaitOption = Annotated[
    bool,
    typer.Option(
        "--no-wait",
        help="Fail a step at once when another run is materializing one of its partitions, "
        "naming that run, instead of waiting for it.",
    ),
]


def execution_options(
    executor: Executor, workers: int | None, dask_address: str | None, no_wait: bool
) -> Any:
    """The ``ExecutionOptions`` the options describe (``--workers`` alone means multiprocess,
    ``--dask-address`` means dask)."""
    from assetgraph.execution.materialize import ExecutionOptions

    executor = Executor(executor)
    if dask_address and executor is Executor.IN_PROCESS:
        executor = Executor.DASK
    elif workers is not None and executor is Executor.IN_PROCESS:
        executor = Executor.MULTIPROCESS
    return ExecutionOptions(executor.library_name, workers, dask_address, no_wait)


def run_origin_tags(defs: Any, exclude: str | None) -> dict[str, str]:
    """Tags that let ``runs reexecute`` find the code location and the selection again."""
    tags: dict[str, str] = {}
    if defs.origin is not None:
        kind, value = defs.origin
        tags[ORIGIN_TAG] = f"{kind}:{value}"
    if exclude:
        tags[EXCLUDE_TAG] = exclude
    return tags


class LogLevel(StrEnum):
    """The least level of ``context.log`` messages shown live (``--log-level``)."""

    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


LogLevelOption = Annotated[
    LogLevel,
    typer.Option(
        "--log-level",
        help="Show context.log messages of this level and above while steps run (all are "
        "kept in the run's log: 'assetgraph logs RUN_ID').",
        case_sensitive=False,
    ),
]


def run_and_report(
    defs: Any,
    plan: Any,
    instance: Any,
    run_config: Mapping[str, Any] | None,
    tags: Mapping[str, str],
    selection_text: str,
    execution: Any,
    *,
    log_level: LogLevel = LogLevel.INFO,
    verbose: bool = False,
    as_json: bool = False,
) -> None:
    """Run ``plan`` with a live progress display (steps' logs, as they happen, above it),
    print the outcome (as JSON with ``as_json``), exit 1 on failure."""
    import contextlib
    import logging

    from assetgraph.cli.progress import RunProgress
    from assetgraph.execution.materialize import execute_plan

    # With --json, stdout carries the result alone: the display, and what steps print, go
    # to stderr.
    with (
        contextlib.redirect_stdout(sys.stderr if as_json else sys.stdout),
        RunProgress(
            len(plan),
            log_level=logging.getLevelName(LogLevel(log_level).name),
            show_logs_of_events=execution.executor == "dask",  # no live logs from Dask workers
            file=sys.stderr if as_json else sys.stdout,
        ) as progress,
    ):
        result = execute_plan(
            defs,
            plan,
            instance=instance,
            run_config=run_config,
            tags=tags,
            selection_text=selection_text,
            on_event=progress.on_event,
            execution=execution,
        )
    if as_json:
        from assetgraph.cli import render

        render.print_json(result_json(result))
        if not result.success:
            raise typer.Exit(1)
        return
    outcomes = result.step_outcomes.values()
    succeeded = sum(o.status == "success" for o in outcomes)
    failed = [o for o in outcomes if o.status == "failure"]
    skipped = sum(o.status == "skipped" for o in outcomes)
    if result.success:
        typer.echo(f"Run {result.run_id} succeeded: {succeeded} step(s) materialized.")
        return
    if result.status == "canceled":
        print(
            f"Run {result.run_id} was canceled: {succeeded} step(s) had succeeded.",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    for outcome in failed[:20]:
        assert outcome.error is not None
        print(f"Step '{outcome.step_key}' failed: {outcome.error.summary()}", file=sys.stderr)
        if verbose and outcome.error.traceback:
            print(outcome.error.traceback.rstrip() + "\n", file=sys.stderr)
    if len(failed) > 20:
        print(f"... and {len(failed) - 20} more failed step(s)", file=sys.stderr)
    where = "" if verbose else f" Full tracebacks: assetgraph runs show {result.run_id[:8]}"
    print(
        f"Run {result.run_id} failed: {len(failed)} failed, {skipped} skipped, {succeeded} "
        f"succeeded.{where}",
        file=sys.stderr,
    )
    raise typer.Exit(1)


def result_json(result: Any) -> dict[str, Any]:
    """A run's result for ``--json``: id, status, each step, each materialization."""
    steps = [
        {
            "step_key": outcome.step_key,
            "status": str(outcome.status),
            "duration": outcome.duration,
            "error": None if outcome.error is None else outcome.error.to_payload(),
        }
        for outcome in result.step_outcomes.values()
    ]
    materializations = [
        {
            "asset_key": event.asset_key.to_string(),
            "partition": event.partition,
            "step_key": event.step_key,
        }
        for event in result.get_asset_materialization_events()
    ]
    return {
        "run_id": result.run_id,
        "status": str(result.status),
        "success": bool(result.success),
        "steps": steps,
        "materializations": materializations,
    }
