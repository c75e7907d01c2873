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
    layers = layered.layers_for(args.size, args.width)
    folder = home()
    storage = folder / "storage"
    storage.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE materializations "
        "(id INTEGER PRIMARY KEY, run_id TEXT, asset_key TEXT, timestamp REAL, path TEXT)"
    )
    run_id = uuid.uuid4().hex
    with timed() as core:
        db.execute("BEGIN IMMEDIATE")
        for layer, index in layered.positions(layers, args.width):
            parents = layered.parent_names(layer, index, args.width)
            if parents:
                inputs = [_load(storage / name) for name in parents]
                value = layered.combine(inputs[0], inputs[1])
            else:
                value = layered.root_value(index)
            path = storage / layered.asset_name(layer, index)
            _store(path, value)
            db.execute(
                "INSERT INTO materializations (run_id, asset_key, timestamp, path) "
                "VALUES (?, ?, ?, ?)",
                (run_id, path.name, time.time(), str(path)),
            )
        db.execute("COMMIT")
    db.close()
    return Report(units=args.size, core_ms=core.ms)


def _load(path: Path) -> int:
    with path.open("rb") as handle:
        value: int = pickle.load(handle)
    return value


def _store(path: Path, value: object) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


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
