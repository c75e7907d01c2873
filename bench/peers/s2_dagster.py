"""S2 with Dagster: materialize 1,000 trivial assets (10 layers of 100) in one in-process run.

Idiomatic Dagster 1.13: the layered graph of ``bench.scenarios.layered`` built with
``@asset(name=..., ins={"x": AssetIn(key=...), ...})`` from one factory (as assets made in
a loop are), ``FilesystemIOManager`` (Dagster's pickle-to-files IO manager, the equivalent
of assetgraph's default) under the process's temporary folder, and an on-disk
``DagsterInstance`` with its default SQLite storages (``DagsterInstance.local_temp``).
The core phase is the ``materialize(...)`` call alone: it builds the implicit asset job,
plans and executes the 1,000 steps in process, and writes the events. Building the asset
definitions and the instance comes before it.

Run under ``.venv-peers/bin/python`` with the repository on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from bench.protocol import Report, run_variants, timed
from bench.scenarios import layered


def home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or ".dagster").absolute()


def build_assets(layers: int, width: int) -> list[Any]:
    """The layered graph as Dagster asset definitions (public API only)."""
    from dagster import AssetIn, asset

    assets: list[Any] = []
    for layer, index in layered.positions(layers, width):
        name = layered.asset_name(layer, index)
        parents = layered.parent_names(layer, index, width)
        if not parents:
            assets.append(asset(name=name)(layered._root_fn(index)))
            continue
        ins = {"x": AssetIn(key=parents[0]), "y": AssetIn(key=parents[1])}
        assets.append(asset(name=name, ins=ins)(layered._inner_fn()))
    return assets


def run_dagster(args: argparse.Namespace) -> Report:
    from dagster import DagsterInstance, FilesystemIOManager, materialize

    layers = layered.layers_for(args.size, args.width)
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    assets = build_assets(layers, args.width)
    io_manager = FilesystemIOManager(base_dir=str(folder / "storage"))
    with DagsterInstance.local_temp(tempdir=str(folder)) as instance:
        with timed() as core:
            result = materialize(assets, instance=instance, resources={"io_manager": io_manager})
        if not result.success:
            raise SystemExit("S2 (Dagster): the run failed")
        steps = len(result.get_step_success_events())
    if steps != args.size:
        raise SystemExit(f"S2 (Dagster): {steps} steps succeeded, expected {args.size}")
    return Report(units=args.size, core_ms=core.ms)


def main(argv: list[str] | None = None) -> None:
    run_variants(
        {"dagster": run_dagster},
        description=__doc__ or "",
        default_size=1000,
        extra_args=lambda parser: parser.add_argument("--width", type=int, default=100),
        argv=argv,
    )


if __name__ == "__main__":
    main()
