"""S6: parallel speed-up: 16 independent assets each burning ~0.5 s of CPU.

assetgraph: the 16 assets materialized in one run with the ``multiprocess`` executor
(``--workers 2``) or the ``dask`` executor (a local cluster of 2 worker processes).
baseline: the same run with the ``in_process`` executor. The speed-up is the baseline's
core time over assetgraph's (the inverse of the reported core ratio), on 2 cores.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench.protocol import Report, run_variants, timed
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s6_parallel"
BURN_SECONDS = 0.5


def _case(executor: str, aim_speedup: float) -> Case:
    return Case(
        name=executor,
        command=module_command(
            MODULE,
            ("--executor", executor, "--size", "16", "--burn", str(BURN_SECONDS)),
            ("--executor", executor, "--size", "4", "--burn", "0.05"),
        ),
        unit="asset",
        figures=(Figure("ratio_core", "core time / in-process", round(1 / aim_speedup, 3), True),),
    )


SCENARIO = Scenario(
    id="S6",
    title="parallel speed-up: 16 CPU-bound assets, 2 workers vs in-process",
    reference="aims: >= 1.8x multiprocess, >= 1.7x Dask (core ratio <= 0.556 / 0.588)",
    cases=(_case("multiprocess", 1.8), _case("dask", 1.7)),
)

DEFS = """
import time
from assetgraph import asset, Definitions

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

defs = Definitions([make(i, {burn}) for i in range({size})])
"""


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def _run(args: argparse.Namespace, executor: str) -> Report:
    from assetgraph import Instance, load_definitions, materialize

    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "s6_defs.py"
    path.write_text(DEFS.replace("{burn}", str(args.burn)).replace("{size}", str(args.size)))
    defs = load_definitions(file=path)
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    with timed() as core:
        result = materialize(defs, instance=instance, executor=executor, workers=2)
    if not result.success:
        raise SystemExit(f"S6: the run failed: {result.failures}")
    return Report(units=args.size, core_ms=core.ms)


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--executor", choices=("multiprocess", "dask"), default="multiprocess")
        parser.add_argument("--burn", type=float, default=BURN_SECONDS)

    run_variants(
        {
            "assetgraph": lambda args: _run(args, args.executor),
            "baseline": lambda args: _run(args, "in_process"),
        },
        description=__doc__ or "",
        default_size=16,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
