"""S2, S3 and S5 with Apache Hamilton: the same graphs as functions in a module.

Idiomatic Hamilton: every node is a function of a module whose parameters name the nodes
it reads; a ``driver.Builder().with_modules(module)`` builds the graph and
``Driver.execute(final_vars)`` runs it. The module is written to the process's folder
and imported, so Hamilton can read each function's source (its cache's code version).

- ``--impl hamilton``: with Hamilton's result cache on disk (``Builder.with_cache(path)``:
  a SQLite metadata store and one file per result), so that, as assetgraph and Dagster
  do, every value is persisted and recorded.
- ``--impl hamilton_memory``: no cache, values only in memory: the reference for what
  Hamilton's execution costs without persistence.

S2: 1,000 nodes (10 layers of 100, ``bench.scenarios.layered``'s wiring), one
``execute`` of all of them; the core phase is the ``execute`` call. S3: the chain of 5
stages, one ``execute`` per day with the day as an input (Hamilton has no partitions: a
backfill is one execution per partition), the driver built once beforehand; the cache
keys results by the day's value. S5: building the driver of 10,000 nodes (graph
construction and validation) is the core phase, with the module already imported.

Run under ``.venv-hamilton/bin/python`` with the repository on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Any

from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered

STAGES = 5


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".hamilton").absolute()


def layered_module(folder: Path, layers: int, width: int) -> Any:
    """The layered graph as a Hamilton module of plain functions, imported from a file."""
    lines = []
    for layer, index in layered.positions(layers, width):
        name = layered.asset_name(layer, index)
        parents = layered.parent_names(layer, index, width)
        if parents:
            x, y = parents
            lines.append(f"def {name}({x}: int, {y}: int) -> int:\n    return {x} + {y}\n")
        else:
            lines.append(f"def {name}() -> int:\n    return {index}\n")
    return _import(folder, "s2_nodes", "\n\n".join(lines))


S3_SOURCE = """
import datetime

import pandas as pd

ROWS = 100


def stage_0(day: str) -> pd.DataFrame:
    base = datetime.date.fromisoformat(day).toordinal()
    return pd.DataFrame(
        {
            "id": range(ROWS),
            "day": [day] * ROWS,
            "value": [float((base + i) % 97) for i in range(ROWS)],
        }
    )
""" + "".join(
    f"""

def stage_{k}(stage_{k - 1}: pd.DataFrame) -> pd.DataFrame:
    return stage_{k - 1}.assign(value=stage_{k - 1}["value"] * 1.5 + 1.0)
"""
    for k in range(1, STAGES)
)


def _import(folder: Path, name: str, source: str) -> Any:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(source)
    sys.path.insert(0, str(folder))
    return importlib.import_module(name)


def _driver(module: Any, cached: bool, folder: Path) -> Any:
    from hamilton import driver

    builder = driver.Builder().with_modules(module)
    if cached:
        builder = builder.with_cache(path=str(folder / "hamilton_cache"))
    return builder.build()


def run_s2(args: argparse.Namespace, cached: bool) -> Report:
    layers = layered.layers_for(args.size, args.width)
    folder = home()
    module = layered_module(folder, layers, args.width)
    names = [layered.asset_name(layer, i) for layer, i in layered.positions(layers, args.width)]
    dr = _driver(module, cached, folder)
    with timed() as core:
        results = dr.execute(names)
    if len(results) != args.size:
        raise SystemExit(f"S2 (Hamilton): {len(results)} results, expected {args.size}")
    return Report(units=args.size, core_ms=core.ms)


def run_s3(args: argparse.Namespace, cached: bool) -> Report:
    import pandas  # noqa: F401  (imported before the core phase, as in the other variants)

    from bench.scenarios.s3_backfill import days_of

    folder = home()
    module = _import(folder, "s3_nodes", S3_SOURCE)
    dr = _driver(module, cached, folder)
    days = days_of(args.size)
    names = [f"stage_{k}" for k in range(STAGES)]
    steps = 0
    with timed() as core:
        for day in days:
            results = dr.execute(names, inputs={"day": day})
            steps += len(results)
    if steps != STAGES * args.size:
        raise SystemExit(f"S3 (Hamilton): {steps} results, expected {STAGES * args.size}")
    return Report(units=steps, core_ms=core.ms)


def run_s5(args: argparse.Namespace) -> Report:
    layers = layered.layers_for(args.size, args.width)
    folder = home()
    module = layered_module(folder, layers, args.width)
    with timed() as core:
        dr = _driver(module, False, folder)
        nodes = dr.list_available_variables()
    if len(nodes) != args.size:
        raise SystemExit(f"S5 (Hamilton): {len(nodes)} nodes, expected {args.size}")
    return Report(units=args.size, core_ms=core.ms)


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--scenario", choices=("S2", "S3", "S5"), required=True)
        parser.add_argument("--width", type=int, default=100)

    def variant(cached: bool) -> Any:
        def run(args: argparse.Namespace) -> Report:
            if args.scenario == "S2":
                return run_s2(args, cached)
            if args.scenario == "S3":
                return run_s3(args, cached)
            return run_s5(args)

        return run

    run_variants(
        {"hamilton": variant(True), "hamilton_memory": variant(False)},
        description=__doc__ or "",
        default_size=1000,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
