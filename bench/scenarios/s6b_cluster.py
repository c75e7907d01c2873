"""S6b: 64 independent CPU-bound assets (~0.5 s each) on a 3-worker Dask cluster.

The cluster is the one of the cluster tests (``bench/cluster.py``): a ``dask scheduler``
and three ``dask worker`` processes (one thread each, each in its own folder), values in
moto's S3 server through ``PickleIOManager("s3://...")``, metadata in SQLite on the
coordinator. Starting the cluster is not timed; the core phase is the run.
assetgraph: ``--executor dask --dask-address`` on that cluster. baseline: the same run,
same S3 IO manager, with the ``in_process`` executor. The speed-up is the baseline's core
time over assetgraph's (the inverse of the core ratio); on this 2-core machine the three
workers share two cores, so 2x is the ceiling.
"""

from __future__ import annotations

import argparse

from bench.protocol import Report, run_variants
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s6b_cluster"
BURN_SECONDS = 0.5

SCENARIO = Scenario(
    id="S6b",
    title="cluster speed-up: 64 CPU-bound assets, 3 Dask worker processes vs in-process",
    reference="aim: >= 1.7x on 2 cores (core ratio <= 0.588)",
    cases=(
        Case(
            name="dask-3-workers",
            command=module_command(
                MODULE,
                ("--size", "64", "--burn", str(BURN_SECONDS)),
                ("--size", "6", "--burn", "0.05"),
            ),
            unit="asset",
            figures=(Figure("ratio_core", "core time / in-process", 0.588, True),),
        ),
    ),
)

DEFS = """
import time
from assetgraph import asset, Definitions
from io_managers.pickle import PickleIOManager

def burn(seconds):
    end = time.process_time() + seconds
    total = 0
    while time.process_time() < end:
        total += sum(range(1000))
    return total

def make(index, seconds):
    @asset(name=f"cpu_{index:02d}")
    def work():
        return burn(seconds)
    return work

defs = Definitions(
    [make(i, {burn}) for i in range({size})],
    io_managers={"io_manager": PickleIOManager("s3://bench/values")},
)
"""


def _run(args: argparse.Namespace, on_cluster: bool) -> Report:
    from bench.cluster_runs import cluster_run

    code = DEFS.replace("{burn}", str(args.burn)).replace("{size}", str(args.size))
    core_ms = cluster_run(code, workers=3, on_cluster=on_cluster)
    return Report(units=args.size, core_ms=core_ms)


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--burn", type=float, default=BURN_SECONDS)

    run_variants(
        {
            "assetgraph": lambda args: _run(args, True),
            "baseline": lambda args: _run(args, False),
        },
        description=__doc__ or "",
        default_size=64,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
