"""The Delta Lake IO manager against the real deltalake package (delta-rs), via materialize,
the CLI, several threads and processes, and moto's S3 server."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetIn,
    DailyPartitionsDefinition,
    Definitions,
    HourlyPartitionsDefinition,
    Instance,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
    asset,
    materialize,
)
from assetgraph.errors import StorageError

deltalake = pytest.importorskip(
    "deltalake", reason="the deltalake package is not installed (extra 'deltalake')"
)
pl = pytest.importorskip("polars", reason="the polars package is not installed (extra 'polars')")

from io_managers.delta_lake import DeltaLakeIOManager  # noqa: E402
from io_managers.memory import InMemoryIOManager  # noqa: E402
from tests.io_managers.contexts import input_context, output_context  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DAYS = ["2025-01-01", "2025-01-02", "2025-01-03"]
daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-04")
regions = StaticPartitionsDefinition(["us", "eu"])


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    return Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)


@pytest.fixture
def lake(tmp_path: Path) -> DeltaLakeIOManager:
    return DeltaLakeIOManager(tmp_path / "lake")


def _defs(*assets: Any, lake: DeltaLakeIOManager) -> Definitions:
    """Frames go to ``lake``; assets with io_manager_key='memory' keep plain values."""
    return Definitions(
        assets=list(assets), io_managers={"io_manager": lake, "memory": InMemoryIOManager()}
    )


def _run(defs: Definitions, instance: Instance, **kwargs: Any) -> Any:
    result = materialize(defs, instance=instance, **kwargs)
    assert result.success, [f.error.summary() for f in result.failures if f.error]
    return result


def _failure(defs: Definitions, instance: Instance, **kwargs: Any) -> str:
    result = materialize(defs, instance=instance, **kwargs)
    assert not result.success, "the run should have failed"
    return " ".join(f.error.summary() for f in result.failures if f.error)


def _table(uri: str, storage_options: dict[str, str] | None = None) -> Any:
    return deltalake.DeltaTable(uri, storage_options=storage_options)


def _rows(uri: str, storage_options: dict[str, str] | None = None) -> list[tuple[Any, ...]]:
    frame = _table(uri, storage_options).to_pandas()
    return sorted(frame.itertuples(index=False, name=None))


def _latest(instance: Instance, key: str) -> dict[Any, Any]:
    return dict(instance.storage.latest_materializations([key]))


# Unpartitioned assets.


def test_an_unpartitioned_asset_overwrites_its_table_and_loads_by_annotation(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    amounts = [1.5, 2.0, 3.0]

    @asset(key_prefix="shop")
    def orders() -> pd.DataFrame:
        return pd.DataFrame({"region": ["eu", "us", "eu"], "amount": amounts})

    @asset(io_manager_key="memory", key_prefix="shop")
    def kinds(orders: pa.Table, as_polars: pl.LazyFrame, as_pandas: pd.DataFrame) -> list[str]:
        return [type(orders).__name__, type(as_polars).__name__, type(as_pandas).__name__]

    @asset(key_prefix="shop")
    def as_polars(orders: pl.DataFrame) -> pl.DataFrame:
        return orders.group_by("region").agg(pl.col("amount").sum()).sort("region")

    @asset(key_prefix="shop")
    def as_pandas(as_polars) -> pa.Table:  # type: ignore[no-untyped-def]  # as upstream returns
        assert isinstance(as_polars, pl.DataFrame)
        return as_polars.to_arrow()

    defs = _defs(orders, as_polars, as_pandas, kinds, lake=lake)
    result = _run(defs, instance)
    assert result.output_for("shop/kinds") == ["Table", "LazyFrame", "DataFrame"]
    uri = f"{lake.root_uri}/shop/orders"
    assert _rows(uri) == [("eu", 1.5), ("eu", 3.0), ("us", 2.0)]
    assert _rows(f"{lake.root_uri}/shop/as_pandas") == [("eu", 4.5), ("us", 2.0)]

    first = _latest(instance, "shop/orders")[("shop/orders", None)]
    assert first.metadata["table_uri"] == uri
    assert first.metadata["table_version"] == 0
    assert first.metadata["row_count"] == 3
    assert first.metadata["table_schema"] == {"region": "string", "amount": "double"}
    assert first.data_version.startswith("v0@"), first.data_version

    amounts[:] = [9.0, 9.0, 9.0]
    _run(defs, instance, selection=["shop/orders"])
    second = _latest(instance, "shop/orders")[("shop/orders", None)]
    assert _rows(uri) == [("eu", 9.0), ("eu", 9.0), ("us", 9.0)], "overwritten, not appended"
    assert second.metadata["table_version"] == _table(uri).version() == 1
    assert second.data_version.startswith("v1@") and second.data_version != first.data_version


def test_an_unpartitioned_overwrite_replaces_the_schema(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    columns = {"a": [1, 2]}

    @asset
    def shape() -> pd.DataFrame:
        return pd.DataFrame(columns)

    _run(_defs(shape, lake=lake), instance)
    columns.clear()
    columns.update({"b": ["x"], "a": ["now text"]})
    _run(_defs(shape, lake=lake), instance)
    assert _rows(f"{lake.root_uri}/shape") == [("x", "now text")]


def test_a_value_that_is_not_a_frame_is_refused_naming_the_asset(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    @asset
    def config() -> dict[str, int]:
        return {"a": 1}

    message = _failure(_defs(config, lake=lake), instance)
    assert "asset 'config' returned dict" in message


def test_loading_a_table_never_written_names_the_asset_and_the_table(
    lake: DeltaLakeIOManager,
) -> None:
    with pytest.raises(StorageError, match=r"Asset 'nothing' has no stored value at Delta table"):
        lake.load_input(input_context("nothing"))


# Partitions.


@asset(partitions_def=daily, metadata={"partition_expr": "day"})
def sales(context: Any) -> pd.DataFrame:
    day = dt.date.fromisoformat(context.partition_key)
    return pd.DataFrame({"day": [day, day], "amount": [1.0, float(day.day)]})


def test_each_partition_replaces_only_its_rows_and_reruns_are_idempotent(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    defs = _defs(sales, lake=lake)
    for day in [DAYS[0], DAYS[1], DAYS[0], DAYS[0]]:
        _run(defs, instance, partition_key=day)
    uri = f"{lake.root_uri}/sales"
    jan = [dt.date(2025, 1, 1), dt.date(2025, 1, 2)]
    assert _rows(uri) == [(jan[0], 1.0), (jan[0], 1.0), (jan[1], 1.0), (jan[1], 2.0)]
    table = _table(uri)
    assert table.version() == 3, "one commit per write"
    assert table.metadata().partition_columns == ["day"], "a date column partitions the table"
    assert table.history(1)[0]["operationParameters"]["predicate"] == (
        "day >= '2025-01-01'::date AND day < '2025-01-02'::date"
    )
    records = _latest(instance, "sales")
    assert records[("sales", DAYS[0])].data_version.startswith("v3@")
    assert records[("sales", DAYS[1])].data_version.startswith("v1@")
    assert records[("sales", DAYS[0])].metadata["partition_predicate"] == (
        "\"day\" >= '2025-01-01' AND \"day\" < '2025-01-02'"
    )


def test_several_partitions_load_in_key_order_as_one_frame_or_a_dict(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    @asset(io_manager_key="memory", ins={"per_day": AssetIn(key="sales")})
    def report(sales: pd.DataFrame, per_day: dict[str, pl.DataFrame]) -> dict[str, Any]:
        return {
            "days": [d.isoformat() for d in sales["day"]],
            "per_day": {key: frame.height for key, frame in per_day.items()},
        }

    @asset(io_manager_key="memory")
    def arrow_days(sales: pa.Table) -> list[str]:
        return [d.isoformat() for d in sales.column("day").to_pylist()]

    defs = _defs(sales, report, arrow_days, lake=lake)
    for day in reversed(DAYS):
        _run(defs, instance, selection=["sales"], partition_key=day)
    result = _run(defs, instance, selection=["report", "arrow_days"])
    days = [DAYS[0]] * 2 + [DAYS[1]] * 2 + [DAYS[2]] * 2
    assert result.output_for("arrow_days") == days
    assert result.output_for("report") == {
        "days": days,
        "per_day": {day: 2 for day in DAYS},
    }
    loaded = lake.load_input(input_context("sales", (DAYS[1],), {"partition_expr": "day"}))
    assert list(loaded["amount"]) == [1.0, 2.0]


def test_static_partitions_without_partition_expr_get_a_partition_key_column(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    @asset(partitions_def=regions)
    def customers(context: Any) -> pl.DataFrame:
        return pl.DataFrame({"name": [f"{context.partition_key}-1", f"{context.partition_key}-2"]})

    @asset(io_manager_key="memory")
    def names(customers: pl.DataFrame) -> list[str]:
        return customers["name"].to_list()

    defs = _defs(customers, names, lake=lake)
    for region in ["eu", "us", "eu"]:
        _run(defs, instance, selection=["customers"], partition_key=region)
    uri = f"{lake.root_uri}/customers"
    assert _rows(uri) == [("eu-1", "eu"), ("eu-2", "eu"), ("us-1", "us"), ("us-2", "us")]
    assert _table(uri).metadata().partition_columns == ["partition_key"]
    result = _run(defs, instance, selection=["names"])
    assert result.output_for("names") == ["us-1", "us-2", "eu-1", "eu-2"], "definition order"


def test_several_partitions_at_once_need_a_partition_column(lake: DeltaLakeIOManager) -> None:
    frame = pd.DataFrame({"x": [1]})
    with pytest.raises(StorageError, match=r"Asset 'r' is stored for 2 partitions at once"):
        lake.handle_output(output_context("r", ("eu", "us")), frame)
    lake.handle_output(
        output_context("r", ("eu", "us")), frame.assign(partition_key=["eu"])
    )  # a partition_key column is enough; a partition may be empty
    assert lake.load_input(input_context("r", ("eu", "us")))["x"].tolist() == [1]
    assert lake.load_input(input_context("r", ("us",))).empty


def test_hourly_partitions_select_event_times_inside_the_window_of_their_time_zone(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    hourly = HourlyPartitionsDefinition(
        start_date="2025-03-01-00:00", end_date="2025-03-02-00:00", timezone="Europe/Paris"
    )
    offset_minutes = [5, 59]

    @asset(partitions_def=hourly, metadata={"partition_expr": "at"})
    def clicks(context: Any) -> pd.DataFrame:
        start = context.partition_time_window.start
        stamps = [start + dt.timedelta(minutes=m) for m in offset_minutes]
        return pd.DataFrame({"at": pd.to_datetime(stamps, utc=True), "n": [1, 2]})

    defs = _defs(clicks, lake=lake)
    for key in ["2025-03-01-10:00", "2025-03-01-11:00", "2025-03-01-10:00"]:
        _run(defs, instance, partition_key=key)
    uri = f"{lake.root_uri}/clicks"
    stored = _table(uri).to_pandas().sort_values("at")
    assert [t.isoformat() for t in stored["at"]] == [
        "2025-03-01T09:05:00+00:00",  # 10:05 in Paris
        "2025-03-01T09:59:00+00:00",
        "2025-03-01T10:05:00+00:00",
        "2025-03-01T10:59:00+00:00",
    ]
    assert _table(uri).metadata().partition_columns == [], "timestamps do not partition files"

    offset_minutes[:] = [5, 61]  # the second row falls in the next hour
    message = _failure(defs, instance, partition_key="2025-03-01-10:00")
    assert "Asset 'clicks' is stored for partitions '2025-03-01-10:00'" in message
    assert "rows of its frame lie outside them" in message
    assert len(_table(uri).to_pandas()) == 4, "a refused write changes nothing"


def test_multi_partitions_take_one_column_per_dimension(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    both = MultiPartitionsDefinition({"date": daily, "region": regions})

    @asset(partitions_def=both, metadata={"partition_expr": {"date": "day", "region": "region"}})
    def visits(context: Any) -> pd.DataFrame:
        keys = context.partition_key.keys_by_dimension
        day = dt.date.fromisoformat(keys["date"])
        return pd.DataFrame({"day": [day], "region": [keys["region"]], "n": [len(keys["region"])]})

    defs = _defs(visits, lake=lake)
    for key in ["2025-01-01|eu", "2025-01-01|us", "2025-01-02|eu", "2025-01-01|eu"]:
        result = _run(defs, instance, partition_key=key)
    loaded_by_result = result.output_for("visits", "2025-01-01|eu")  # knows the dimensions
    assert loaded_by_result[["region", "n"]].values.tolist() == [["eu", 2]]
    uri = f"{lake.root_uri}/visits"
    jan = [dt.date(2025, 1, 1), dt.date(2025, 1, 2)]
    assert _rows(uri) == [(jan[0], "eu", 2), (jan[0], "us", 2), (jan[1], "eu", 2)]
    assert _table(uri).metadata().partition_columns == ["day", "region"]
    context = input_context("visits", ("2025-01-01|us", "2025-01-02|eu"))
    context.metadata = {"partition_expr": {"date": "day", "region": "region"}}
    context.partitions_def = both
    loaded = lake.load_input(context)
    assert list(zip(loaded["day"], loaded["region"], strict=True)) == [
        (jan[0], "us"),
        (jan[1], "eu"),
    ]

    @asset(partitions_def=both, metadata={"partition_expr": {"date": "day"}})
    def half(context: Any) -> pd.DataFrame:
        return pd.DataFrame({"day": []})

    message = _failure(_defs(half, lake=lake), instance, partition_key="2025-01-01|eu")
    assert "metadata partition_expr names dimensions ['date']" in message


def test_a_new_column_is_merged_and_a_changed_type_is_refused_by_name(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    extra: dict[str, list[Any]] = {}

    @asset(partitions_def=regions, metadata={"partition_expr": "region"})
    def stock(context: Any) -> pd.DataFrame:
        return pd.DataFrame({"region": [context.partition_key], "qty": [3], **extra})

    defs = _defs(stock, lake=lake)
    _run(defs, instance, partition_key="us")
    extra["colour"] = ["red"]
    _run(defs, instance, partition_key="eu")
    stored = _table(f"{lake.root_uri}/stock").to_pandas().sort_values("region")
    assert stored[["region", "qty"]].to_dict("list") == {"region": ["eu", "us"], "qty": [3, 3]}
    assert stored["colour"].tolist()[0] == "red" and pd.isna(stored["colour"].tolist()[1])

    extra["qty"] = ["three"]
    message = _failure(defs, instance, partition_key="us")
    assert re.search(
        r"Asset 'stock': column\(s\) 'qty' \(int64 in the table, (large_)?string in the frame\) "
        "changed type",
        message,
    ), message


def test_reading_by_partition_a_table_without_the_partition_column_says_what_to_set(
    lake: DeltaLakeIOManager,
) -> None:
    lake.handle_output(output_context("flat"), pd.DataFrame({"x": [1]}))
    with pytest.raises(StorageError, match=r"has no partition column \['partition_key'\]"):
        lake.load_input(input_context("flat", ("eu",)))


def test_a_rerun_of_the_upstream_makes_its_downstream_stale(
    lake: DeltaLakeIOManager, instance: Instance
) -> None:
    from assetgraph import stale_status

    @asset
    def source() -> pd.DataFrame:
        return pd.DataFrame({"x": [1]})

    @asset
    def derived(source: pd.DataFrame) -> pd.DataFrame:
        return source

    defs = _defs(source, derived, lake=lake)
    _run(defs, instance)
    assert stale_status(defs, instance=instance)["derived"].status == "fresh"
    _run(defs, instance, selection=["source"])
    assert stale_status(defs, instance=instance)["derived"].status == "stale", (
        "a new table version is a new data version"
    )


# Concurrent writers.

hours = HourlyPartitionsDefinition(start_date="2025-01-01-00:00", end_date="2025-01-01-06:00")
HOURS = ["2025-01-01-00:00", "2025-01-01-01:00", "2025-01-01-02:00", "2025-01-01-03:00"]


def _hour_rows(keys: list[str], value: int) -> pd.DataFrame:
    starts = [pd.Timestamp(key[:10] + " " + key[11:], tz="UTC") for key in keys]
    return pd.DataFrame({"at": [s + pd.Timedelta(minutes=30) for s in starts], "v": value})


def test_writers_of_different_partitions_at_once_all_land_retrying_conflicts(
    lake: DeltaLakeIOManager,
) -> None:
    metadata = {"partition_expr": "at"}

    def context(keys: tuple[str, ...]) -> Any:
        built = output_context("events", keys, metadata)
        built.partitions_def = hours
        return built

    # One commit writes every hour into one file: each rewrite below replaces that file,
    # so concurrent rewrites conflict in delta-rs and must be retried whole.
    lake.handle_output(context(tuple(HOURS)), _hour_rows(HOURS, 0))
    barrier = threading.Barrier(len(HOURS))
    contexts = {key: context((key,)) for key in HOURS}
    errors: list[BaseException] = []

    def rewrite(key: str) -> None:
        barrier.wait()
        try:
            lake.handle_output(contexts[key], _hour_rows([key], HOURS.index(key) + 1))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=rewrite, args=(key,)) for key in HOURS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    stored = _table(f"{lake.root_uri}/events").to_pandas().sort_values("at")
    assert stored["v"].tolist() == [1, 2, 3, 4], "every concurrent rewrite landed, none twice"
    versions = {c.output_metadata["table_version"] for c in contexts.values()}
    assert versions == {1, 2, 3, 4}, "each rewrite is its own commit, with its own version"
    for key, built in contexts.items():
        version = built.output_metadata["table_version"]
        assert built.data_versions[key].startswith(f"v{version}@"), built.data_versions


def test_two_cli_runs_of_different_partitions_at_once_both_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defs_file = tmp_path / "defs.py"
    defs_file.write_text(
        textwrap.dedent(
            f"""
            import pandas as pd
            from assetgraph import BackfillPolicy, DailyPartitionsDefinition, Definitions, asset
            from io_managers.delta_lake import DeltaLakeIOManager

            daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-03")

            @asset(
                partitions_def=daily,
                metadata={{"partition_expr": "at"}},
                backfill_policy=BackfillPolicy.single_run(),
            )
            def readings(context) -> pd.DataFrame:
                days = context.partition_keys
                at = pd.to_datetime([f"{{d}} 12:00" for d in days], utc=True)
                return pd.DataFrame({{"at": at, "run": [context.run_id] * len(days)}})

            defs = Definitions(
                assets=[readings],
                io_managers={{"io_manager": DeltaLakeIOManager({str(tmp_path / "lake")!r})}},
            )
            """
        )
    )
    cli = str(Path(sys.executable).parent / "assetgraph")
    env = {**os.environ, "ASSETGRAPH_HOME": str(tmp_path / "home")}
    backfill = [cli, "materialize", "-f", str(defs_file)]
    subprocess.run([*backfill, "--partition-range", "2025-01-01...2025-01-02"], env=env, check=True)
    runs = [
        subprocess.Popen(
            [*backfill, "--partition", day],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        for day in ["2025-01-01", "2025-01-02"]
    ]
    outputs = [run.communicate(timeout=240)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    stored = _table(str(tmp_path / "lake" / "readings")).to_pandas().sort_values("at")
    assert len(stored) == 2 and stored["run"].nunique() == 2, "each run's partition landed"
    assert _table(str(tmp_path / "lake" / "readings")).version() == 2, "three commits"


def test_the_cli_materializes_partitions_into_delta_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetgraph.cli.main import app

    defs_file = tmp_path / "defs.py"
    defs_file.write_text(
        textwrap.dedent(
            """
            import polars as pl
            from assetgraph import Definitions, StaticPartitionsDefinition, asset
            from io_managers.delta_lake import DeltaLakeIOManager

            regions = StaticPartitionsDefinition(["us", "eu"])

            @asset(partitions_def=regions, metadata={"partition_expr": "region"})
            def stores(context) -> pl.DataFrame:
                return pl.DataFrame({"region": [context.partition_key], "n": [1]})

            @asset
            def store_count(stores: pl.DataFrame) -> pl.DataFrame:
                return stores.group_by("region").len().sort("region")

            defs = Definitions(
                assets=[stores, store_count],
                io_managers={"io_manager": DeltaLakeIOManager("lake")},
            )
            """
        )
    )
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for region in ["us", "eu", "us"]:
        outcome = runner.invoke(
            app, ["materialize", "-f", str(defs_file), "--select", "stores", "--partition", region]
        )
        assert outcome.exit_code == 0, outcome.output
    outcome = runner.invoke(app, ["materialize", "-f", str(defs_file), "--select", "store_count"])
    assert outcome.exit_code == 0, outcome.output
    lake = tmp_path / "lake"  # a relative root_uri is under the working directory
    assert _rows(str(lake / "stores")) == [("eu", 1), ("us", 1)]
    assert _rows(str(lake / "store_count")) == [("eu", 1), ("us", 1)]


# Object storage: moto's S3 server (as in tests/cluster).


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from bench.cluster import BIN, S3Server

    if not (BIN / "moto_server").exists():
        pytest.skip("moto's S3 server is not installed (pip install -e '.[dev]')")
    server = S3Server(tmp_path_factory.mktemp("moto")).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def s3_lake(s3_endpoint: str) -> DeltaLakeIOManager:
    pytest.importorskip("s3fs", reason="creating the test bucket needs s3fs (extra 's3')")
    from bench.cluster import make_bucket

    bucket = f"lake-{uuid.uuid4().hex[:12]}"
    make_bucket(s3_endpoint, bucket)
    return DeltaLakeIOManager(
        f"s3://{bucket}/warehouse",
        storage_options={
            "AWS_ENDPOINT_URL": s3_endpoint,
            "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
        },
    )


def test_partitions_round_trip_through_s3(s3_lake: DeltaLakeIOManager, instance: Instance) -> None:
    @asset(io_manager_key="memory")
    def total(sales: pd.DataFrame) -> float:
        return float(sales["amount"].sum())

    defs = _defs(sales, total, lake=s3_lake)
    for day in [DAYS[0], DAYS[1], DAYS[0]]:
        _run(defs, instance, selection=["sales"], partition_key=day)
    result = _run(defs, instance, selection=["total"])
    assert result.output_for("total") == 1.0 + 1.0 + 1.0 + 2.0
    uri = f"{s3_lake.root_uri}/sales"
    assert uri.startswith("s3://") and s3_lake.host_local_storage() is None
    record = _latest(instance, "sales")[("sales", DAYS[0])]
    assert record.metadata["table_uri"] == uri
    assert record.data_version.startswith("v2@")
    assert len(_rows(uri, s3_lake.storage_options)) == 4


def test_concurrent_writers_of_different_partitions_on_s3_all_land(
    s3_lake: DeltaLakeIOManager,
) -> None:
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def write(region: str) -> None:
        context = output_context("stock", (region,), {"partition_expr": "region"})
        barrier.wait()
        try:
            s3_lake.handle_output(context, pd.DataFrame({"region": [region], "qty": [1]}))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(r,)) for r in ["a", "b", "c"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    rows = _rows(f"{s3_lake.root_uri}/stock", s3_lake.storage_options)
    assert rows == [("a", 1), ("b", 1), ("c", 1)], "three first writers of one new table"


def test_a_partition_key_with_quotes_is_a_literal_not_sql(lake: DeltaLakeIOManager) -> None:
    tricky = "o'hare\" OR 1=1 --"
    for key in [tricky, "x"]:
        lake.handle_output(output_context("airports", (key,)), pd.DataFrame({"n": [len(key)]}))
    lake.handle_output(output_context("airports", (tricky,)), pd.DataFrame({"n": [0]}))
    assert lake.load_input(input_context("airports", (tricky,)))["n"].tolist() == [0]
    assert lake.load_input(input_context("airports", ("x",)))["n"].tolist() == [1]
