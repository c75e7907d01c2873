"""``assetgraph status``: what is missing or stale, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import (
    FileOption,
    JsonOption,
    ModuleOption,
    PartitionOption,
    PartitionRangeOption,
    VerboseOption,
    app,
    handle_errors,
    load,
    partition_selection,
)
from assetgraph.cli.assets_cmd import ExcludeOption, SelectOption

if TYPE_CHECKING:
    from assetgraph.storage.interface import Transactions


@app.command("status")
@handle_errors
def status(
    file: FileOption = None,
    module: ModuleOption = None,
    select: SelectOption = None,
    exclude: ExcludeOption = None,
    partition: PartitionOption = None,
    partition_range: PartitionRangeOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
    fail_on_stale: Annotated[
        bool,
        typer.Option(
            "--fail-on-stale",
            help=f"Exit {EXIT_STALE} when a selected asset is stale or missing (for CI).",
        ),
    ] = False,
    fail_on_violation: Annotated[
        bool,
        typer.Option(
            "--fail-on-violation",
            help=f"Exit {EXIT_VIOLATION} when a selected asset's freshness policy fails "
            "(a warning does not fail; for CI).",
        ),
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Judge freshness policies as if it were this time (ISO 8601; default: now).",
            metavar="TIME",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show missing and stale asset partitions, grouped by asset, with their root causes,
    and the state of each freshness policy (pass, warn, fail, unknown) with its overdue
    partitions.

    Stale means: the code changed since it was built, or something it reads changed (or
    is itself stale or missing). 'assetgraph materialize --stale --missing' rebuilds
    exactly these, upstream first. Exit codes: 0; 3 with --fail-on-stale when something
    is stale or missing; 4 with --fail-on-violation when a freshness policy fails (4 wins
    when both apply).
    """
    from assetgraph.selection import select_assets
    from assetgraph.status.staleness import stale_status
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    keys = select_assets(defs.graph, select, exclude)
    partitions = partition_selection(partition, partition_range)
    instance = Instance.from_env()
    report = stale_status(
        defs,
        [key.to_string() for key in keys],
        partitions=partitions,
        instance=instance,
    )
    rows = [_asset_json(report, status) for status in report]
    failed_checks = _add_checks(rows, instance.storage)
    freshness = _add_freshness(rows, defs, keys, instance, now)
    if as_json:
        render.print_json(rows)
    else:
        _print_report(rows)
        for line in failed_checks:
            typer.echo(line)
        _print_freshness(freshness)
    if fail_on_violation and any(status.violated for status in freshness.values()):
        raise typer.Exit(EXIT_VIOLATION)
    if fail_on_stale and any(row["status"] != "fresh" for row in rows):
        raise typer.Exit(EXIT_STALE)


EXIT_STALE = 3
"""``status --fail-on-stale``: a selected asset is stale or missing."""
EXIT_VIOLATION = 4
"""``status --fail-on-violation``: a selected asset's freshness policy fails."""


def _asset_json(report: Any, status: Any) -> dict[str, Any]:
    counts = {
        "total": len(status.materialized | status.missing),
        "materialized": len(status.materialized),
        "missing": len(status.missing),
        "stale": len(status.stale),
        "fresh": len(status.fresh),
    }
    return {
        "key": status.key.to_string(),
        "status": status.status,
        "partitioned": status.is_partitioned,
        "counts": counts,
        "missing": _ranges(status.missing) if status.is_partitioned else None,
        "causes": [
            {
                "cause": cause.cause.value,
                "partitions": _ranges(cause.partitions) if status.is_partitioned else None,
                "upstream": None if cause.upstream is None else cause.upstream.to_string(),
                "upstream_partitions": None
                if cause.upstream_partitions is None or cause.upstream is None
                else _ranges(cause.upstream_partitions),
                "detail": cause.detail,
                "text": cause.describe(status.key),
            }
            for cause in status.causes
        ],
        "root_causes": report.root_causes(status.key) if status.stale else [],
    }


def _add_checks(rows: list[dict[str, Any]], storage: Transactions) -> list[str]:
    """Give each row the latest result of each of its asset checks (``checks``); return one
    line per failing check, with pandera's failure cases, for the text report."""
    from assetgraph.status.checks import check_statuses

    statuses = check_statuses(storage, [row["key"] for row in rows])
    lines: list[str] = []
    for row in rows:
        row["checks"] = []
        for check in statuses.get(row["key"], []):
            cases = (check.failure_cases or {}).get("cases", [])
            row["checks"].append(
                {
                    "name": check.check_name,
                    "passed": check.passed,
                    "blocking": check.blocking,
                    "run_id": check.run_id,
                    "failing_partitions": list(check.failing_partitions),
                    "description": check.description,
                    "failure_cases": check.failure_cases,
                }
            )
            if check.passed:
                continue
            where = _shorten(list(check.failing_partitions))
            lines.append(
                f"{row['key']}{f'[{where}]' if where else ''}: check {check.check_name} failed "
                f"({'blocking' if check.blocking else 'non-blocking'}, run {check.run_id[:8]})"
                + (f": {check.description}" if check.description and not cases else "")
            )
            lines.extend(
                f"  {case['column'] or '<frame>'}: {case['check']}, {case['count']} failing, "
                f"e.g. {', '.join(repr(v) for v in case['values'])}"
                for case in cases
            )
    return lines


def _ranges(subset: Any) -> list[str]:
    from assetgraph.status.staleness import UNPARTITIONED

    if subset.partitions_def is UNPARTITIONED:
        return []
    return [r.start if r.start == r.end else f"{r.start}...{r.end}" for r in subset.ranges()]


def _print_report(rows: list[dict[str, Any]]) -> None:
    fresh = [row for row in rows if row["status"] == "fresh"]
    for row in rows:
        if row["status"] == "fresh":
            continue
        counts = row["counts"]
        if row["partitioned"]:
            typer.echo(
                f"{row['key']}: {counts['stale']} stale, {counts['missing']} missing, "
                f"{counts['fresh']} fresh of {counts['total']} partitions"
            )
            if row["missing"]:
                typer.echo(f"  missing  {_shorten(row['missing'])}")
        else:
            typer.echo(f"{row['key']}: {row['status']}")
        for cause in row["causes"]:
            typer.echo(f"  stale    {cause['text']}")
        roots = [r for r in row["root_causes"] if not r.startswith(row["key"])]
        if roots and all(c["cause"] == "upstream_stale" for c in row["causes"]):
            typer.echo(f"  root     {'; '.join(roots[:3])}")
    if fresh:
        typer.echo(
            f"{len(fresh)} asset(s) fresh" + ("." if len(fresh) < len(rows) else ": nothing to do.")
        )
    elif not rows:
        typer.echo("No assets selected.")


def _shorten(ranges: list[str], shown: int = 4) -> str:
    text = ", ".join(ranges[:shown])
    return text + (f", +{len(ranges) - shown} more" if len(ranges) > shown else "")


def _add_freshness(
    rows: list[dict[str, Any]], defs: Any, keys: Any, instance: Any, now: str | None
) -> dict[str, Any]:
    """Give each row its freshness policy's state (``freshness``, None without a policy);
    return the statuses by asset key."""
    from datetime import UTC, datetime

    from assetgraph.automation.freshness import freshness_statuses

    moment = datetime.now(UTC) if now is None else _parse_now(now)
    found = freshness_statuses(defs.graph, instance.storage, keys, moment)
    statuses = {status.key.to_string(): status for status in found}
    for row in rows:
        status = statuses.get(row["key"])
        row["freshness"] = None if status is None else status.to_json()
    return statuses


def _parse_now(text: str) -> Any:
    from datetime import UTC, datetime

    from assetgraph.errors import UsageError

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"Invalid --now {text!r}: give an ISO 8601 time such as 2025-01-02T06:00:00+00:00."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _print_freshness(statuses: dict[str, Any]) -> None:
    if not statuses:
        return
    counts = {state: 0 for state in ("fail", "warn", "unknown")}
    for status in statuses.values():
        if status.state.value in counts:
            counts[status.state.value] += 1
    plural = "policy" if len(statuses) == 1 else "policies"
    extra = "".join(
        f", {counts[state]} {word}"
        for state, word in (("warn", "warning"), ("unknown", "unknown"))
        if counts[state]
    )
    typer.echo(f"freshness: {counts['fail']} of {len(statuses)} {plural} violated{extra}")
    for name, status in statuses.items():
        flag = "VIOLATED" if status.violated else status.state.value
        typer.echo(f"  {flag:8} {name}: {status.describe()}")
