"""S3: backfill a chain of 5 daily-partitioned assets over 365 days (1,825 steps) in one run.

Each asset is a 100-row DataFrame per day: ``stage_0`` makes it from the day, and
``stage_k`` reads ``stage_{k-1}`` of the same day (identity mapping) and changes a column.

assetgraph: the chain built with ``@asset``/``AssetIn`` on a ``DailyPartitionsDefinition``
that ends after ``--size`` days, stored with ``ParquetIOManager`` (one file per asset and
day), SQLite metadata on disk; the core phase is ``materialize(..., all_partitions=True)``
(planning included). The schema is created, and pandas/pyarrow are imported, before it.

baseline: plain Python calling the same 5 functions per day in dependency order, reading
each input from its parquet file and writing each output to a temporary file renamed over
``<asset>/<day>.parquet``, and inserting one row per materialization into SQLite in one
transaction. It also times its own parquet writes and reads (``extra``), so the cost per
step beyond parquet I/O can be read off: assetgraph's core ms per step minus the
baseline's is what the framework adds on top of the same storage work.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.protocol import Report, run_variants, timed
from bench.spec import Case, Figure, Scenario, module_command

if TYPE_CHECKING:
    import pandas as pd

    from assetgraph import AssetsDefinition

MODULE = "bench.scenarios.s3_backfill"
STAGES = 5
ROWS = 100
START = date(2013, 1, 1)  # 365 days to 2014-01-01: no leap day; 3,650 days end in the past

SCENARIO = Scenario(
    id="S3",
    title="backfill: chain of 5 daily-partitioned assets x 365 days, 100-row frames, parquet",
    reference="Dagster 1.13: 145 ms per step (floor 4.1 ms, parquet-bound)",
    cases=(
        Case(
            name="backfill",
            command=module_command(MODULE, ("--size", "365"), ("--size", "10")),
            unit="step",
            figures=(
                Figure("core_ms_per_unit", "core ms per step"),
                Figure("ratio_core", "core ratio to baseline", 2.0, inclusive=True),
            ),
        ),
    ),
    notes=(
        "aim: < 2 ms per step beyond the parquet writes = assetgraph core ms per step minus "
        "the baseline's (the baseline reports its parquet write/read ms in extra)",
    ),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def days_of(size: int) -> list[str]:
    return [(START + timedelta(days=i)).isoformat() for i in range(size)]


def stage_name(stage: int) -> str:
    return f"stage_{stage}"


# The asset functions: the same ones for both variants.


def make_frame(day: str) -> pd.DataFrame:
    """The first stage: ``ROWS`` rows derived from the day."""
    import pandas as pd

    base = date.fromisoformat(day).toordinal()
    return pd.DataFrame(
        {
            "id": range(ROWS),
            "day": [day] * ROWS,
            "value": [float((base + i) % 97) for i in range(ROWS)],
        }
    )


def next_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every later stage: the upstream frame with ``value`` moved on by one step."""
    return frame.assign(value=frame["value"] * 1.5 + 1.0)


def _first_fn() -> Any:
    def stage_0(context: Any) -> pd.DataFrame:
        return make_frame(context.partition_key)

    return stage_0


def _next_fn() -> Any:
    def stage(upstream: pd.DataFrame) -> pd.DataFrame:
        return next_frame(upstream)

    return stage


def build_assets(size: int) -> list[AssetsDefinition]:
    from assetgraph import AssetIn, DailyPartitionsDefinition, asset

    end = START + timedelta(days=size)
    daily = DailyPartitionsDefinition(start_date=START.isoformat(), end_date=end.isoformat())
    assets = [asset(name=stage_name(0), partitions_def=daily)(_first_fn())]
    for stage in range(1, STAGES):
        ins = {"upstream": AssetIn(key=stage_name(stage - 1))}
        assets.append(asset(name=stage_name(stage), partitions_def=daily, ins=ins)(_next_fn()))
    return assets


def _import_frames() -> None:
    """Import pandas and pyarrow's parquet module outside the core phase (both variants)."""
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def run_assetgraph(args: argparse.Namespace) -> Report:
    from assetgraph import Definitions, Instance, materialize
    from io_managers.parquet import ParquetIOManager

    _import_frames()
    folder = home()
    defs = Definitions(
        assets=build_assets(args.size),
        io_managers={"io_manager": ParquetIOManager(folder / "parquet")},
    )
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    with timed() as core:
        result = materialize(defs, instance=instance, all_partitions=True)
    if not result.success:
        raise SystemExit(f"S3: the run failed: {result.failures}")
    steps = len(result.plan)
    _check(steps, args.size)
    return Report(units=steps, core_ms=core.ms)


def run_baseline(args: argparse.Namespace) -> Report:
    import pandas as pd

    _import_frames()
    folder = home()
    lake = folder / "parquet"
    for stage in range(STAGES):
        (lake / stage_name(stage)).mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE materializations (id INTEGER PRIMARY KEY, run_id TEXT, asset_key TEXT, "
        "partition_key TEXT, timestamp REAL, path TEXT)"
    )
    run_id = uuid.uuid4().hex
    write_s = read_s = 0.0
    steps = 0
    with timed() as core:
        db.execute("BEGIN IMMEDIATE")
        for day in days_of(args.size):
            for stage in range(STAGES):
                if stage == 0:
                    frame = make_frame(day)
                else:
                    began = time.perf_counter()
                    upstream = pd.read_parquet(
                        lake / stage_name(stage - 1) / f"{day}.parquet", engine="pyarrow"
                    )
                    read_s += time.perf_counter() - began
                    frame = next_frame(upstream)
                path = lake / stage_name(stage) / f"{day}.parquet"
                began = time.perf_counter()
                _store(path, frame)
                write_s += time.perf_counter() - began
                db.execute(
                    "INSERT INTO materializations "
                    "(run_id, asset_key, partition_key, timestamp, path) VALUES (?, ?, ?, ?, ?)",
                    (run_id, stage_name(stage), day, time.time(), str(path)),
                )
                steps += 1
        db.execute("COMMIT")
    db.close()
    _check(steps, args.size)
    extra = {
        "parquet_write_ms": write_s * 1000.0,
        "parquet_read_ms": read_s * 1000.0,
        "parquet_write_ms_per_step": write_s * 1000.0 / steps,
        "parquet_io_ms_per_step": (write_s + read_s) * 1000.0 / steps,
    }
    return Report(units=steps, core_ms=core.ms, extra=extra)


def _store(path: Path, frame: pd.DataFrame) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as handle:
        frame.to_parquet(handle, engine="pyarrow")
    os.replace(tmp, path)


def _check(steps: int, size: int) -> None:
    if steps != STAGES * size:
        raise SystemExit(f"S3: {steps} steps ran, expected {STAGES * size}.")


def main(argv: list[str] | None = None) -> None:
    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=365,
        argv=argv,
    )


if __name__ == "__main__":
    main()
