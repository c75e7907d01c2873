"""S3 with Dagster: backfill 5 daily-partitioned assets over 365 days (1,825 steps), parquet.

The chain, the DataFrames and the parquet files are those of the main harness's S3
(``bench/scenarios/s3_backfill.py``, whose assetgraph and hand-written variants the peer
runner uses): ``stage_0`` makes a 100-row frame for its day with ``make_frame``, and
``stage_k`` reads ``stage_{k-1}`` of the same day and applies ``next_frame``; one parquet
file per asset and day, written to a temporary file and renamed into place. ``--size`` is
the number of daily partitions; the report's units are steps (``5 * partitions``).

Idiomatic Dagster 1.13: ``DailyPartitionsDefinition``, five ``@asset``s wired with
``AssetIn``, and a minimal ``ConfigurableIOManager`` writing one parquet file per asset
partition (Dagster core has no built-in parquet IO manager). A Dagster backfill of
per-partition steps is one run per partition, so the core phase executes the asset job
once per partition, in process, against one on-disk ``DagsterInstance`` (its default
SQLite storages). The job is resolved once from ``Definitions`` before the core phase, as
a code server would hold it, rather than rebuilt by ``materialize(..., partition_key=...)``
for every partition, which would only add cost on Dagster's side. A single-run
``BackfillPolicy`` is not used: it turns the work into 5 steps over 365-partition ranges,
a different (and for Dagster much cheaper) workload than 1,825 partition steps. pandas and
pyarrow's parquet module are imported before the core phase, as in the other variants.

Run under ``.venv-peers/bin/python`` with the repository on ``PYTHONPATH``.
"""

# No `from __future__ import annotations`: Dagster resolves the asset functions' annotations
# at definition time, and they name types imported inside `dagster_definitions`.
import argparse
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.protocol import Report, run_variants, timed
from bench.scenarios.s3_backfill import (
    STAGES,
    START,
    _import_frames,
    days_of,
    make_frame,
    next_frame,
    run_baseline,
    stage_name,
)


def home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or ".dagster").absolute()


def dagster_definitions(partitions: int, base_dir: Path) -> Any:
    """The chain as a Dagster code location, with the parquet IO manager as ``io_manager``."""
    import pandas as pd
    from dagster import (
        AssetExecutionContext,
        AssetIn,
        ConfigurableIOManager,
        DailyPartitionsDefinition,
        Definitions,
        InputContext,
        OutputContext,
        asset,
        define_asset_job,
    )

    class LocalParquetIOManager(ConfigurableIOManager):  # type: ignore[misc]
        """One parquet file per asset partition: ``<base_dir>/<asset>/<partition>.parquet``."""

        base_dir: str

        def _path(self, context: InputContext | OutputContext) -> Path:
            return Path(self.base_dir, *context.asset_key.path) / (
                f"{context.asset_partition_key}.parquet"
            )

        def handle_output(self, context: OutputContext, obj: pd.DataFrame) -> None:
            path = self._path(context)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            with tmp.open("wb") as handle:
                obj.to_parquet(handle, engine="pyarrow")
            os.replace(tmp, path)

        def load_input(self, context: InputContext) -> pd.DataFrame:
            return pd.read_parquet(self._path(context), engine="pyarrow")

    end = START + timedelta(days=partitions)
    daily = DailyPartitionsDefinition(start_date=START.isoformat(), end_date=end.isoformat())

    @asset(name=stage_name(0), partitions_def=daily)
    def first(context: AssetExecutionContext) -> pd.DataFrame:
        return make_frame(context.partition_key)

    def later(stage: int) -> Any:
        @asset(
            name=stage_name(stage),
            partitions_def=daily,
            ins={"upstream": AssetIn(key=stage_name(stage - 1))},
        )
        def step(upstream: pd.DataFrame) -> pd.DataFrame:
            return next_frame(upstream)

        return step

    names = [stage_name(stage) for stage in range(STAGES)]
    return Definitions(
        assets=[first, *(later(stage) for stage in range(1, STAGES))],
        jobs=[define_asset_job("backfill", selection=names, partitions_def=daily)],
        resources={"io_manager": LocalParquetIOManager(base_dir=str(base_dir))},
    )


def run_dagster(args: argparse.Namespace) -> Report:
    from dagster import DagsterInstance

    _import_frames()
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    days = days_of(args.size)
    defs = dagster_definitions(args.size, folder / "parquet")
    job = defs.resolve_job_def("backfill")
    steps = 0
    with DagsterInstance.local_temp(tempdir=str(folder)) as instance, timed() as core:
        for day in days:
            result = job.execute_in_process(instance=instance, partition_key=day)
            if not result.success:
                raise SystemExit(f"S3 (Dagster): the run of partition {day} failed")
            steps += len(result.get_step_success_events())
    if steps != STAGES * args.size:
        raise SystemExit(f"S3 (Dagster): {steps} steps succeeded, expected {STAGES * args.size}")
    return Report(units=steps, core_ms=core.ms, extra={"runs": len(days)})


def main(argv: list[str] | None = None) -> None:
    run_variants(
        # The baseline is the main harness's, offered here too for convenience.
        {"dagster": run_dagster, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=365,
    )


if __name__ == "__main__":
    main()
