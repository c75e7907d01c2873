"""S5 with Dagster: build, validate and order 10,000 assets (100 layers of 100, S2's wiring).

Idiomatic Dagster 1.13: the asset definitions of ``bench.peers.s2_dagster.build_assets``,
``Definitions(assets=...)``, then ``defs.resolve_asset_graph()`` (which validates the
definitions and builds the asset graph) and its topological order
``asset_graph.toposorted_asset_keys``. The core phase covers all of that, not the import;
the figures are whole-process wall time and peak memory.

Run under ``.venv-peers/bin/python`` with the repository on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse

from bench.peers.s2_dagster import build_assets
from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered


def run_dagster(args: argparse.Namespace) -> Report:
    from dagster import Definitions

    layers = layered.layers_for(args.size, args.width)
    with timed() as core:
        defs = Definitions(assets=build_assets(layers, args.width))
        graph = defs.resolve_asset_graph()
        order = graph.toposorted_asset_keys
    if len(order) != args.size:
        raise SystemExit(f"S5 (Dagster): the order has {len(order)} keys, expected {args.size}")
    return Report(units=args.size, core_ms=core.ms)


def main(argv: list[str] | None = None) -> None:
    run_variants(
        {"dagster": run_dagster},
        description=__doc__ or "",
        default_size=10_000,
        extra_args=lambda parser: parser.add_argument("--width", type=int, default=100),
        argv=argv,
    )


if __name__ == "__main__":
    main()
