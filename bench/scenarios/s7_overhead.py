"""S7: executor overhead: 1,000 trivial independent steps with each executor.

assetgraph: 1,000 assets returning a small constant, materialized in one run with the
``in_process``, ``multiprocess`` (2 workers) or ``dask`` (local cluster, 2 workers)
executor; pickle IO manager, SQLite on disk. The core phase includes starting the
workers. baseline: plain Python calling the 1,000 functions, pickling each value (temp
file, then rename) and inserting one row per materialization into SQLite.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sqlite3
import time
from pathlib import Path

from bench.protocol import Report, run_variants, timed
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s7_overhead"
AIMS = {"in_process": 1.0, "multiprocess": 5.0, "dask": 15.0}

SCENARIO = Scenario(
    id="S7",
    title="executor overhead: 1,000 trivial independent steps",
    reference="aims: in-process < 1 ms, multiprocess < 5 ms, Dask < 15 ms per step",
    cases=tuple(
        Case(
            name=executor,
            command=module_command(
                MODULE,
                ("--executor", executor, "--size", "1000"),
                ("--executor", executor, "--size", "50"),
            ),
            unit="step",
            figures=(Figure("core_ms_per_unit", "core ms per step", aim),),
        )
        for executor, aim in AIMS.items()
    ),
)

DEFS = """
from assetgraph import asset, Definitions

def make(index):
    @asset(name=f"step_{index:04d}", code_version="1")
    def trivial():
        return index
    return trivial

defs = Definitions([make(i) for i in range({size})])
"""


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def run_assetgraph(args: argparse.Namespace) -> Report:
    from assetgraph import Instance, load_definitions, materialize

    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "s7_defs.py"
    path.write_text(DEFS.replace("{size}", str(args.size)))
    defs = load_definitions(file=path)
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    with timed() as core:
        result = materialize(defs, instance=instance, executor=args.executor, workers=2)
    if not result.success:
        raise SystemExit(f"S7: the run failed: {result.failures}")
    return Report(units=args.size, core_ms=core.ms)


def run_baseline(args: argparse.Namespace) -> Report:
    # Tight on purpose (plain strings, os.path, no helper layers), so that the ratio
    # measures the framework.
    folder = str(home())
    storage = os.path.join(folder, "storage")
    os.makedirs(storage, exist_ok=True)
    db = sqlite3.connect(os.path.join(folder, "baseline.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE materializations (id INTEGER PRIMARY KEY, key TEXT, at REAL)")
    insert = "INSERT INTO materializations (key, at) VALUES (?, ?)"
    dump, replace, now = pickle.dump, os.replace, time.time
    with timed() as core:
        db.execute("BEGIN IMMEDIATE")
        for index in range(args.size):
            name = f"step_{index:04d}"
            tmp = f"{storage}/.{name}.tmp"
            with open(tmp, "wb") as handle:
                dump(index, handle)
            replace(tmp, f"{storage}/{name}")
            db.execute(insert, (name, now()))
        db.execute("COMMIT")
    db.close()
    return Report(units=args.size, core_ms=core.ms)


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--executor", choices=tuple(AIMS), default="in_process")

    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=1000,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
