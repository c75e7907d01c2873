"""S8: one automation tick over 10,000 assets after one root got new data.

Setup: the layered graph of S5 (100 layers of 100), every asset with an eager automation
policy and every tenth with a freshness policy (60 minutes); the whole history is written
straight into the metadata tables (one materialization per asset, in topological order,
ten minutes ago), a first tick records the cursors, then one layer-0 asset gets a new
materialization with a new data version. The core phase is the next tick's evaluation
(``run_tick`` in dry-run mode: cursors, runs in flight, the evaluator, the cutting into
runs), which requests the root's ~5,000 descendants.

baseline: plain Python over plain SQLite: read the index, find the assets downstream of
the one whose data changed after them, in topological order.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s8_automation"
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)

SCENARIO = Scenario(
    id="S8",
    title="automation tick: 10,000 assets, eager, 10% with freshness, one root updated",
    reference="Dagster 1.13: not measured",
    cases=(
        Case(
            name="tick",
            command=module_command(
                MODULE, ("--size", "10000", "--width", "100"), ("--size", "1000", "--width", "100")
            ),
            unit="asset",
            figures=(Figure("core_ms", "core ms", 1000.0),),
        ),
    ),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def build_defs(layers: int, width: int) -> Any:
    from assetgraph import AssetIn, AutomationPolicy, Definitions, FreshnessPolicy, asset

    eager = AutomationPolicy.eager()
    fresh = FreshnessPolicy(maximum_lag_minutes=60)
    assets = []
    for n, (layer, index) in enumerate(layered.positions(layers, width)):
        name = layered.asset_name(layer, index)
        parents = layered.parent_names(layer, index, width)
        options: dict[str, Any] = {
            "name": name,
            "code_version": "v1",
            "automation_policy": eager,
            "freshness_policy": fresh if n % 10 == 5 else None,
        }
        if not parents:
            assets.append(asset(**options)(layered._root_fn(index)))
            continue
        ins = {"x": AssetIn(key=parents[0]), "y": AssetIn(key=parents[1])}
        assets.append(asset(ins=ins, **options)(layered._inner_fn()))
    return Definitions(assets)


def run_assetgraph(args: argparse.Namespace) -> Report:
    from assetgraph import Instance
    from assetgraph.automation.daemon import run_tick
    from assetgraph.storage.records import EventRecord, EventType

    layers = layered.layers_for(args.size, args.width)
    folder = home()
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    defs = build_defs(layers, args.width)
    _write_history(instance, defs.graph, (NOW - timedelta(minutes=10)).timestamp())
    first = run_tick(defs, instance, now=NOW, launcher=None)
    if first.runs or first.status == "failure":
        raise SystemExit(f"S8: the first tick should request nothing: {first.payload}")
    instance.storage.store_events(
        [
            EventRecord(
                "update",
                EventType.ASSET_MATERIALIZATION,
                NOW.timestamp(),
                asset_key="a_0_0",
                payload={"data_version": "d2", "code_version": "v1"},
            )
        ]
    )
    now = NOW + timedelta(minutes=1)
    with timed() as core:
        outcome = run_tick(defs, instance, now=now, launcher=None, dry_run=True)
    requested = sum(len(run["targets"]) for run in outcome.runs)
    if outcome.status == "failure" or requested == 0:
        raise SystemExit(f"S8: the tick requested nothing: {outcome.errors}")
    return Report(
        units=args.size,
        core_ms=core.ms,
        extra={
            "requested": requested,
            "runs": len(outcome.runs),
            "evaluation_ms": round(outcome.evaluation_ms, 1),
            "index_queries": outcome.evaluation.state.queries if outcome.evaluation else None,
        },
    )


def _write_history(instance: Any, graph: Any, when: float) -> None:
    """One materialization per asset, in topological order, as events and index rows."""
    from assetgraph.storage import schema

    events: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for event_id, key in enumerate(graph.all_keys, start=1):
        name = key.to_string()
        events.append(
            {
                "id": event_id,
                "run_id": "setup",
                "event_type": "asset_materialization",
                "timestamp": when,
                "asset_key": name,
                "partition_key": None,
                "payload": '{"v":1,"data_version":"d1","code_version":"v1"}',
            }
        )
        rows.append(
            {
                "asset_key": name,
                "partition_key": schema.NO_PARTITION,
                "materialization_event_id": event_id,
                "materialization_run_id": "setup",
                "materialized_at": when,
                "code_version": "v1",
                "data_version": "d1",
                "data_version_event_id": event_id,
                "duration": 0.0,
                "metadata": "{}",
            }
        )
    with instance.storage.engine.begin() as conn:
        conn.execute(schema.events.insert(), events)
        conn.execute(schema.asset_partitions.insert(), rows)


def run_baseline(args: argparse.Namespace) -> Report:
    layers = layered.layers_for(args.size, args.width)
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("CREATE TABLE parts (asset TEXT PRIMARY KEY, built INTEGER, changed INTEGER)")
    order = [layered.asset_name(k, i) for k, i in layered.positions(layers, args.width)]
    db.execute("BEGIN")
    db.executemany("INSERT INTO parts VALUES (?, ?, ?)", [(n, i, i) for i, n in enumerate(order)])
    db.execute(
        "UPDATE parts SET built = ?, changed = ? WHERE asset = ?",
        (len(order), len(order), order[0]),
    )
    db.execute("COMMIT")
    parents = layered.parents_dict(layers, args.width)
    with timed() as core:
        built = {a: (b, c) for a, b, c in db.execute("SELECT * FROM parts")}
        requested: set[str] = set()
        for name in order:
            mine = built[name][0]
            if any(p in requested or built[p][1] > mine for p in parents[name]):
                requested.add(name)
    db.close()
    return Report(units=len(order), core_ms=core.ms, extra={"requested": len(requested)})


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--width", type=int, default=100)

    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=10000,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
