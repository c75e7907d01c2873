"""``assetgraph runs list`` and ``runs show``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import JsonOption, VerboseOption, handle_errors, parse_tags, runs_app


class RunStatusChoice(StrEnum):
    """The values of ``RunStatus`` (storage.records), as ``--status`` choices; kept here so
    that ``--help`` loads no storage module (a test keeps the two equal)."""

    QUEUED = "queued"
    STARTED = "started"
    SUCCESS = "success"
    FAILURE = "failure"
    CANCELED = "canceled"


@runs_app.command("list")
@handle_errors
def list_runs(
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Show at most this many runs.", metavar="N")
    ] = 20,
    status: Annotated[
        list[RunStatusChoice] | None,
        typer.Option(
            "--status",
            help="Only runs with this status (repeatable).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            help="Only runs with this tag (repeatable).",
            metavar="KEY=VALUE",
            show_default=False,
        ),
    ] = None,
    show_tags: Annotated[
        bool,
        typer.Option("--tags", help="Show every tag of each run, assetgraph's own included."),
    ] = False,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """List recent runs, newest first: what each built, who launched it, how it ended."""
    from assetgraph.errors import UsageError
    from assetgraph.storage.coordination import reconcile_runs
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.records import RunStatus

    if limit < 1:
        raise UsageError(f"Invalid --limit {limit}: show at least 1 run (e.g. -n 20).")
    statuses = [RunStatus(s.value) for s in status] if status else None
    storage = Instance.from_env().storage
    reconcile_runs(storage)  # a run whose process died shows as failed, with the reason
    runs = storage.list_runs(limit=limit, statuses=statuses, tags=parse_tags(tag))
    if as_json:
        render.print_json([_run_json(run) for run in runs])
        return
    if not runs:
        wanted = " with that status or tag" if status or tag else ""
        typer.echo(f"No runs{wanted} yet: 'assetgraph materialize' starts one.")
        return
    columns = ["run", "status", "launched by", "started", "duration", "selection", "partitions"]
    rows = [
        [
            run.run_id[:8],
            run.status.value,
            launched_by(run.tags),
            render.timestamp_text(run.started_at or run.created_at),
            render.duration(run.duration),
            run.selection,
            _partitions_text(run) or "-",
        ]
        for run in runs
    ]
    tags = [_tags_text(run.tags, internal=show_tags) for run in runs]
    if any(tags):  # the user's own tags; assetgraph's too with --tags
        columns.append("tags")
        for row, text in zip(rows, tags, strict=True):
            row.append(text or "-")
    render.print_table(f"{len(runs)} run(s)", columns, rows)


def launched_by(tags: dict[str, str]) -> str:
    """Who started a run, from the tags the launcher put on it: the CLI, the UI, an
    automation tick, a schedule, a sensor, a backfill, a re-execution, or Python code."""
    from assetgraph.automation.tags import ORIGIN_TAG as AUTOMATION_ORIGIN, TICK_TAG

    parent = tags.get(PARENT_RUN_TAG)
    if parent:
        return f"re-execution of {parent[:8]}"
    if UI_REQUEST_TAG in tags:
        return "UI"
    for backfill_tag in BACKFILL_TAGS:
        if backfill_tag in tags:
            return f"backfill {tags[backfill_tag]}"
    origin = tags.get(AUTOMATION_ORIGIN)
    if origin:
        kind, _, name = origin.partition(":")
        if kind in ("schedule", "sensor") and name:
            return f"{kind} {name}"
        tick = tags.get(TICK_TAG)
        return f"automation tick {tick}" if tick else "automation"
    if CODE_LOCATION_TAG in tags:
        return "CLI"
    return "Python"


PARENT_RUN_TAG = "assetgraph/parent_run"
"""execution.reexecution.PARENT_RUN_TAG, named here so that ``--help`` imports no planning."""
UI_REQUEST_TAG = "assetgraph/ui_request"
"""ui.launcher.REQUEST_TAG (that module imports the web stack)."""
BACKFILL_TAGS = ("assetgraph/backfill", "dagster/backfill")
"""The tag a backfill puts on its runs (Dagster's name, and ours)."""
CODE_LOCATION_TAG = "assetgraph/code_location"
"""cli.execution_options.ORIGIN_TAG: the CLI names the code location of every run it starts."""


@runs_app.command("show")
@handle_errors
def show_run(
    run_id: Annotated[
        str, typer.Argument(help="Run id, or a unique prefix of at least 4 characters.")
    ],
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Show a run: its steps, materializations, asset checks, logs and error tracebacks."""
    from assetgraph.cli.run_control_cmd import find_run
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.records import EventType

    storage = Instance.from_env().storage
    run = find_run(storage, run_id)
    events = storage.events_for_run(run.run_id)
    if as_json:
        render.print_json({**_run_json(run), "events": [_event_json(event) for event in events]})
        return
    typer.echo(f"Run {run.run_id}  {run.status.value}")
    typer.echo(f"  selection: {run.selection}")
    typer.echo(
        f"  started:   {render.timestamp_text(run.started_at)}"
        f"   duration: {render.duration(run.duration)}"
    )
    partitions = _partitions_text(run)
    if partitions:
        typer.echo(f"  partitions: {partitions}")
    typer.echo(f"  launched by: {launched_by(run.tags)}")
    if _tags_text(run.tags, internal=True):
        typer.echo("  tags:      " + _tags_text(run.tags, internal=True))
    if run.error:
        typer.echo(f"  error:     {run.error}")
    steps: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.step_key is None:
            continue
        step = steps.setdefault(
            event.step_key, {"status": "running", "duration": None, "assets": []}
        )
        if event.event_type is EventType.STEP_SUCCESS:
            step.update(status="success", duration=event.payload.get("duration"))
        elif event.event_type is EventType.STEP_FAILURE:
            step.update(status="failure", duration=event.payload.get("duration"))
        elif event.event_type is EventType.STEP_SKIPPED:
            step.update(status="skipped", reason=event.message)
        elif event.event_type is EventType.ASSET_MATERIALIZATION:
            step["assets"].append(event)
    render.print_table(
        None,
        ["step", "status", "duration", "materialized"],
        [
            [
                key,
                step["status"],
                render.duration(step["duration"]),
                ", ".join(_materialization_text(e) for e in step["assets"])
                or step.get("reason", "-"),
            ]
            for key, step in steps.items()
        ],
    )
    _print_metadata([e for e in events if e.event_type is EventType.ASSET_MATERIALIZATION])
    _print_checks([e for e in events if e.event_type is EventType.ASSET_CHECK_EVALUATION])
    observations = [e for e in events if e.event_type is EventType.RUNTIME_OBSERVATION]
    _print_metadata(observations, "Observations (AssetObservation)", hidden=set())
    for event in events:
        if event.event_type is EventType.LOG:
            typer.echo(f"[{event.step_key}] {event.payload.get('level', 'INFO')}: {event.message}")
    for event in events:
        if event.event_type is EventType.STEP_FAILURE:
            error = event.payload.get("error", {})
            typer.echo(f"\nStep '{event.step_key}' failed: {event.message}")
            typer.echo(error.get("traceback", "").rstrip())


def _print_checks(events: list[Any]) -> None:
    """One line per check evaluation, then pandera's failure cases under a failed schema."""
    if not events:
        return
    typer.echo("\nAsset checks:")
    for event in events:
        payload = event.payload
        if payload.get("passed"):
            result = "passed"
        elif payload.get("blocking") and payload.get("severity", "ERROR") == "ERROR":
            result = "FAILED"
        else:
            result = "WARNING"
        partitions = payload.get("partition_keys") or []
        where = ""
        if len(partitions) == 1:
            where = f"[{partitions[0]}]"
        elif partitions:
            where = f"[{partitions[0]}...{partitions[-1]}]"
        mode = "blocking" if payload.get("blocking") else "non-blocking"
        name = payload.get("check_name")
        if name == "pandera_schema":
            name = f"schema {payload.get('metadata', {}).get('schema', '')}".rstrip()
        text = f"  {result:<8} {event.asset_key}{where} {name} ({mode})"
        if not payload.get("passed") and payload.get("description"):
            text += f": {payload['description']}"
        typer.echo(text)
        metadata = {k: v for k, v in payload.get("metadata", {}).items() if k != "schema"}
        if metadata:
            from assetgraph.definitions.metadata import render_text

            typer.echo(
                "           metadata: "
                + ", ".join(f"{k}={render_text(v)}" for k, v in metadata.items())
            )
        for case in (payload.get("failure_cases") or {}).get("cases", []):
            values = ", ".join(repr(v) for v in case.get("values", []))
            typer.echo(
                f"           column {case.get('column') or '-'}: {case.get('check')}: "
                f"{case.get('count')} failing, e.g. {values}"
            )


MAX_METADATA_SHOWN = 20
"""How many materializations' metadata ``runs show`` prints (the rest are counted)."""

_SHOWN_ELSEWHERE = {"row_count", "column_schema"}


def _print_metadata(
    events: list[Any], title: str = "Metadata", hidden: set[str] = _SHOWN_ELSEWHERE
) -> None:
    """Each materialization's (or observation's) metadata, one entry a line, rendered by
    its type."""
    from assetgraph.definitions.metadata import metadata_type, render_text

    with_metadata = [e for e in events if set(e.payload.get("metadata") or {}) - hidden]
    if not with_metadata:
        return
    typer.echo(f"\n{title}:")
    for event in with_metadata[:MAX_METADATA_SHOWN]:
        where = f"[{event.partition_key}]" if event.partition_key else ""
        about = f" ({event.payload['description']})" if event.payload.get("description") else ""
        typer.echo(f"  {event.asset_key}{where}{about}")
        for name, value in event.payload["metadata"].items():
            if name in hidden:
                continue
            kind = metadata_type(value)
            lines = render_text(value).splitlines() or [""]
            typer.echo(f"    {name} ({kind}): {lines[0]}")
            for line in lines[1:]:
                typer.echo(f"      {line}")
    if len(with_metadata) > MAX_METADATA_SHOWN:
        typer.echo(f"  ... and {len(with_metadata) - MAX_METADATA_SHOWN} more")


def _materialization_text(event: Any) -> str:
    metadata = event.payload.get("metadata", {})
    rows = f" ({metadata['row_count']} rows)" if "row_count" in metadata else ""
    return f"{event.asset_key}{rows}"


INTERNAL_TAG_PREFIXES = ("assetgraph/",)
"""Tags assetgraph sets for itself (launcher, code location, targets, partitions): shown
only with ``--tags`` or ``--json``."""


def _tags_text(tags: dict[str, str], internal: bool = False) -> str:
    """The tags as ``k=v`` words, but for the targets (shown as partitions); assetgraph's
    own only when ``internal``."""
    from assetgraph.planning.targets import TARGETS_TAG

    return " ".join(
        f"{k}={v}"
        for k, v in tags.items()
        if k != TARGETS_TAG and (internal or not k.startswith(INTERNAL_TAG_PREFIXES))
    )


def _run_json(run: Any) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "status": run.status.value,
        "launched_by": launched_by(run.tags),
        "created_at": run.created_at,
        "started_at": run.started_at,
        "ended_at": run.ended_at,
        "duration": run.duration,
        "selection": run.selection,
        "asset_keys": list(run.asset_keys),
        "partitions": _partitions_text(run),
        "targets": _plain_targets(run),
        "tags": run.tags,
        "error": run.error,
    }


def _event_json(event: Any) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type.value,
        "timestamp": event.timestamp,
        "step_key": event.step_key,
        "asset_key": event.asset_key,
        "partition_key": event.partition_key,
        "message": event.message,
        "payload": event.payload,
    }


def _partitions_text(run: Any) -> str | None:
    # Imported when used: planning pulls in the partitions package, too much for --help.
    from assetgraph.planning.targets import describe_run_partitions

    return describe_run_partitions(run)


def _plain_targets(run: Any) -> Any:
    from assetgraph.planning.targets import plain_run_targets

    return plain_run_targets(run)
