"""S7b: per-step overhead on a 3-worker Dask cluster: 1,000 trivial independent steps.

The cluster of S6b (``bench/cluster.py``: ``dask scheduler``, three ``dask worker``
processes, values in moto's S3 server through ``PickleIOManager("s3://...")``, SQLite
metadata on the coordinator); starting it is not timed, connecting to it and setting the
workers up for the run is. assetgraph: 1,000 assets returning a small constant, one run on
the cluster. baseline: S7's plain Python (call each function, pickle to a file with a
rename, one SQLite row each). The figure is core ms per step: what a step costs beyond its
own work when it travels to a worker and its value to object storage.
"""

from __future__ import annotations

import argparse

from bench.protocol import Report, run_variants
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s7b_cluster"

SCENARIO = Scenario(
    id="S7b",
    title="cluster overhead: 1,000 trivial steps on 3 Dask worker processes, values in S3",
    reference="aim: < 15 ms per step (S7's Dask aim)",
    cases=(
        Case(
            name="dask-3-workers",
            command=module_command(MODULE, ("--size", "1000"), ("--size", "50")),
            unit="step",
            figures=(Figure("core_ms_per_unit", "core ms per step", 15.0),),
        ),
    ),
)

DEFS = """
from assetgraph import asset, Definitions
from io_managers.pickle import PickleIOManager

def make(index):
    @asset(name=f"step_{index:04d}", code_version="1")
    def trivial():
        return index
    return trivial

defs = Definitions(
    [make(i) for i in range({size})],
    io_managers={"io_manager": PickleIOManager("s3://bench/values")},
)
"""


def run_assetgraph(args: argparse.Namespace) -> Report:
    from bench.cluster_runs import cluster_run

    core_ms = cluster_run(DEFS.replace("{size}", str(args.size)), workers=3, on_cluster=True)
    return Report(units=args.size, core_ms=core_ms)


def run_baseline(args: argparse.Namespace) -> Report:
    from bench.scenarios.s7_overhead import run_baseline as s7_baseline

    return s7_baseline(args)


def main(argv: list[str] | None = None) -> None:
    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=1000,
        argv=argv,
    )


if __name__ == "__main__":
    main()
