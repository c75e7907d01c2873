"""Partitioned inputs: a bare parameter gets Dagster's shapes; an annotation keeps one shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from assetgraph import (
    DailyPartitionsDefinition,
    Definitions,
    InMemoryIOManager,
    Instance,
    asset,
    materialize,
)
from io_managers.parquet import ParquetIOManager

DAYS = ["2025-01-01", "2025-01-02", "2025-01-03"]
daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-04")


@asset(partitions_def=daily)
def sales(context) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    day = context.partition_key
    return pd.DataFrame({"day": [day, day], "amount": [int(day[-1]), 10 * int(day[-1])]})


def _run(defs: Definitions, instance: Instance, **kwargs: Any) -> Any:
    result = materialize(defs, instance=instance, **kwargs)
    assert result.success, [f.error.summary() for f in result.failures if f.error]
    return result


@pytest.fixture
def instance() -> Instance:
    return Instance.ephemeral()


def _seed(instance: Instance, *downstream: Any, io_manager: Any = None) -> Definitions:
    resources = {"io_manager": io_manager} if io_manager is not None else {}
    defs = Definitions(assets=[sales, *downstream], resources=resources)
    _run(defs, instance, all_partitions=True)
    return defs


def test_a_bare_parameter_gets_a_dict_for_several_partitions(instance: Instance) -> None:
    @asset
    def seen(sales):  # type: ignore[no-untyped-def]
        return {"type": type(sales).__name__, "keys": sorted(sales)}

    defs = _seed(instance, seen)
    assert _run(defs, instance, selection="seen").output_for("seen") == {
        "type": "dict",
        "keys": DAYS,
    }


def test_a_bare_parameter_gets_the_value_for_one_partition(instance: Instance) -> None:
    @asset(partitions_def=daily)
    def seen(sales):  # type: ignore[no-untyped-def]
        return type(sales).__name__

    defs = _seed(instance, seen)
    result = _run(defs, instance, selection="seen", partition_key="2025-01-02")
    assert result.output_for("seen", partition="2025-01-02") == "DataFrame"


def test_a_dataframe_annotation_concatenates_partitions_in_key_order(instance: Instance) -> None:
    @asset
    def total(sales: pd.DataFrame) -> list[str]:
        return list(sales["day"])

    defs = _seed(instance, total)
    assert _run(defs, instance, selection="total").output_for("total") == [
        day for day in DAYS for _ in range(2)
    ]


def test_a_dict_annotation_is_a_dict_even_for_one_partition(instance: Instance) -> None:
    @asset(partitions_def=daily)
    def per_day(sales: dict[str, pd.DataFrame]) -> list[str]:
        return list(sales)

    defs = _seed(instance, per_day)
    result = _run(defs, instance, selection="per_day", partition_key="2025-01-03")
    assert result.output_for("per_day", partition="2025-01-03") == ["2025-01-03"]


def test_a_dict_annotation_splits_a_table_io_managers_frame(
    instance: Instance, tmp_path: Path
) -> None:
    @asset(partitions_def=daily, io_manager_key="parquet")
    def frames(context) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        return pd.DataFrame({"amount": [int(context.partition_key[-1])] * 2})

    @asset
    def per_day(frames: dict[str, pd.DataFrame]) -> dict[str, int]:
        return {day: int(frame["amount"].sum()) for day, frame in frames.items()}

    @asset
    def whole(frames: pd.DataFrame) -> int:
        return len(frames)

    defs = Definitions(
        assets=[frames, per_day, whole],
        io_managers={"parquet": ParquetIOManager(tmp_path / "pq")},
    )
    result = _run(defs, instance, all_partitions=True)
    assert result.output_for("per_day") == {"2025-01-01": 2, "2025-01-02": 4, "2025-01-03": 6}
    assert result.output_for("whole") == 6


def test_the_in_memory_io_manager_gives_the_same_shapes(instance: Instance) -> None:
    @asset
    def per_day(sales: dict[str, pd.DataFrame]) -> list[str]:
        return list(sales)

    @asset
    def whole(sales: pd.DataFrame) -> int:
        return len(sales)

    defs = Definitions(
        assets=[sales, per_day, whole], resources={"io_manager": InMemoryIOManager()}
    )
    result = _run(defs, instance, all_partitions=True)
    assert result.output_for("per_day") == DAYS
    assert result.output_for("whole") == 6


def test_a_pyarrow_table_annotation_concatenates_partitions(instance: Instance) -> None:
    @asset(partitions_def=daily)
    def rows(context) -> Any:  # type: ignore[no-untyped-def]
        return pa.table({"day": [context.partition_key]})

    @asset
    def days(rows: pa.Table) -> list[str]:
        return [str(day) for day in rows.column("day").to_pylist()]

    defs = Definitions(assets=[rows, days])
    assert _run(defs, instance, all_partitions=True).output_for("days") == DAYS
