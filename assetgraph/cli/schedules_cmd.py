"""``assetgraph schedules`` and ``assetgraph sensors``: list them, start and stop them.

As in Dagster, a schedule or sensor is evaluated by ``assetgraph automate`` only while it
is running: stopped by default, running once started here (or when its definition says
``default_status=RUNNING``). The state is kept in the metadata database.
"""

from __future__ import annotations

import time
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

schedules_app = typer.Typer(help="List, start and stop schedules.", no_args_is_help=True)
sensors_app = typer.Typer(help="List, start and stop sensors.", no_args_is_help=True)
app.add_typer(schedules_app, name="schedules")
app.add_typer(sensors_app, name="sensors")

NameArgument = Annotated[str, typer.Argument(help="The schedule or sensor name.")]


def _store() -> Any:
    from assetgraph.storage.automation_store import AutomationStore
    from assetgraph.storage.instance import Instance

    return AutomationStore(Instance.from_env().storage)


def _rows(defs: Any, kind: str) -> list[dict[str, Any]]:
    from assetgraph.automation.instigators import states

    found = defs.schedules if kind == "schedule" else defs.sensors
    rows: list[dict[str, Any]] = []
    for item, state in zip(found, states(defs, _store(), kind), strict=True):
        row: dict[str, Any] = {
            "name": item.name,
            "status": state.status,
            "default_status": state.default_status,
            "set_by_user": state.stored,
        }
        if kind == "schedule":
            resolved = item.resolved_for(defs)
            crons = resolved.cron_schedules
            row["cron_schedule"] = crons[0] if len(crons) == 1 else list(crons)
            row["execution_timezone"] = resolved.timezone
        else:
            row["minimum_interval_seconds"] = item.minimum_interval_seconds
        row["job"] = item.job_name
        rows.append(row)
    return rows


def _crons(row: dict[str, Any]) -> str:
    found = row["cron_schedule"]
    return found if isinstance(found, str) else ", ".join(found)


def _list(kind: str, file: Any, module: str | None, as_json: bool) -> None:
    rows = _rows(load(file, module), kind)
    if as_json:
        render.print_json(rows)
        return
    if not rows:
        typer.echo(f"The code location has no {kind}s.")
        return
    if kind == "schedule":
        columns = ["name", "status", "cron", "timezone", "job"]
        table = [
            [r["name"], r["status"], _crons(r), r["execution_timezone"], r["job"] or ""]
            for r in rows
        ]
    else:
        columns = ["name", "status", "interval (s)", "job"]
        table = [
            [r["name"], r["status"], f"{r['minimum_interval_seconds']:g}", r["job"] or ""]
            for r in rows
        ]
    render.print_table(None, columns, table)


def _set(kind: str, name: str, file: Any, module: str | None, status: str) -> None:
    from assetgraph.automation.instigators import set_status

    state = set_status(load(file, module), _store(), kind, name, status, time.time())
    verb = "Started" if state.running else "Stopped"
    typer.echo(f"{verb} {kind} '{name}'.")


@schedules_app.command("list")
@handle_errors
def schedules_list(
    file: FileOption = None,
    module: ModuleOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Every schedule of the code location: running or stopped, cron, timezone, job."""
    _list("schedule", file, module, as_json)


@schedules_app.command("start")
@handle_errors
def schedules_start(
    name: NameArgument,
    file: FileOption = None,
    module: ModuleOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Start a schedule: 'assetgraph automate' runs it from its next cron tick on."""
    from assetgraph.definitions.default_status import RUNNING

    _set("schedule", name, file, module, RUNNING)


@schedules_app.command("stop")
@handle_errors
def schedules_stop(
    name: NameArgument,
    file: FileOption = None,
    module: ModuleOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Stop a schedule: 'assetgraph automate' no longer runs it."""
    from assetgraph.definitions.default_status import STOPPED

    _set("schedule", name, file, module, STOPPED)


@sensors_app.command("list")
@handle_errors
def sensors_list(
    file: FileOption = None,
    module: ModuleOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Every sensor of the code location: running or stopped, interval, job."""
    _list("sensor", file, module, as_json)


@sensors_app.command("start")
@handle_errors
def sensors_start(
    name: NameArgument,
    file: FileOption = None,
    module: ModuleOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Start a sensor: 'assetgraph automate' evaluates it from now on."""
    from assetgraph.definitions.default_status import RUNNING

    _set("sensor", name, file, module, RUNNING)


@sensors_app.command("stop")
@handle_errors
def sensors_stop(
    name: NameArgument,
    file: FileOption = None,
    module: ModuleOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Stop a sensor: 'assetgraph automate' no longer evaluates it (its cursor is kept)."""
    from assetgraph.definitions.default_status import STOPPED

    _set("sensor", name, file, module, STOPPED)
