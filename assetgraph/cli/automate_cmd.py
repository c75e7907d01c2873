"""``assetgraph automate``: the automation daemon, one tick, its history, and why."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import (
    FileOption,
    JsonOption,
    ModuleOption,
    VerboseOption,
    app,
    handle_errors,
    load,
)


class RunGrouping(StrEnum):
    """How one tick's requests become runs (``--run-grouping``)."""

    PARTITIONS_SET = "partitions-set"
    TICK = "tick"


class LauncherKind(StrEnum):
    """How the daemon starts the runs it launches (``--launcher``)."""

    IN_PROCESS = "in-process"
    SUBPROCESS = "subprocess"


automate_app = typer.Typer(
    help="Keep assets fresh: evaluate automation and freshness policies, schedules and "
    "sensors, and launch the runs they need.",
    invoke_without_command=True,
)
app.add_typer(automate_app, name="automate")


@automate_app.callback(invoke_without_command=True)
@handle_errors
def automate(
    ctx: typer.Context,
    file: FileOption = None,
    module: ModuleOption = None,
    once: Annotated[bool, typer.Option("--once", help="Run one tick, then exit.")] = False,
    interval: Annotated[
        float,
        typer.Option(
            "--interval", help="Seconds between ticks of the daemon.", min=0.0, metavar="SECONDS"
        ),
    ] = 30.0,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Run one tick as if it were this time (ISO 8601; for tests and replay).",
            metavar="TIME",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print what one tick would launch and why; launch nothing."),
    ] = False,
    catch_up: Annotated[
        float | None,
        typer.Option(
            "--catch-up-minutes",
            help="For policies with catch_up='latest': how far back to fill missing partitions "
            "when automation starts or resumes (default: the latest window only). Other eager "
            "policies fill every missing partition since the start date.",
            metavar="MINUTES",
            show_default=False,
        ),
    ] = None,
    run_grouping: Annotated[
        RunGrouping,
        typer.Option(
            "--run-grouping",
            help="One run per set of partitions that run together, or one run per tick.",
            case_sensitive=False,
        ),
    ] = RunGrouping.PARTITIONS_SET,
    launcher: Annotated[
        LauncherKind | None,
        typer.Option(
            "--launcher",
            help="in-process (wait for each run) or subprocess (background runs); default: "
            "in-process for one tick, subprocess for the daemon.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Evaluate policies, schedules and sensors every --interval seconds and launch runs.

    Holds a lease in the metadata database so that only one daemon evaluates at a time.
    With --once or --now, runs a single tick; with --dry-run, prints what it would do.
    """
    if ctx.invoked_subcommand is not None:
        # ``automate -f defs.py why ASSET``: the subcommand uses this code location unless it
        # names its own.
        ctx.obj = (file, module)
        return
    from datetime import timedelta

    from assetgraph.automation.daemon import AutomationDaemon
    from assetgraph.automation.evaluator import EvaluationSettings
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    instance = Instance.from_env()
    tick_time = _parse_now(now) if now else None
    single = once or tick_time is not None or dry_run
    settings = EvaluationSettings(
        catch_up=None if catch_up is None else timedelta(minutes=catch_up),
        run_grouping=RunGrouping(run_grouping).value.replace("-", "_"),
    )
    kind = launcher or (LauncherKind.IN_PROCESS if single else LauncherKind.SUBPROCESS)
    daemon = AutomationDaemon(
        defs,
        instance,
        launcher=_launcher(LauncherKind(kind), defs, instance),
        settings=settings,
        interval=interval,
    )
    if single:
        try:
            outcome = daemon.tick(tick_time, dry_run=dry_run)
        finally:
            if not dry_run:
                daemon.release()
        if outcome is None:
            typer.echo(
                f"Another daemon holds the automation lease ({daemon.other_holder}); no tick run."
            )
            return
        _print_outcome(outcome, as_json)
        if outcome.status == "failure":
            raise typer.Exit(1)
        return
    typer.echo(f"assetgraph automate: ticking every {interval:g} s (Ctrl-C to stop)")

    def report(outcome: Any) -> None:
        if outcome is None:
            typer.echo(f"waiting: another daemon holds the lease ({daemon.other_holder})")
        else:
            _print_outcome(outcome, as_json, brief=True)

    try:
        daemon.run(on_tick=report)
    except KeyboardInterrupt:
        typer.echo("stopped")


def _parent_location(
    ctx: typer.Context, file: Path | None, module: str | None
) -> tuple[Path | None, str | None]:
    """The subcommand's own ``-f`` / ``-m``, else the ones given to ``automate``."""
    if file is not None or module is not None:
        return file, module
    parent = ctx.obj if isinstance(ctx.obj, tuple) else (None, None)
    return parent[0], parent[1]


def _given_location(file: Path | None, module: str | None) -> Any:
    """The code location named by ``-f`` / ``-m`` or pyproject.toml, or None when there is
    none (the tick history is in the database and needs none)."""
    from assetgraph.definitions.code_location import configured_location

    if file is None and module is None and configured_location() is None:
        return None
    return load(file, module)


@automate_app.command("history")
@handle_errors
def history(
    ctx: typer.Context,
    file: FileOption = None,
    module: ModuleOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="How many ticks.", min=1, metavar="N")
    ] = 20,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """The latest automation ticks: when, status, runs launched, errors.

    With a code location, only the ticks that evaluated one of its assets.
    """
    from assetgraph.storage.automation_store import AutomationStore
    from assetgraph.storage.instance import Instance

    defs = _given_location(*_parent_location(ctx, file, module))
    ticks = AutomationStore(Instance.from_env().storage).list_ticks(limit)
    if defs is not None:
        names = {key.to_string() for key in defs.graph.all_keys}
        ticks = [t for t in ticks if names & set(t.payload.get("assets", {}))]
    rows = [
        {
            "tick_id": t.tick_id,
            "evaluated_at": _iso(t.evaluated_at),
            "status": t.status,
            "runs": t.payload.get("runs", []),
            "requested_assets": sum(
                1 for a in t.payload.get("assets", {}).values() if a.get("requested") is not None
            ),
            "errors": t.payload.get("errors", []),
            "freshness_changes": t.payload.get("freshness_changes", []),
        }
        for t in ticks
    ]
    if as_json:
        render.print_json(rows)
        return
    if not rows:
        typer.echo("No automation ticks yet: run 'assetgraph automate'.")
        return
    render.print_table(
        None,
        ["tick", "time", "status", "runs", "errors"],
        [
            [
                str(row["tick_id"]),
                row["evaluated_at"],
                row["status"],
                "; ".join(_run_text(run) for run in row["runs"]) or "-",
                "; ".join(row["errors"]) or "-",
            ]
            for row in rows
        ],
    )


@automate_app.command("why")
@handle_errors
def why(
    ctx: typer.Context,
    asset: Annotated[
        str, typer.Argument(help="The asset key, e.g. daily_summary or a/b.", metavar="ASSET")
    ],
    partition: Annotated[
        str | None,
        typer.Option(
            "--partition",
            "-p",
            help="Only what concerns this partition: what it waits for, why it was (not) "
            "requested. Reads the definitions (-f/-m or pyproject.toml).",
            metavar="KEY",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
    module: ModuleOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="How many recent ticks.", min=1, metavar="N")
    ] = 5,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Why ASSET (or one --partition of it) was or was not requested on the latest ticks.

    With a code location, ASSET is checked against its assets first.
    """
    from assetgraph.automation.why import full_condition, why_rows
    from assetgraph.keys import AssetKey
    from assetgraph.storage.automation_store import AutomationStore
    from assetgraph.storage.instance import Instance

    file, module = _parent_location(ctx, file, module)
    defs = load(file, module) if partition is not None else _given_location(file, module)
    if defs is not None:
        name = defs.graph.find(asset).to_string()  # an unknown name: "did you mean"
    else:
        name = AssetKey.from_user(asset).to_string()
    store = AutomationStore(Instance.from_env().storage)
    rows = why_rows(store, asset, limit=limit, partition=partition, defs=defs)
    for row in rows:
        recorded = row.get("condition")
        row["condition"] = None if recorded is None else full_condition(store, name, recorded)
    if as_json:
        render.print_json(rows)
        return
    if not rows:
        typer.echo("No automation ticks yet: run 'assetgraph automate'.")
        return
    for row in rows:
        head = f"tick {row['tick_id']} at {row['evaluated_at']}: "
        if not row["evaluated"]:
            typer.echo(head + "not evaluated (nothing it depends on changed)")
            continue
        if row["requested"] is not None:
            parts = ", ".join(row["requested"])  # empty for an unpartitioned asset
            typer.echo(
                head
                + ("requested " + parts if parts else "requested")
                + (f" in {', '.join(row['runs'])}" if row["runs"] else "")
            )
        else:
            typer.echo(head + "not requested")
        for reason in row["reasons"]:
            typer.echo(f"  because  {reason}")
        for note in row["skipped"]:
            typer.echo(f"  but      {note}")
        if row["condition"]:
            for line in condition_tree_lines(row["condition"]):
                typer.echo(f"  {line}")
        if partition is not None and not (row["requested"] or row["reasons"] or row["skipped"]):
            typer.echo(f"  nothing recorded for {partition}: it was neither missing nor behind")


@automate_app.command("launch-run", hidden=True)
@handle_errors
def launch_run(
    file: FileOption = None,
    module: ModuleOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Run one automation request read as JSON from stdin (used by the daemon)."""
    from assetgraph.automation.runs import execute_request
    from assetgraph.storage.instance import Instance

    payload = json.loads(sys.stdin.read())
    defs = load(file, module)
    run_id = execute_request(defs, Instance.from_env(), payload)
    typer.echo(f"run {run_id} for request {payload['request_id']}")


def condition_tree_lines(recorded: dict[str, Any]) -> list[str]:
    """An evaluated ``AutomationCondition`` tree as indented lines, one per node: true or
    false, with how many partitions it holds for (as Dagster's evaluation view)."""
    note = " (initial evaluation)" if recorded.get("initial") else ""
    if "same_as" in recorded:
        note = f" (unchanged since the tick at {_iso(float(recorded['same_as']))})"
    if "tree" not in recorded:
        return [f"condition{note}: not shown, {recorded.get('missing', 'not recorded')}"]
    lines = [f"condition{note}:"]

    def walk(node: dict[str, Any], depth: int) -> None:
        true, total = int(node.get("true", 0)), int(node.get("total", 0))
        name = node.get("label") or node.get("name", "?")
        if node.get("label") and node.get("name") not in (None, node["label"]):
            name += f" ({node['name']})"
        where = f" on {node['key']}" if node.get("key") else ""
        if node.get("downstream"):
            where += f" from downstream {', '.join(node['downstream'])}"
        counts = f"{true}/{total} partitions" if total != 1 else ""
        shown = f" [{node['partitions']}]" if node.get("partitions") else ""
        mark = "true " if true else "false"
        lines.append(f"{'  ' * depth}{mark} {name}{where}  {counts}{shown}".rstrip())
        for child in node.get("children", ()):
            walk(child, depth + 1)

    walk(recorded.get("tree", {}), 1)
    return lines


def _launcher(kind: LauncherKind, defs: Any, instance: Any) -> Any:
    from assetgraph.automation.runs import InProcessLauncher, SubprocessLauncher

    if kind is LauncherKind.IN_PROCESS:
        return InProcessLauncher(defs, instance)
    return SubprocessLauncher(defs, instance)


def _parse_now(text: str) -> datetime:
    from assetgraph.errors import UsageError

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"Invalid --now {text!r}: give an ISO 8601 time such as 2025-01-02T06:00:00+00:00."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).isoformat()


def _run_text(run: dict[str, Any]) -> str:
    targets = run.get("targets") or {}
    what = ", ".join(
        name if not ranges else f"{name}[{', '.join(ranges)}]" for name, ranges in targets.items()
    )
    who = (run.get("run_id") or "")[:8] or run.get("request_id", "")
    error = f" FAILED TO LAUNCH: {run['error']}" if run.get("error") else ""
    return f"{who}: {what}{error}"


def _print_outcome(outcome: Any, as_json: bool, brief: bool = False) -> None:
    payload = {"tick_id": outcome.tick_id, "status": outcome.status, **outcome.payload}
    if outcome.backfills or outcome.queue:
        payload["backfills"] = outcome.backfills
        payload["run_queue"] = outcome.queue
    if as_json:
        typer.echo(json.dumps(payload, default=str))
        return
    label = "dry run" if outcome.status == "dry_run" else f"tick {outcome.tick_id}"
    runs = outcome.payload.get("runs", [])
    verb = "would launch" if outcome.status == "dry_run" else "launched"
    typer.echo(f"{label} at {outcome.now.isoformat()}: {outcome.status}, {len(runs)} run(s) {verb}")
    for run in runs:
        typer.echo(f"  run {_run_text(run)}")
    for step in outcome.backfills:
        if step["queued"] or step["accounted"] or step["status"] != "requested":
            typer.echo(
                f"  backfill {step['backfill_id']}: {step['status']}, {len(step['queued'])} "
                f"run(s) queued, {len(step['accounted'])} ended"
            )
    if outcome.queue.get("launched") or outcome.queue.get("waiting"):
        typer.echo(
            f"  run queue: {len(outcome.queue['launched'])} launched, "
            f"{outcome.queue['waiting']} waiting"
        )
    for error in outcome.errors:
        typer.echo(f"  error: {error}")
    for change in outcome.payload.get("freshness_changes", []):
        typer.echo(
            f"  freshness {change['asset']}: {change['previous_state']} -> {change['new_state']}"
        )
    if brief:
        return
    assets = outcome.payload.get("assets", {})
    count = sum(e.get("requested_count", 0) for e in assets.values() if e.get("requested"))
    backlog = sum(e.get("missing_count", 0) for e in assets.values())
    if backlog > count:  # a catch-up that takes more than this tick: say how far it goes
        verb = "would request" if outcome.status == "dry_run" else "requested"
        typer.echo(
            f"  {verb} {count} partition(s) of "
            f"{sum(1 for e in assets.values() if e.get('requested') is not None)} asset(s); "
            f"{backlog} partition(s) missing in all (within each asset's catch-up)"
        )
    for name, entry in assets.items():
        requested = entry.get("requested")
        if requested is None and not entry.get("skipped"):
            continue
        what = "not requested" if requested is None else "requested " + ", ".join(requested)
        many, missing = entry.get("requested_count", 0), entry.get("missing_count", 0)
        if requested and missing > many:
            what += f" ({many} partitions" + (f", of {missing} missing)" if missing else ")")
        typer.echo(f"  {name}: {what.strip()}")
        for reason in entry.get("reasons", []):
            typer.echo(f"      because  {reason}")
        for note in entry.get("skipped", []):
            typer.echo(f"      but      {note}")
    for section in ("schedules", "sensors"):
        for name, note in outcome.payload.get(section, {}).items():
            typer.echo(f"  {name}: {note}")
