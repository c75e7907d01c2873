"""S5: build, validate and order 10,000 assets (100 layers of 100, S2's wiring).

assetgraph: the asset definitions made with ``@asset``/``AssetIn``, then
``Definitions(assets=...)`` (which validates and builds the graph) and its topological
order ``defs.graph.all_keys``. The core phase covers all of that, not the import.

baseline: the same graph as a plain dict of parents, every parent checked to exist, then
``graphlib.TopologicalSorter(...).static_order()``.

The figures are whole-process wall time and peak memory (ru_maxrss of the process).
"""

from __future__ import annotations

import argparse

from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s5_definitions"

SCENARIO = Scenario(
    id="S5",
    title="10,000 assets, 100 layers of 100: Definitions, validation, topological order",
    reference="Dagster 1.13: 17.1 s, 171 MB",
    cases=(
        Case(
            name="definitions",
            command=module_command(
                MODULE,
                ("--size", "10000", "--width", "100"),
                ("--size", "1000", "--width", "100"),
            ),
            unit="asset",
            figures=(
                Figure("wall_ms", "whole-process ms", 1000.0),
                Figure("peak_mb", "peak MB", 300.0),
                Figure("ratio_wall", "wall ratio to baseline"),
            ),
        ),
    ),
)


def run_assetgraph(args: argparse.Namespace) -> Report:
    from assetgraph import Definitions

    layers = layered.layers_for(args.size, args.width)
    with timed() as core:
        defs = Definitions(assets=layered.build_assets(layers, args.width))
        order = defs.graph.all_keys
    _check(len(order), args.size)
    return Report(units=args.size, core_ms=core.ms)


def run_baseline(args: argparse.Namespace) -> Report:
    from graphlib import TopologicalSorter

    layers = layered.layers_for(args.size, args.width)
    with timed() as core:
        parents = layered.parents_dict(layers, args.width)
        for name, ups in parents.items():
            for up in ups:
                if up not in parents:
                    raise SystemExit(f"S5 baseline: {name} reads unknown {up}")
        order = tuple(TopologicalSorter(parents).static_order())
    _check(len(order), args.size)
    return Report(units=args.size, core_ms=core.ms)


def _check(ordered: int, size: int) -> None:
    if ordered != size:
        raise SystemExit(f"S5: the topological order has {ordered} keys, expected {size}.")


def main(argv: list[str] | None = None) -> None:
    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=10_000,
        extra_args=lambda parser: parser.add_argument("--width", type=int, default=100),
        argv=argv,
    )


if __name__ == "__main__":
    main()
