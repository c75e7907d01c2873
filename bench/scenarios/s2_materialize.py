"""S2: materialize 1,000 trivial assets (10 layers of 100) in one in-process run.

assetgraph: the layered graph built with ``@asset``/``AssetIn``, default code versions
(a hash of each function's source, as a user gets without ``code_version=``), the default
pickle IO manager, SQLite metadata on disk. The schema is created before the core phase
(``storage.upgrade()``), so the core phase is the ``materialize`` call alone.

baseline: plain Python calling the same functions in topological order, loading inputs
from and pickling outputs to files (temporary file, then ``os.replace``), and inserting
one row per materialization into SQLite in one transaction (WAL, ``synchronous=NORMAL``,
the settings assetgraph uses).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sqlite3
import time
import uuid
from pathlib import Path

from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s2_materialize"

SCENARIO = Scenario(
    id="S2",
    title="materialize 1,000 trivial assets, 10 layers of 100, pickle + SQLite",
    reference="Dagster 1.13: 104.6 ms per asset (floor 0.155 ms)",
    cases=(
        Case(
            name="materialize",
            command=module_command(
                MODULE, ("--size", "1000", "--width", "100"), ("--size", "100", "--width", "10")
            ),
            unit="asset",
            figures=(
                Figure("core_ms_per_unit", "core ms per asset", 0.5),
                Figure("ratio_core", "core ratio to baseline", 3.0, inclusive=True),
            ),
        ),
    ),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def run_assetgraph(args: argparse.Namespace) -> Report:
    from assetgraph import Definitions, Instance, materialize

    layers = layered.layers_for(args.size, args.width)
    folder = home()
    defs = Definitions(assets=layered.build_assets(layers, args.width))
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    with timed() as core:
        result = materialize(defs, instance=instance)
    if not result.success:
        raise SystemExit(f"S2: the run failed: {result.failures}")
    return Report(units=args.size, core_ms=core.ms)


def run_baseline(args: argparse.Namespace) -> Report:
    # Tight on purpose (plain strings, os.path, no helper layers), as a person optimising
    # by hand would write it, so that the ratio measures the framework.
    width = args.width
    layers = layered.layers_for(args.size, width)
    folder = str(home())
    storage = os.path.join(folder, "storage")
    os.makedirs(storage, exist_ok=True)
    db = sqlite3.connect(os.path.join(folder, "baseline.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE materializations "
        "(id INTEGER PRIMARY KEY, run_id TEXT, asset_key TEXT, timestamp REAL, path TEXT)"
    )
    run_id = uuid.uuid4().hex
    insert = "INSERT INTO materializations (run_id, asset_key, timestamp, path) VALUES (?, ?, ?, ?)"
    dump, load, replace, now = pickle.dump, pickle.load, os.replace, time.time
    with timed() as core:
        db.execute("BEGIN IMMEDIATE")
        for layer in range(layers):
            for index in range(width):
                name = f"a_{layer}_{index}"
                if layer:
                    with open(f"{storage}/a_{layer - 1}_{index}", "rb") as handle:
                        x = load(handle)
                    with open(f"{storage}/a_{layer - 1}_{(index + 1) % width}", "rb") as handle:
                        y = load(handle)
                    value = x + y
                else:
                    value = index
                path = f"{storage}/{name}"
                tmp = f"{storage}/.{name}.tmp"
                with open(tmp, "wb") as handle:
                    dump(value, handle, pickle.HIGHEST_PROTOCOL)
                replace(tmp, path)
                db.execute(insert, (run_id, name, now(), path))
        db.execute("COMMIT")
    db.close()
    return Report(units=args.size, core_ms=core.ms)


def main(argv: list[str] | None = None) -> None:
    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=1000,
        extra_args=lambda parser: parser.add_argument("--width", type=int, default=100),
        argv=argv,
    )


if __name__ == "__main__":
    main()
