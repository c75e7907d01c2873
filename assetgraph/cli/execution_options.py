"""Options that say how a run executes, and running a plan with a progress display."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Annotated, Any

import typer

ORIGIN_TAG = "assetgraph/code_location"
EXCLUDE_TAG = "assetgraph/exclude"

ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        "-e",
        help="Where steps run: in_process, multiprocess (--workers processes) or dask.",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        help="Worker processes (implies --executor multiprocess unless dask); default: cores.",
        show_default=False,
    ),
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        help="Dask scheduler, e.g. tcp://scheduler:8786 (implies --executor dask); without "
        "it the dask executor starts a local cluster.",
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
    executor: str, workers: int | None, dask_address: str | None, no_wait: bool
) -> Any:
    """The ``ExecutionOptions`` the options describe (``--workers`` alone means multiprocess,
    ``--dask-address`` means dask)."""
    from assetgraph.execution.materialize import ExecutionOptions

    if dask_address and executor == "in_process":
        executor = "dask"
    elif workers is not None and executor == "in_process":
        executor = "multiprocess"
    return ExecutionOptions(executor, workers, dask_address, no_wait)


def run_origin_tags(defs: Any, exclude: str | None) -> dict[str, str]:
    """Tags that let ``runs reexecute`` find the code location and the selection again."""
    tags: dict[str, str] = {}
    if defs.origin is not None:
        kind, value = defs.origin
        tags[ORIGIN_TAG] = f"{kind}:{value}"
    if exclude:
        tags[EXCLUDE_TAG] = exclude
    return tags


def run_and_report(
    defs: Any,
    plan: Any,
    instance: Any,
    run_config: Mapping[str, Any] | None,
    tags: Mapping[str, str],
    selection_text: str,
    execution: Any,
) -> None:
    """Run ``plan`` with a live progress display, print the outcome, exit 1 on failure."""
    from assetgraph.cli.progress import RunProgress
    from assetgraph.execution.materialize import execute_plan

    with RunProgress(len(plan)) as progress:
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
    if len(failed) > 20:
        print(f"... and {len(failed) - 20} more failed step(s)", file=sys.stderr)
    print(
        f"Run {result.run_id} failed: {len(failed)} failed, {skipped} skipped, {succeeded} "
        f"succeeded. Full tracebacks: assetgraph runs show {result.run_id[:8]}",
        file=sys.stderr,
    )
    raise typer.Exit(1)
