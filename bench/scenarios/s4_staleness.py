"""S4: stale status of 1,000 assets, and of 1,000 assets x 365 daily partitions.

graph case: S2's 1,000-asset layered graph is materialized (setup), one layer-0 asset's
code version changes, and the core phase computes the status of all 1,000 assets with
``assetgraph.status.staleness.compute_staleness``.

partitions case: the same graph, every asset daily-partitioned over 2025 (365,000 asset
partitions). Setup writes the history straight into the metadata tables (every partition
materialized once, in topological order), then one layer-0 partition is rebuilt with a new
data version. The core phase computes the status of all 365,000 asset partitions.

baseline: plain Python over plain SQLite holding the same history: load every row, then
walk the assets in topological order and mark a partition stale when an upstream
partition changed after it was built, or is stale; code versions compared per row.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s4_staleness"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
CHANGED_DAY = "2025-06-01"

SCENARIO = Scenario(
    id="S4",
    title="stale status: 1,000 assets; 1,000 assets x 365 daily partitions",
    reference="Dagster 1.13: no public bulk API; skips edges mapping to >= 100 partitions",
    cases=(
        Case(
            name="graph",
            command=module_command(
                MODULE,
                ("--case", "graph", "--size", "1000", "--width", "100"),
                ("--case", "graph", "--size", "100", "--width", "10"),
            ),
            unit="asset",
            figures=(Figure("core_ms", "core ms", 50.0),),
        ),
        Case(
            name="partitions",
            command=module_command(
                MODULE,
                ("--case", "partitions", "--size", "1000", "--width", "100"),
                ("--case", "partitions", "--size", "100", "--width", "10", "--days", "30"),
            ),
            unit="asset partition",
            figures=(Figure("core_ms", "core ms", 1000.0),),
        ),
    ),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def _days(count: int) -> list[str]:
    first = date(2025, 1, 1)
    return [(first + timedelta(days=i)).isoformat() for i in range(count)]


def run_assetgraph(args: argparse.Namespace) -> Report:
    from assetgraph import DailyPartitionsDefinition, Definitions, Instance, materialize
    from assetgraph.status.staleness import compute_staleness

    layers = layered.layers_for(args.size, args.width)
    folder = home()
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    if args.case == "graph":
        materialize(Definitions(layered.build_assets(layers, args.width)), instance=instance)
        changed = layered.build_assets(layers, args.width, code_versions={"a_0_0": "v2"})
        graph = Definitions(changed).graph
        units = args.size
    else:
        days = _days(args.days)
        end = date(2025, 1, 1) + timedelta(days=args.days)
        pdef = DailyPartitionsDefinition(start_date="2025-01-01", end_date=end.isoformat())
        graph = Definitions(layered.build_assets(layers, args.width, partitions_def=pdef)).graph
        _write_history(instance, graph, days)
        units = args.size * len(days)
    keys = list(graph.all_keys)
    with timed() as core:
        report = compute_staleness(graph, keys, instance.storage, NOW)
    stale = sum(len(status.stale) for status in report)
    if stale == 0:
        raise SystemExit("S4: nothing came out stale; the scenario is broken")
    return Report(units=units, core_ms=core.ms, extra={"stale": stale})


def _write_history(instance: Any, graph: Any, days: list[str]) -> None:
    """Every partition materialized once, in topological order; then one root partition
    rebuilt with new data."""
    from assetgraph.storage import schema

    rows: list[dict[str, Any]] = []
    event_id = 0
    for key in graph.all_keys:
        code = graph.assets_def(key).code_version(key)
        for day in days:
            event_id += 1
            rows.append(_row(key.to_string(), day, event_id, code, "d1"))
    root = graph.all_keys[0]
    changed_day = CHANGED_DAY if CHANGED_DAY in days else days[len(days) // 2]
    with instance.storage.engine.begin() as conn:
        conn.execute(schema.asset_partitions.insert(), rows)
        conn.execute(
            schema.asset_partitions.update()
            .where(schema.asset_partitions.c.asset_key == root.to_string())
            .where(schema.asset_partitions.c.partition_key == changed_day)
            .values(
                materialization_event_id=event_id + 1,
                data_version="d2",
                data_version_event_id=event_id + 1,
            )
        )


def _row(asset_key: str, day: str, event_id: int, code: str, data: str) -> dict[str, Any]:
    return {
        "asset_key": asset_key,
        "partition_key": day,
        "materialization_event_id": event_id,
        "materialization_run_id": "setup",
        "materialized_at": 0.0,
        "code_version": code,
        "data_version": data,
        "data_version_event_id": event_id,
        "duration": 0.0,
        "metadata": "{}",
    }


def run_baseline(args: argparse.Namespace) -> Report:
    layers = layered.layers_for(args.size, args.width)
    days = [""] if args.case == "graph" else _days(args.days)
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute(
        "CREATE TABLE parts (asset TEXT, part TEXT, built INTEGER, code TEXT, changed INTEGER, "
        "PRIMARY KEY (asset, part))"
    )
    order = [layered.asset_name(k, i) for k, i in layered.positions(layers, args.width)]
    event_id = 0
    history = []
    for name in order:
        for day in days:
            event_id += 1
            history.append((name, day, event_id, "v1", event_id))
    db.execute("BEGIN")
    db.executemany("INSERT INTO parts VALUES (?, ?, ?, ?, ?)", history)
    changed_day = days[len(days) // 2] if args.case == "partitions" else ""
    db.execute(
        "UPDATE parts SET built = ?, changed = ? WHERE asset = ? AND part = ?",
        (event_id + 1, event_id + 1, order[0], CHANGED_DAY if CHANGED_DAY in days else changed_day),
    )
    db.execute("COMMIT")
    current = {name: "v1" for name in order}
    if args.case == "graph":
        current[order[0]] = "v2"
    parents = {
        layered.asset_name(k, i): layered.parent_names(k, i, args.width)
        for k, i in layered.positions(layers, args.width)
    }
    with timed() as core:
        built: dict[tuple[str, str], tuple[int, str, int]] = {
            (a, p): (b, c, ch) for a, p, b, c, ch in db.execute("SELECT * FROM parts")
        }
        stale: set[tuple[str, str]] = set()
        for name in order:
            for day in days:
                when, code, _ = built[(name, day)]
                if code != current[name]:
                    stale.add((name, day))
                    continue
                for parent in parents[name]:
                    up = (parent, day)
                    if up in stale or built[up][2] > when:
                        stale.add((name, day))
                        break
    db.close()
    if not stale:
        raise SystemExit("S4 baseline: nothing came out stale")
    return Report(units=len(order) * len(days), core_ms=core.ms, extra={"stale": len(stale)})


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--width", type=int, default=100)
        parser.add_argument("--case", choices=("graph", "partitions"), default="graph")
        parser.add_argument("--days", type=int, default=365)

    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=1000,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
