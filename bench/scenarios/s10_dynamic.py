"""S10: add 1,000,000 dynamic partition keys, then plan ``--missing`` for one asset over them.

One asset, ``items``, is partitioned by ``DynamicPartitionsDefinition("items")``. Keys are
``item-0000000`` ... in order. Nothing has been materialized, so ``--missing`` plans every
key: one step per key under the default backfill policy, one step for the whole range
under ``BackfillPolicy.single_run()`` (the third case, which isolates planning over ranges
from building a million steps).

assetgraph, case ``add``: the core phase is ``instance.add_dynamic_partitions(name,
keys)``, which validates every key (as ``assetgraph partitions add`` does) and stores them
into SQLite on disk.
Cases ``plan`` / ``plan single-run``: the keys are added first (untimed); the core phase
is ``plan_for_selection(defs, "items", None, PartitionSelection(missing=True),
instance=instance)``, which reads the key count and the partition status (kept as ranges)
from the database, then what ``--dry-run`` prints: the step count, the summary (first and
last key per asset) and the first 50 steps. Steps are made when a run asks for them; the
case ``make every step`` times the plan plus making all of its million steps, as a run
does when it starts (no aim: the aim is for planning).

baseline, case ``add``: plain ``sqlite3`` ``executemany`` of the keys in one transaction
into a table of the same shape (id, name, key, unique (name, key)). Plan cases: read the
keys (in insertion order) and the materialized partitions of the asset from SQLite, take
the set difference in plain Python, and make one (step name, key) pair per missing key
(one pair for the whole range in the single-run case).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.protocol import Report, run_variants, timed
from bench.spec import Case, Figure, Scenario, module_command

if TYPE_CHECKING:
    from assetgraph import Definitions, Instance

MODULE = "bench.scenarios.s10_dynamic"
NAME = "items"
FULL = ("--size", "1000000")
QUICK = ("--size", "2000")


def _case(name: str, phase: str, label: str, limit_ms: float | None = None) -> Case:
    extra = ("--phase", phase)
    return Case(
        name=name,
        command=module_command(MODULE, (*FULL, *extra), (*QUICK, *extra)),
        unit="key",
        figures=(
            Figure("core_ms", label, limit_ms),
            Figure("ratio_core", "core ratio to baseline"),
        ),
    )


SCENARIO = Scenario(
    id="S10",
    title="dynamic partitions: add 1,000,000 keys, then plan --missing for one asset",
    cases=(
        _case("add keys", "add", "add ms", 10_000.0),
        _case("plan missing", "plan", "plan ms", 2_000.0),
        _case("plan missing, single-run", "plan-single-run", "plan ms", 2_000.0),
        _case("make every step", "plan-steps", "plan + steps ms"),
    ),
    notes=("nothing is materialized: --missing plans every key",),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def keys_of(size: int) -> list[str]:
    return [f"item-{i:07d}" for i in range(size)]


# assetgraph.


def _definitions(single_run: bool) -> Definitions:
    from assetgraph import BackfillPolicy, Definitions, DynamicPartitionsDefinition, asset

    policy = BackfillPolicy.single_run() if single_run else None
    partitions = DynamicPartitionsDefinition(name=NAME)

    @asset(partitions_def=partitions, backfill_policy=policy)
    def items(context: Any) -> int:
        return len(context.partition_keys)

    return Definitions(assets=[items])


def _instance() -> Instance:
    from assetgraph import Instance

    folder = home()
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    return instance


def run_assetgraph(args: argparse.Namespace) -> Report:
    keys = keys_of(args.size)
    instance = _instance()
    if args.phase == "add":
        with timed() as core:  # validates every key, as the CLI does, then stores them
            added = instance.add_dynamic_partitions(NAME, keys)
        _check("added", added, args.size)
        return Report(args.size, core.ms)

    from assetgraph.execution.materialize import plan_for_selection
    from assetgraph.planning.planner import PartitionSelection

    single_run = args.phase == "plan-single-run"
    defs = _definitions(single_run)
    instance.storage.add_dynamic_partitions(NAME, keys)
    with timed() as core:
        plan = plan_for_selection(
            defs, NAME, None, PartitionSelection(missing=True), instance=instance
        )
        count, summary, head = len(plan), plan.summary(), plan.head(50)
        if args.phase == "plan-steps":
            steps = plan.steps
    _check("counted steps", count, 1 if single_run else args.size)
    _check("summarized partitions", summary[0].partitions, args.size)
    _check("first steps", len(head), min(50, count))
    if args.phase != "plan-steps":
        return Report(args.size, core.ms, {"steps": count})
    planned = sum(len(step.partition_keys) for step in steps)
    _check("planned partitions", planned, args.size)
    _check("steps", len(plan), 1 if single_run else args.size)
    return Report(args.size, core.ms, {"steps": len(plan)})


# Baseline.


def _baseline_db() -> sqlite3.Connection:
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE dynamic_partitions (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "name TEXT NOT NULL, partition_key TEXT NOT NULL, UNIQUE (name, partition_key))"
    )
    db.execute(
        "CREATE TABLE materializations (id INTEGER PRIMARY KEY, asset_key TEXT NOT NULL, "
        "partition_key TEXT, UNIQUE (asset_key, partition_key))"
    )
    return db


def _baseline_add(db: sqlite3.Connection, keys: list[str]) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT OR IGNORE INTO dynamic_partitions (name, partition_key) VALUES (?, ?)",
        ((NAME, key) for key in keys),
    )
    db.execute("COMMIT")


def _baseline_plan(db: sqlite3.Connection, single_run: bool) -> list[tuple[str, Any]]:
    keys = [
        row[0]
        for row in db.execute(
            "SELECT partition_key FROM dynamic_partitions WHERE name = ? ORDER BY id", (NAME,)
        )
    ]
    done = {
        row[0]
        for row in db.execute(
            "SELECT partition_key FROM materializations WHERE asset_key = ?", (NAME,)
        )
    }
    missing = [key for key in keys if key not in done]
    if single_run:
        return [(f"{NAME}[{missing[0]}...{missing[-1]}]", missing)] if missing else []
    return [(f"{NAME}[{key}]", key) for key in missing]


def run_baseline(args: argparse.Namespace) -> Report:
    keys = keys_of(args.size)
    db = _baseline_db()
    try:
        if args.phase == "add":
            with timed() as core:
                _baseline_add(db, keys)
            (stored,) = db.execute("SELECT count(*) FROM dynamic_partitions").fetchone()
            _check("added", stored, args.size)
            return Report(args.size, core.ms)
        _baseline_add(db, keys)
        single_run = args.phase == "plan-single-run"
        with timed() as core:  # the baseline makes every (step, key) pair in all plan cases
            steps = _baseline_plan(db, single_run)
        _check("steps", len(steps), 1 if single_run else args.size)
        return Report(args.size, core.ms, {"steps": len(steps)})
    finally:
        db.close()


def _check(what: str, got: int, expected: int) -> None:
    if got != expected:
        raise SystemExit(f"S10: {got} {what}, expected {expected}.")


def _phase_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--phase", choices=("add", "plan", "plan-single-run", "plan-steps"), default="add"
    )


VARIANTS: dict[str, Callable[[argparse.Namespace], Report]] = {
    "assetgraph": run_assetgraph,
    "baseline": run_baseline,
}


def main(argv: list[str] | None = None) -> None:
    run_variants(
        VARIANTS,
        description=__doc__ or "",
        default_size=1_000_000,
        extra_args=_phase_arg,
        argv=argv,
    )


if __name__ == "__main__":
    main()
