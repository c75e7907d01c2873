"""``assetgraph automate``: the automation daemon, one tick, its history, and why."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
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
        float, typer.Option("--interval", help="Seconds between ticks of the daemon.", min=0.0)
    ] = 30.0,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Run one tick as if it were this time (ISO 8601; for tests and replay).",
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
            help="How far back to fill missing partitions when automation starts or resumes "
            "(default: the latest window only).",
            show_default=False,
        ),
    ] = None,
    run_grouping: Annotated[
        str,
        typer.Option(
            "--run-grouping", help="'partitions_set' (one run per partitions set) or 'tick'."
        ),
    ] = "partitions_set",
    launcher: Annotated[
        str | None,
        typer.Option(
            "--launcher",
            help="'in-process' (wait for each run) or 'subprocess' (background runs); default: "
            "in-process for one tick, subprocess for the daemon.",
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
        return
    from datetime import timedelta

    from assetgraph.automation.daemon import AutomationDaemon
    from assetgraph.automation.evaluator import EvaluationSettings
    from assetgraph.errors import UsageError
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    instance = Instance.from_env()
    tick_time = _parse_now(now) if now else None
    single = once or tick_time is not None or dry_run
    if run_grouping not in ("partitions_set", "tick"):
        raise UsageError(
            f"--run-grouping must be 'partitions_set' or 'tick', got {run_grouping!r}."
        )
    settings = EvaluationSettings(
        catch_up=None if catch_up is None else timedelta(minutes=catch_up),
        run_grouping=run_grouping,
    )
    daemon = AutomationDaemon(
        defs,
        instance,
        launcher=_launcher(launcher or ("in-process" if single else "subprocess"), defs, instance),
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


@automate_app.command("history")
@handle_errors
def history(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many ticks.", min=1)] = 20,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """The latest automation ticks: when, status, runs launched, errors."""
    from assetgraph.storage.automation_store import AutomationStore
    from assetgraph.storage.instance import Instance

    ticks = AutomationStore(Instance.from_env().storage).list_ticks(limit)
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
    asset: Annotated[str, typer.Argument(help="The asset key, e.g. daily_summary or a/b.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many recent ticks.", min=1)] = 5,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Why ASSET was or was not requested on the latest ticks."""
    from assetgraph.keys import AssetKey
    from assetgraph.storage.automation_store import AutomationStore
    from assetgraph.storage.instance import Instance

    name = AssetKey.from_user(asset).to_string()
    store = AutomationStore(Instance.from_env().storage)
    ticks = store.list_ticks(limit)
    rows = []
    for tick in ticks:
        entry = tick.payload.get("assets", {}).get(name)
        runs = [r for r in tick.payload.get("runs", []) if name in (r.get("targets") or {})]
        rows.append(
            {
                "tick_id": tick.tick_id,
                "evaluated_at": _iso(tick.evaluated_at),
                "evaluated": entry is not None,
                "requested": None if entry is None else entry.get("requested"),
                "reasons": [] if entry is None else entry.get("reasons", []),
                "skipped": [] if entry is None else entry.get("skipped", []),
                "runs": [r.get("run_id") or r.get("request_id") for r in runs],
                "condition": None
                if entry is None
                else _full_condition(store, name, entry.get("condition")),
            }
        )
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


def _full_condition(store: Any, name: str, recorded: dict[str, Any] | None) -> Any:
    """A recorded condition tree; one stored as "same as the tick at T" is read from there."""
    if not recorded or "same_as" not in recorded:
        return recorded
    holder = store.latest_tick_evaluated_at(recorded["same_as"])
    found = None if holder is None else holder.payload.get("assets", {}).get(name, {})
    tree = None if found is None else found.get("condition")
    if not tree or "tree" not in tree:
        return {**recorded, "missing": "the tick that recorded it is no longer kept"}
    return {**tree, "initial": False, "same_as": recorded["same_as"]}


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


def _launcher(kind: str, defs: Any, instance: Any) -> Any:
    from assetgraph.automation.runs import InProcessLauncher, SubprocessLauncher
    from assetgraph.errors import UsageError

    if kind == "in-process":
        return InProcessLauncher(defs, instance)
    if kind == "subprocess":
        return SubprocessLauncher(defs, instance)
    raise UsageError(f"--launcher must be 'in-process' or 'subprocess', got {kind!r}.")


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
    if brief:
        return
    for name, entry in outcome.payload.get("assets", {}).items():
        requested = entry.get("requested")
        if requested is None and not entry.get("skipped"):
            continue
        what = (
            "requested " + (", ".join(requested) or "")
            if requested is not None
            else "not requested"
        )
        typer.echo(f"  {name}: {what.strip()}")
        for reason in entry.get("reasons", []):
            typer.echo(f"      because  {reason}")
        for note in entry.get("skipped", []):
            typer.echo(f"      but      {note}")
    for section in ("schedules", "sensors"):
        for name, note in outcome.payload.get(section, {}).items():
            typer.echo(f"  {name}: {note}")
