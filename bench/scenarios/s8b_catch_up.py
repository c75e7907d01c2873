"""S8b: one automation tick that decides the catch-up of 1,000 daily-partitioned assets.

Setup: the layered graph of S5 (10 layers of 100), every asset daily-partitioned over
2025 (365 partitions) with an eager automation policy (default cap: 25 missing partitions
per asset per tick, newest first); every (asset, partition) is materialized except 10%
chosen at random (a fixed seed), written straight into the metadata tables. The core phase
is a tick's evaluation (``run_tick`` in dry-run mode: cursors, runs in flight, the
evaluator over every asset, the cutting into runs) once the partition status kept as
ranges is up to date, as a running daemon keeps it (the tick before, reported as
``first_tick_ms``, computed it from the index rows): for each asset, its missing partitions,
the newest 25 of those that can run now (their upstream partitions are materialized or
requested in the same tick), and why the others wait.

baseline: plain Python over plain SQLite: read the index, and for each asset in
topological order take the newest 25 missing partitions whose upstream partitions are
present or taken this tick, plus the partitions reading one taken.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s8b_catch_up"
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
DAYS = 365
MISSING = 0.10
CAP = 25
SEED = 8

SCENARIO = Scenario(
    id="S8b",
    title="automation catch-up tick: 1,000 assets x 365 daily partitions, 10% missing",
    reference="Dagster 1.13: not measured",
    cases=(
        Case(
            name="tick",
            command=module_command(
                MODULE, ("--size", "1000", "--width", "100"), ("--size", "100", "--width", "10")
            ),
            unit="asset",
            figures=(Figure("core_ms", "core ms", 2000.0),),
        ),
    ),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def day_keys() -> list[str]:
    first = datetime(2025, 1, 1)
    return [(first + timedelta(days=i)).strftime("%Y-%m-%d") for i in range(DAYS)]


def missing_pairs(size: int) -> set[tuple[int, int]]:
    """The (asset position, day index) pairs left unmaterialized: 10% at random."""
    rng = random.Random(SEED)
    total = size * DAYS
    return {divmod(n, DAYS) for n in rng.sample(range(total), int(total * MISSING))}


def build_defs(layers: int, width: int) -> Any:
    from assetgraph import AssetIn, AutomationPolicy, DailyPartitionsDefinition, Definitions, asset

    daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2026-01-01")
    eager = AutomationPolicy.eager(max_materializations_per_tick=CAP)
    assets = []
    for layer, index in layered.positions(layers, width):
        name = layered.asset_name(layer, index)
        parents = layered.parent_names(layer, index, width)
        options: dict[str, Any] = {
            "name": name,
            "code_version": "v1",
            "partitions_def": daily,
            "automation_policy": eager,
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

    layers = layered.layers_for(args.size, args.width)
    folder = home()
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    defs = build_defs(layers, args.width)
    gaps = missing_pairs(args.size)
    _write_history(instance, defs.graph, gaps, (NOW - timedelta(hours=1)).timestamp())
    with timed() as first:  # also computes and stores each asset's partition status, once
        run_tick(defs, instance, now=NOW, launcher=None, dry_run=True)
    with timed() as core:
        outcome = run_tick(defs, instance, now=NOW, launcher=None, dry_run=True)
    if outcome.status == "failure" or not outcome.runs:
        raise SystemExit(f"S8b: the tick requested nothing: {outcome.errors}")
    evaluation = outcome.evaluation
    assert evaluation is not None
    requested = sum(len(subset) for subset in evaluation.requested.values())
    return Report(
        units=args.size,
        core_ms=core.ms,
        extra={
            "missing": len(gaps),
            "requested_partitions": requested,
            "requested_assets": len(evaluation.requested),
            "runs": len(outcome.runs),
            "evaluation_ms": round(outcome.evaluation_ms, 1),
            "first_tick_ms": round(first.ms, 1),
            "index_queries": evaluation.state.queries,
        },
    )


def _write_history(instance: Any, graph: Any, gaps: set[tuple[int, int]], when: float) -> None:
    """Every (asset, day) but the gaps, as materialization events and index rows."""
    from assetgraph.storage import schema

    days = day_keys()
    events: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    event_id = 0
    for position, key in enumerate(graph.all_keys):
        name = key.to_string()
        for day, partition in enumerate(days):
            if (position, day) in gaps:
                continue
            event_id += 1
            events.append(
                {
                    "id": event_id,
                    "run_id": "setup",
                    "event_type": "asset_materialization",
                    "timestamp": when,
                    "asset_key": name,
                    "partition_key": partition,
                    "payload": '{"v":1,"data_version":"d1","code_version":"v1"}',
                }
            )
            rows.append(
                {
                    "asset_key": name,
                    "partition_key": partition,
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
        for start in range(0, len(events), 50_000):
            conn.execute(schema.events.insert(), events[start : start + 50_000])
            conn.execute(schema.asset_partitions.insert(), rows[start : start + 50_000])


def run_baseline(args: argparse.Namespace) -> Report:
    layers = layered.layers_for(args.size, args.width)
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("CREATE TABLE parts (asset TEXT, day INTEGER, PRIMARY KEY (asset, day))")
    order = [layered.asset_name(k, i) for k, i in layered.positions(layers, args.width)]
    gaps = missing_pairs(args.size)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO parts VALUES (?, ?)",
        (
            (name, day)
            for position, name in enumerate(order)
            for day in range(DAYS)
            if (position, day) not in gaps
        ),
    )
    db.execute("COMMIT")
    parents = layered.parents_dict(layers, args.width)
    with timed() as core:
        have: dict[str, set[int]] = {name: set() for name in order}
        for name, day in db.execute("SELECT asset, day FROM parts"):
            have[name].add(day)
        taken: dict[str, set[int]] = {}
        requested = 0
        for name in order:
            ready = [
                day
                for day in range(DAYS - 1, -1, -1)
                if day not in have[name]
                and all(day in have[p] or day in taken.get(p, ()) for p in parents[name])
            ]
            chosen = set(ready[:CAP])
            for p in parents[name]:
                chosen.update(day for day in taken.get(p, ()) if day in have[name])
            if chosen:
                taken[name] = chosen
                requested += len(chosen)
    db.close()
    return Report(units=len(order), core_ms=core.ms, extra={"requested_partitions": requested})


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--width", type=int, default=100)

    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=1000,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
