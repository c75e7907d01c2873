"""Asset checks and pandera schemas while materializing: what is stored, skipped and recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    DailyPartitionsDefinition,
    DataVersion,
    Definitions,
    InputContext,
    Instance,
    IOManager,
    MaterializeResult,
    MetadataValue,
    Output,
    OutputContext,
    asset,
    asset_check,
    materialize,
    multi_asset,
    multi_asset_check,
)
from assetgraph.cli.main import app
from assetgraph.status.checks import latest_check_statuses
from assetgraph.storage.records import EventRecord, EventType

pandera = pytest.importorskip("pandera")
try:
    import pandera.pandas as pa
except ImportError:  # pandera < 0.24
    import pandera as pa  # type: ignore[no-redef]
from pandera.typing import DataFrame, Series  # noqa: E402

AMOUNTS: dict[str, list[int]] = {"amount": [1, 2, 3]}
REGIONS = ["north", "south", "north", "east", "west", "mars", "moon"]
THIS_FILE = Path(__file__).name


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Instance:
    url = f"sqlite:///{tmp_path}/m.db"
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", url)  # so that the CLI reads the same runs
    monkeypatch.setitem(AMOUNTS, "amount", [1, 2, 3])
    return Instance(storage_url=url, home=tmp_path)


@asset
def orders() -> pd.DataFrame:
    return pd.DataFrame({"amount": AMOUNTS["amount"]})


@asset
def total(orders: pd.DataFrame) -> int:
    return int(orders["amount"].sum())


@asset_check(asset=orders, blocking=True)
def non_negative(orders: pd.DataFrame) -> AssetCheckResult:
    """No negative amounts."""
    negative = int((orders["amount"] < 0).sum())
    return AssetCheckResult(passed=negative == 0, metadata={"negative_rows": negative})


@asset_check(asset="orders")
def has_many_rows(context: AssetExecutionContext, frame: pd.DataFrame) -> bool:
    return len(frame) >= 3


def check_events(instance: Instance, run_id: str) -> list[EventRecord]:
    return instance.storage.events_for_run(run_id, [EventType.ASSET_CHECK_EVALUATION])


def failure_message(instance: Instance, run_id: str) -> str:
    failures = instance.storage.events_for_run(run_id, [EventType.STEP_FAILURE])
    assert len(failures) == 1, f"expected one failed step, got {failures}"
    return failures[0].message or ""


def runs_show(run_id: str) -> str:
    result = CliRunner().invoke(app, ["runs", "show", run_id])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_failed_blocking_check_stores_nothing_and_skips_downstream(instance: Instance) -> None:
    defs = Definitions(assets=[orders, total], asset_checks=[non_negative])
    first = materialize(defs, instance=instance)
    assert first.success
    AMOUNTS["amount"] = [5, -1, -2]

    second = materialize(defs, instance=instance)

    assert not second.success
    assert second.status_for("orders") == "failure"
    assert second.status_for("total") == "skipped"
    assert list(first.output_for("orders")["amount"]) == [1, 2, 3], "old value overwritten"
    latest = instance.storage.latest_materializations(["orders", "total"])
    assert {record.run_id for record in latest.values()} == {first.run_id}
    [event] = check_events(instance, second.run_id)
    assert event.asset_key == "orders"
    assert event.payload["check_name"] == "non_negative"
    assert event.payload["passed"] is False
    assert event.payload["blocking"] is True
    assert event.payload["metadata"] == {"negative_rows": 2}
    message = failure_message(instance, second.run_id)
    assert "asset 'orders'" in message and "check 'non_negative' failed" in message, message
    assert "nothing was stored" in message
    error = second.failures[0].error
    assert error is not None and error.kind == "asset_check"
    assert error.location is not None and THIS_FILE in error.location


def test_a_passing_check_is_recorded_and_the_value_stored(instance: Instance) -> None:
    result = materialize([orders, non_negative], instance=instance)

    assert result.success
    [event] = check_events(instance, result.run_id)
    assert event.payload["passed"] is True
    assert event.payload["metadata"] == {"negative_rows": 0}
    assert event.payload["partition_key"] is None and event.payload["partition_keys"] == []


def test_a_failed_non_blocking_check_warns_and_stores_the_value(instance: Instance) -> None:
    AMOUNTS["amount"] = [7]
    defs = Definitions(assets=[orders, total], asset_checks=[has_many_rows])

    result = materialize(defs, instance=instance)

    assert result.success
    assert result.output_for("total") == 7
    [event] = check_events(instance, result.run_id)
    assert (event.payload["check_name"], event.payload["passed"]) == ("has_many_rows", False)
    assert event.payload["blocking"] is False
    logs = instance.storage.events_for_run(result.run_id, [EventType.LOG])
    warnings = [e for e in logs if e.payload.get("level") == "WARNING"]
    assert any("has_many_rows" in (e.message or "") for e in warnings), logs
    assert "WARNING  orders has_many_rows (non-blocking)" in runs_show(result.run_id)


def test_checks_run_in_declaration_order_and_accept_bare_bools(instance: Instance) -> None:
    seen: list[str] = []

    @asset_check(asset=orders, name="second")
    def second_check(orders: pd.DataFrame) -> bool:
        seen.append("second")
        return True

    @asset_check(asset=orders, name="first", blocking=True)
    def first_check(orders: pd.DataFrame) -> bool:
        seen.append("first")
        return False

    defs = Definitions(assets=[orders], asset_checks=[second_check, first_check])
    result = materialize(defs, instance=instance)

    assert not result.success
    assert seen == ["second", "first"]
    events = check_events(instance, result.run_id)
    assert [(e.payload["check_name"], e.payload["passed"]) for e in events] == [
        ("second", True),
        ("first", False),
    ]


def test_a_raising_blocking_check_fails_with_the_users_location(instance: Instance) -> None:
    @asset_check(asset=orders, blocking=True)
    def has_column(orders: pd.DataFrame) -> bool:
        return bool(orders["missing_column"].all())

    result = materialize([orders, has_column], instance=instance)

    assert not result.success
    error = result.failures[0].error
    assert error is not None and error.type_name == "KeyError"
    assert error.location is not None and THIS_FILE in error.location
    assert "check 'has_column' raised KeyError" in error.message
    [event] = check_events(instance, result.run_id)
    assert event.payload["passed"] is False
    assert event.payload["error"]["type"] == "KeyError"


def test_a_warn_severity_result_does_not_block(instance: Instance) -> None:
    @asset_check(asset=orders, blocking=True)
    def soft(orders: pd.DataFrame) -> AssetCheckResult:
        return AssetCheckResult(passed=False, severity=AssetCheckSeverity.WARN)

    result = materialize([orders, soft], instance=instance)

    assert result.success
    [event] = check_events(instance, result.run_id)
    assert event.payload["severity"] == "WARN" and event.payload["passed"] is False


class Orders(pa.DataFrameModel):
    amount: Series[int] = pa.Field(ge=0)
    region: Series[str] = pa.Field(isin=["north", "south"])


@asset
def typed_orders() -> DataFrame[Orders]:
    amounts = AMOUNTS["amount"]
    frame = pd.DataFrame({"amount": amounts, "region": REGIONS[: len(amounts)]})
    return frame  # type: ignore[return-value]


def test_a_pandera_annotation_stops_a_bad_frame_with_its_failure_cases(
    instance: Instance,
) -> None:
    AMOUNTS["amount"] = [1, -2, -3, -4, -5, -6, -7]

    result = materialize([typed_orders], instance=instance)

    assert not result.success
    assert instance.storage.latest_materializations(["typed_orders"]) == {}
    [event] = check_events(instance, result.run_id)
    assert event.payload["check_name"] == "pandera_schema"
    assert event.payload["metadata"] == {"schema": "Orders"}
    cases = {(c["column"], c["check"]): c for c in event.payload["failure_cases"]["cases"]}
    amount = cases[("amount", "greater_than_or_equal_to(0)")]
    assert amount["count"] == 6
    assert amount["values"] == [-2, -3, -4, -5, -6], "at most five offending values"
    region = next(c for (col, _), c in cases.items() if col == "region")
    assert (region["count"], region["values"]) == (4, ["east", "west", "mars", "moon"])
    message = failure_message(instance, result.run_id)
    assert "schema 'Orders' failed" in message and "amount" in message, message
    shown = runs_show(result.run_id)
    assert "FAILED   typed_orders schema Orders (blocking)" in shown
    assert "column amount: greater_than_or_equal_to(0): 6 failing, e.g. -2, -3" in shown


def test_a_pandera_annotation_lets_a_good_frame_through(instance: Instance) -> None:
    result = materialize([typed_orders], instance=instance)

    assert result.success
    assert list(result.output_for("typed_orders")["amount"]) == [1, 2, 3]
    [event] = check_events(instance, result.run_id)
    assert event.payload["passed"] is True


def test_schema_option_validates_and_stores_the_coerced_frame(instance: Instance) -> None:
    schema = pa.DataFrameSchema(
        {"amount": pa.Column(int, pa.Check.ge(0), coerce=True)}, name="amounts"
    )

    @asset(schema=schema)
    def raw() -> pd.DataFrame:
        return pd.DataFrame({"amount": [str(a) for a in AMOUNTS["amount"]]})

    good = materialize([raw], instance=instance)
    assert good.success
    assert good.output_for("raw")["amount"].dtype.kind == "i", "schema coercion not stored"

    AMOUNTS["amount"] = [3, -1]
    bad = materialize([raw], instance=instance)

    assert not bad.success
    assert list(good.output_for("raw")["amount"]) == [1, 2, 3]
    [event] = check_events(instance, bad.run_id)
    [case] = event.payload["failure_cases"]["cases"]
    assert (case["column"], case["check"], case["values"]) == (
        "amount",
        "greater_than_or_equal_to(0)",
        [-1],
    )
    assert "schema amounts" in runs_show(bad.run_id)


daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-05")
BAD_DAY = "2025-01-03"


@asset(partitions_def=daily)
def daily_orders(context: AssetExecutionContext) -> pd.DataFrame:
    days = context.partition_keys
    return pd.DataFrame({"day": days, "amount": [-1 if d == BAD_DAY else 1 for d in days]})


@asset(partitions_def=daily)
def daily_totals(daily_orders: pd.DataFrame) -> pd.DataFrame:
    return daily_orders


@asset_check(asset=daily_orders, blocking=True)
def positive(daily_orders: pd.DataFrame) -> AssetCheckResult:
    bad = daily_orders.loc[daily_orders["amount"] <= 0, "day"].tolist()
    return AssetCheckResult(passed=not bad, metadata={"bad_days": bad})


def test_a_bad_day_fails_only_that_days_step(instance: Instance) -> None:
    defs = Definitions(assets=[daily_orders, daily_totals], asset_checks=[positive])

    result = materialize(defs, instance=instance, partition_range="2025-01-01...2025-01-04")

    assert not result.success
    assert result.status_for("daily_orders", BAD_DAY) == "failure"
    assert result.status_for("daily_totals", BAD_DAY) == "skipped"
    for day in ("2025-01-01", "2025-01-02", "2025-01-04"):
        assert result.status_for("daily_orders", day) == "success", day
        assert result.status_for("daily_totals", day) == "success", day
    stored = instance.storage.latest_materializations(["daily_orders"])
    assert BAD_DAY not in {partition for _, partition in stored}
    events = check_events(instance, result.run_id)
    failed = [e for e in events if not e.payload["passed"]]
    assert [(e.partition_key, e.payload["metadata"]) for e in failed] == [
        (BAD_DAY, {"bad_days": [BAD_DAY]})
    ]
    assert len(events) == 4
    assert f"'{BAD_DAY}'" in failure_message(instance, result.run_id)
    assert f"FAILED   daily_orders[{BAD_DAY}] positive (blocking)" in runs_show(result.run_id)

    statuses = latest_check_statuses(events)
    [status] = statuses["daily_orders"]
    assert (status.check_name, status.passed, status.failing_partitions) == (
        "positive",
        False,
        (BAD_DAY,),
    )


def test_a_single_run_backfill_is_validated_once(instance: Instance) -> None:
    calls: list[int] = []

    @asset(partitions_def=daily, backfill_policy=BackfillPolicy.single_run())
    def batch(context: AssetExecutionContext) -> dict[str, int]:
        return {day: 1 for day in context.partition_keys}

    @asset_check(asset=batch, blocking=True)
    def counted(batch: dict[str, int]) -> bool:
        calls.append(len(batch))
        return True

    result = materialize([batch, counted], instance=instance, all_partitions=True)

    assert result.success
    assert calls == [4]
    [event] = check_events(instance, result.run_id)
    assert event.payload["partition_keys"] == [
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
        "2025-01-04",
    ]


def test_latest_check_statuses_follow_the_newest_evaluation(instance: Instance) -> None:
    defs = Definitions(assets=[orders], asset_checks=[non_negative])
    AMOUNTS["amount"] = [-1]
    bad = materialize(defs, instance=instance)
    AMOUNTS["amount"] = [1]
    good = materialize(defs, instance=instance)
    events: list[Any] = check_events(instance, good.run_id) + check_events(instance, bad.run_id)

    [status] = latest_check_statuses(events)["orders"]

    assert status.passed and status.run_id == good.run_id
    assert status.failing_partitions == ()


# -- Dagster's check specs, MaterializeResult and multi-asset checks ------


class RecordingIOManager(IOManager):
    """Keeps values in memory and remembers which assets it was asked to store."""

    def __init__(self) -> None:
        self.stored: dict[str, Any] = {}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.stored[context.asset_key.to_string()] = obj

    def load_input(self, context: InputContext) -> Any:
        return self.stored[context.asset_key.to_string()]


def test_check_spec_results_yielded_after_the_output_are_recorded(instance: Instance) -> None:
    @asset(check_specs=[AssetCheckSpec(name="has_rows", asset="ledger")])
    def ledger() -> Any:
        rows = [1, 2, 3]
        yield Output(rows)
        yield AssetCheckResult(passed=len(rows) > 0, metadata={"rows": len(rows)})

    result = materialize([ledger], instance=instance)

    assert result.success
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.asset_key, evaluation.check_name, evaluation.passed) == (
        AssetKey(("ledger",)),
        "has_rows",
        True,
    )
    assert evaluation.metadata["rows"].value == 3
    assert result.output_for("ledger") == [1, 2, 3]
    assert "passed   ledger has_rows (non-blocking)" in runs_show(result.run_id)


def test_a_check_spec_without_a_result_fails_the_step_and_stores_nothing(
    instance: Instance,
) -> None:
    @asset(check_specs=[AssetCheckSpec("fresh", asset="feed"), AssetCheckSpec("ok", asset="feed")])
    def feed() -> Any:
        yield Output(1)
        yield AssetCheckResult(passed=True, check_name="ok")

    result = materialize([feed], instance=instance)

    assert not result.success
    assert "no AssetCheckResult for declared check(s) feed:fresh" in failure_message(
        instance, result.run_id
    )
    assert instance.storage.latest_materializations(["feed"]) == {}


def test_a_failed_blocking_check_spec_stores_nothing(instance: Instance) -> None:
    manager = RecordingIOManager()

    @asset(check_specs=[AssetCheckSpec("positive", asset="balance", blocking=True)])
    def balance() -> Any:
        yield Output(-5)
        yield AssetCheckResult(passed=False, description="negative balance")

    defs = Definitions(assets=[balance], io_managers={"io_manager": manager})
    result = materialize(defs, instance=instance)

    assert not result.success
    assert manager.stored == {}, "a failed blocking check keeps the previous value"
    assert "blocking check 'positive' failed: negative balance" in failure_message(
        instance, result.run_id
    )


def test_a_raising_non_blocking_check_fails_the_run_and_the_value_is_stored(
    instance: Instance,
) -> None:
    @asset_check(asset=orders)
    def crashes(orders: pd.DataFrame) -> bool:
        raise KeyError("no such column")

    result = materialize(Definitions(assets=[orders], asset_checks=[crashes]), instance=instance)

    assert not result.success, "a check that raises fails its step, as in Dagster"
    message = failure_message(instance, result.run_id)
    assert "check 'crashes' raised KeyError" in message and "the value was stored" in message
    assert instance.storage.latest_materializations(["orders"]) != {}
    [evaluation] = check_events(instance, result.run_id)
    assert (
        evaluation.payload["passed"] is False and evaluation.payload["error"]["type"] == "KeyError"
    )


def test_a_materialize_result_calls_no_io_manager(instance: Instance, tmp_path: Path) -> None:
    manager = RecordingIOManager()
    target = tmp_path / "written_by_the_asset.csv"

    @asset(check_specs=[AssetCheckSpec("not_empty", asset="export")])
    def export() -> MaterializeResult:
        target.write_text("id\n1\n")
        return MaterializeResult(
            metadata={"path": MetadataValue.path(target), "rows": 1},
            data_version=DataVersion("rows-1"),
            check_results=[AssetCheckResult(passed=target.stat().st_size > 0)],
        )

    @asset(deps=[export])
    def after() -> int:
        return len(target.read_text().splitlines())

    defs = Definitions(assets=[export, after], io_managers={"io_manager": manager})
    result = materialize(defs, instance=instance)

    assert result.success
    assert set(manager.stored) == {"after"}, "the asset stored its own data"
    assert manager.stored["after"] == 2
    [materialization] = result.asset_materializations_for_node("export")
    assert materialization.data_version == "rows-1"
    assert materialization.metadata["path"].type == "path"
    assert [(e.check_name, e.passed) for e in result.get_asset_check_evaluations()] == [
        ("not_empty", True)
    ]


def test_a_multi_asset_returns_one_materialize_result_per_asset(instance: Instance) -> None:
    manager = RecordingIOManager()

    @multi_asset(specs=[AssetSpec("left"), AssetSpec("right")])
    def both() -> Any:
        yield MaterializeResult(asset_key="left", metadata={"side": "L"})
        yield MaterializeResult(asset_key="right", metadata={"side": "R"})

    result = materialize(
        Definitions(assets=[both], io_managers={"io_manager": manager}), instance=instance
    )

    assert result.success
    assert manager.stored == {}
    sides = {
        m.asset_key.to_string(): m.metadata["side"].value
        for m in result.get_asset_materializations()
    }
    assert sides == {"left": "L", "right": "R"}


def test_a_multi_asset_check_reports_on_each_of_its_specs(instance: Instance) -> None:
    @multi_asset_check(
        specs=[
            AssetCheckSpec(name="orders_not_empty", asset=orders),
            AssetCheckSpec(name="total_positive", asset="total"),
        ]
    )
    def orders_and_total(context: AssetCheckExecutionContext) -> Any:
        yield AssetCheckResult(passed=True, asset_key="orders", check_name="orders_not_empty")
        yield AssetCheckResult(
            passed=False,
            asset_key="total",
            check_name="total_positive",
            severity=AssetCheckSeverity.WARN,
            description="total is small",
        )

    defs = Definitions(assets=[orders, total], asset_checks=[orders_and_total])
    result = materialize(defs, instance=instance)

    assert result.success, "a failed non-blocking WARN result does not fail the run"
    found = {
        (e.asset_key.to_string(), e.check_name): e for e in result.get_asset_check_evaluations()
    }
    assert set(found) == {("orders", "orders_not_empty"), ("total", "total_positive")}
    assert found[("total", "total_positive")].severity is AssetCheckSeverity.WARN
    assert not found[("total", "total_positive")].passed


def test_a_multi_assets_check_specs_name_their_asset(instance: Instance) -> None:
    @multi_asset(
        specs=[AssetSpec("left"), AssetSpec("right")],
        check_specs=[
            AssetCheckSpec("balanced", asset="left"),
            AssetCheckSpec("balanced", asset="right", blocking=True),
        ],
    )
    def pair() -> Any:
        yield MaterializeResult(
            asset_key="left",
            check_results=[AssetCheckResult(passed=True, asset_key="left")],
        )
        yield MaterializeResult(asset_key="right")
        yield AssetCheckResult(passed=False, asset_key="right", check_name="balanced")

    result = materialize([pair], instance=instance)

    assert not result.success, "the failed blocking check on 'right' fails the step"
    found = {
        (e.payload["asset_key"], e.payload["passed"]) for e in check_events(instance, result.run_id)
    }
    assert found == {("left", True), ("right", False)}
    assert result.get_asset_materializations() == [], "a failed blocking check records nothing"
