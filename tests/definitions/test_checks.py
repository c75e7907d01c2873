"""``@asset_check``, ``Definitions(asset_checks=...)``, schemas on assets, and check statuses."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from assetgraph import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetOut,
    DefinitionError,
    Definitions,
    asset,
    asset_check,
    load_definitions,
    multi_asset,
    multi_asset_check,
)
from assetgraph.definitions.check_evaluation import evaluate_check, match_check_results
from assetgraph.definitions.checks import SCHEMA_CHECK_NAME
from assetgraph.definitions.schema_validation import evaluate_schema
from assetgraph.status.checks import latest_check_statuses
from assetgraph.storage.records import EventRecord, EventType

pa = pytest.importorskip("pandera.pandas")
from pandera.typing import DataFrame, Series  # noqa: E402


@asset
def orders() -> pd.DataFrame:
    return pd.DataFrame({"amount": [1, 2]})


@asset(key_prefix="sales")
def revenue(orders: pd.DataFrame) -> int:
    return int(orders["amount"].sum())


def test_a_check_knows_its_asset_name_and_parameters() -> None:
    @asset_check(asset=orders, blocking=True, description="amounts are positive")
    def positive(context: object, orders: pd.DataFrame) -> bool:
        return bool((orders["amount"] > 0).all())

    assert isinstance(positive, AssetChecksDefinition)
    assert (positive.name, positive.asset_key, positive.blocking) == (
        "positive",
        AssetKey(("orders",)),
        True,
    )
    assert (positive.value_param, positive.context_param) == ("orders", "context")
    assert positive.check_key == "orders:positive"
    assert positive(None, pd.DataFrame({"amount": [1]})) is True, "callable like the function"


def test_the_asset_may_be_a_key_string_and_the_value_any_parameter_name() -> None:
    @asset_check(asset="sales/revenue", name="not_zero")
    def check(value: int) -> bool:
        """Revenue is never zero."""
        return value != 0

    assert check.asset_key == AssetKey(("sales", "revenue"))
    assert (check.name, check.value_param, check.blocking) == ("not_zero", "value", False)
    assert check.description == "Revenue is never zero."


def test_the_parameter_named_like_the_asset_gets_the_value_others_need_defaults() -> None:
    @asset_check(asset=orders)
    def within(limit: int = 10, orders: pd.DataFrame | None = None) -> bool:
        return orders is not None and len(orders) <= limit

    assert within.value_param == "orders"
    assert evaluate_check(within, pd.DataFrame({"amount": [1]})).passed


def test_asset_check_needs_the_asset() -> None:
    with pytest.raises(DefinitionError, match=r"@asset_check\(asset=\.\.\.\)"):

        @asset_check  # type: ignore[arg-type]
        def bare(orders: pd.DataFrame) -> bool:
            return True


def test_a_check_takes_one_value_parameter_besides_context() -> None:
    with pytest.raises(DefinitionError, match=r"Asset check 'two'.*'a', 'b'.*asset 'orders'"):

        @asset_check(asset=orders)
        def two(a: pd.DataFrame, b: pd.DataFrame) -> bool:
            return True


def test_a_check_on_a_multi_asset_must_name_the_key() -> None:
    @multi_asset(outs={"left": AssetOut(), "right": AssetOut()})
    def both() -> tuple[int, int]:
        return 1, 2

    with pytest.raises(DefinitionError, match=r"several assets \(left, right\).*asset='left'"):
        asset_check(asset=both)

    check = asset_check(asset="right", name="positive")(lambda right: right > 0)
    assert Definitions(assets=[both], asset_checks=[check]).checks_by_asset == {
        AssetKey(("right",)): (check,)
    }


def test_a_check_on_an_asset_no_definition_has_makes_it_external() -> None:
    """As in Dagster: the checked asset is external (written elsewhere); its checks run
    alone, on what its IO manager loads."""

    @asset_check(asset="order")
    def non_empty(order: pd.DataFrame) -> bool:
        return not order.empty

    defs = Definitions(assets=[orders, revenue], asset_checks=[non_empty])

    assert defs.graph.is_external(AssetKey("order"))
    assert [c.name for c in defs.checks_by_asset[AssetKey("order")]] == ["non_empty"]
    assert "orders" in defs.graph.key_strings() and "order" in defs.graph.key_strings()


def test_duplicate_check_names_on_one_asset_are_refused() -> None:
    @asset_check(asset=orders, name="positive")
    def first(orders: pd.DataFrame) -> bool:
        return True

    @asset_check(asset=orders, name="positive")
    def second(orders: pd.DataFrame) -> bool:
        return True

    with pytest.raises(DefinitionError, match=r"Asset 'orders' has two checks named 'positive'"):
        Definitions(assets=[orders], asset_checks=[first, second])
    same_name_elsewhere = asset_check(asset="sales/revenue", name="positive")(lambda r: True)
    defs = Definitions(assets=[orders, revenue], asset_checks=[first, same_name_elsewhere, first])
    assert defs.asset_checks == (first, same_name_elsewhere), "repeats are dropped"


def test_definitions_refuse_what_is_not_a_check() -> None:
    def plain(orders: pd.DataFrame) -> bool:
        return True

    with pytest.raises(DefinitionError, match=r"'.*plain'.*not an asset check.*@asset_check"):
        Definitions(assets=[orders], asset_checks=[plain])  # type: ignore[list-item]


def test_a_lambda_check_needs_a_name() -> None:
    with pytest.raises(DefinitionError, match=r"Asset check '<lambda>': invalid name"):
        asset_check(asset=orders)(lambda orders: True)


def test_results_bare_bools_and_raising_checks() -> None:
    value = pd.DataFrame({"amount": [1, -1]})
    passing = evaluate_check(asset_check(asset=orders, name="yes")(lambda orders: True), value)
    failing = evaluate_check(
        asset_check(asset=orders, name="no", blocking=True)(lambda o: False), value
    )

    def boom(orders: pd.DataFrame) -> bool:
        raise ValueError("no amounts today")

    raised = evaluate_check(asset_check(asset=orders, blocking=True)(boom), value)
    nonsense = evaluate_check(asset_check(asset=orders, name="odd")(lambda orders: "yes"), value)

    assert (passing.passed, passing.blocks) == (True, False)
    assert (failing.passed, failing.blocks) == (False, True)
    assert (raised.passed, raised.blocks) == (False, True)
    assert raised.summary() == "check 'boom' raised ValueError: no amounts today"
    assert raised.to_payload([])["error"] == {"type": "ValueError", "message": "no amounts today"}
    assert not nonsense.passed and "return an AssetCheckResult" in (nonsense.description or "")


def test_a_warn_result_of_a_blocking_check_does_not_block() -> None:
    @asset_check(asset=orders, blocking=True)
    def soft(orders: pd.DataFrame) -> AssetCheckResult:
        return AssetCheckResult(False, {"rows": 2}, "too few", AssetCheckSeverity.WARN)

    evaluation = evaluate_check(soft, None)

    assert (evaluation.passed, evaluation.blocks) == (False, False)
    payload = evaluation.to_payload(["2025-01-01"])
    assert payload["severity"] == "WARN" and payload["metadata"] == {"rows": 2}
    assert payload["partition_keys"] == ["2025-01-01"]


class Amounts(pa.DataFrameModel):
    amount: Series[int] = pa.Field(ge=0)


def test_a_pandera_return_annotation_becomes_the_schema() -> None:
    @asset
    def typed() -> DataFrame[Amounts]:
        return pd.DataFrame({"amount": [1]})  # type: ignore[return-value]

    @asset
    def untyped() -> pd.DataFrame:
        return pd.DataFrame({"amount": [1]})

    assert typed.specs[0].schema is Amounts
    assert untyped.specs[0].schema is None


def test_schema_option_takes_a_schema_or_a_model_and_refuses_anything_else() -> None:
    schema = pa.DataFrameSchema({"amount": pa.Column(int)})

    @asset(schema=schema)
    def with_schema() -> pd.DataFrame:
        return pd.DataFrame({"amount": [1]})

    @multi_asset(outs={"a": AssetOut(schema=Amounts), "b": AssetOut()})
    def pair() -> tuple[pd.DataFrame, int]:
        return pd.DataFrame({"amount": [1]}), 2

    assert with_schema.specs[0].schema is schema
    assert [spec.schema for spec in pair.specs] == [Amounts, None]
    with pytest.raises(DefinitionError, match=r"Asset 'bad': schema= must be a pandera"):

        @asset(schema={"amount": int})
        def bad() -> pd.DataFrame:
            return pd.DataFrame()


def test_a_check_may_not_take_the_schema_checks_name() -> None:
    @asset(schema=Amounts)
    def checked() -> pd.DataFrame:
        return pd.DataFrame({"amount": [1]})

    clash = asset_check(asset=checked, name=SCHEMA_CHECK_NAME)(lambda checked: True)
    with pytest.raises(DefinitionError, match=r"has a schema.*rename the check"):
        Definitions(assets=[checked], asset_checks=[clash])


def test_schema_failures_are_summarised_per_column_and_check() -> None:
    frame = pd.DataFrame({"amount": [-1, 2, -3, -4, -5, -6, -7]})

    value, evaluation = evaluate_schema(Amounts, frame, AssetKey(("orders",)))

    assert value is frame and not evaluation.passed and evaluation.blocks
    assert evaluation.failure_cases == {
        "total": 6,
        "cases": [
            {
                "column": "amount",
                "check": "greater_than_or_equal_to(0)",
                "count": 6,
                "values": [-1, -3, -4, -5, -6],
                "index": [0, 2, 3, 4, 5],
            }
        ],
    }
    assert evaluation.summary().startswith("schema 'Amounts' failed: 6 failure case(s): amount")
    _, not_a_frame = evaluate_schema(Amounts, 42, AssetKey(("orders",)))
    assert not not_a_frame.passed


def test_a_code_location_without_definitions_finds_its_top_level_checks(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(
        textwrap.dedent(
            """
            from assetgraph import asset, asset_check

            @asset
            def numbers():
                return [1, 2]

            @asset_check(asset=numbers, blocking=True)
            def not_empty(numbers):
                return bool(numbers)
            """
        )
    )

    defs = load_definitions(file="defs.py", cwd=tmp_path)

    assert [check.name for check in defs.asset_checks] == ["not_empty"]
    assert list(defs.checks_by_asset) == [AssetKey(("numbers",))]


def _evaluation(
    asset_key: str, check: str, partition: str | None, passed: bool, at: float, run: str = "r1"
) -> EventRecord:
    return EventRecord(
        run_id=run,
        event_type=EventType.ASSET_CHECK_EVALUATION,
        timestamp=at,
        asset_key=asset_key,
        partition_key=partition,
        payload={
            "check_name": check,
            "partition_keys": [partition] if partition else [],
            "passed": passed,
            "blocking": True,
            "description": f"{check} at {at}",
        },
    )


def test_latest_check_statuses_per_asset_and_partition() -> None:
    events = [
        _evaluation("daily", "positive", "2025-01-01", False, 1.0),
        _evaluation("daily", "positive", "2025-01-02", False, 2.0),
        _evaluation("daily", "positive", "2025-01-01", True, 3.0, run="r2"),
        _evaluation("orders", "positive", None, True, 1.0),
        _evaluation("orders", "non_empty", None, False, 2.0),
        _evaluation("orders", "non_empty", None, True, 4.0, run="r3"),
        EventRecord("r1", EventType.LOG, 5.0, asset_key="orders", payload={"passed": False}),
    ]

    statuses = latest_check_statuses(reversed(events))

    [daily] = statuses["daily"]
    assert (daily.passed, daily.failing_partitions, daily.run_id) == (
        False,
        ("2025-01-02",),
        "r1",
    )
    assert daily.description == "positive at 2.0", "the failing evaluation is the one shown"
    by_name = {status.check_name: status for status in statuses["orders"]}
    assert by_name["positive"].passed and by_name["non_empty"].passed
    assert by_name["non_empty"].run_id == "r3"


# -- Dagster's check specs, multi-asset checks and asset options ----------


def test_asset_check_spec_is_shaped_as_dagsters() -> None:
    spec = AssetCheckSpec("no_nulls", asset=orders, description="ids", additional_deps=["raw"])
    assert (spec.name, spec.asset_key, spec.blocking, spec.description) == (
        "no_nulls",
        AssetKey(("orders",)),
        False,
        "ids",
    )
    assert spec.additional_deps == (AssetKey(("raw",)),)
    assert AssetCheckSpec("x", asset="a/b", blocking=True).asset_key == AssetKey(("a", "b"))
    with pytest.raises(TypeError):
        AssetCheckSpec("x")  # type: ignore[call-arg]  # asset= is required


def test_check_specs_must_be_on_the_assets_own_keys() -> None:
    with pytest.raises(DefinitionError, match="check spec 'c' is on asset 'other'"):

        @asset(check_specs=[AssetCheckSpec("c", asset="other")])
        def mine() -> int:
            return 1

    @asset(check_specs=[AssetCheckSpec("c", asset="mine_ok")])
    def mine_ok() -> int:
        return 1

    assert [s.check_key for s in mine_ok.check_specs] == ["mine_ok:c"]
    with pytest.raises(DefinitionError, match="check spec 'mine:c' given twice"):

        @asset(check_specs=[AssetCheckSpec("c", asset="mine")] * 2)
        def mine() -> int:
            return 1


def test_key_sets_the_whole_key_and_excludes_name_and_key_prefix() -> None:
    @asset(key=AssetKey(["warehouse", "orders"]))
    def load_orders() -> int:
        return 1

    @asset(key="lake/raw/events")
    def events() -> int:
        return 1

    @asset(key=["a", "b"])
    def ab() -> int:
        return 1

    assert load_orders.key == AssetKey(("warehouse", "orders"))
    assert events.key == AssetKey(("lake", "raw", "events"))
    assert ab.key == AssetKey(("a", "b"))

    def one() -> int:
        return 1

    with pytest.raises(DefinitionError, match="Cannot specify a name or key prefix"):
        asset(key="k", name="x")(one)
    with pytest.raises(DefinitionError, match="Cannot specify a name or key prefix"):
        asset(key="k", key_prefix="p")(one)


def test_kinds_and_compute_kind_are_recorded_as_kind_tags() -> None:
    @asset(kinds={"python", "duckdb"}, tags={"tier": "gold"}, owners=["ana@x.io"])
    def table() -> int:
        return 1

    @asset(compute_kind="pandas")
    def frame() -> int:
        return 1

    assert dict(table.specs[0].tags) == {
        "tier": "gold",
        "dagster/kind/duckdb": "",
        "dagster/kind/python": "",
    }
    assert table.specs[0].owners == ("ana@x.io",)
    assert frame.compute_kind == "pandas"
    assert dict(frame.specs[0].tags) == {"dagster/kind/pandas": ""}

    def one() -> int:
        return 1

    with pytest.raises(DefinitionError, match="Cannot specify compute_kind and kinds"):
        asset(compute_kind="x", kinds={"y"})(one)
    with pytest.raises(DefinitionError, match="at most three kinds"):
        asset(kinds={"a", "b", "c", "d"})(one)


def test_a_multi_asset_check_needs_specs_and_takes_only_context() -> None:
    with pytest.raises(DefinitionError, match="needs specs="):
        multi_asset_check(specs=[])
    with pytest.raises(DefinitionError, match="receives only 'context'"):

        @multi_asset_check(specs=[AssetCheckSpec("a", asset=orders)])
        def takes_value(orders: pd.DataFrame) -> AssetCheckResult:
            return AssetCheckResult(passed=True)

    @multi_asset_check(specs=[AssetCheckSpec("a", asset=orders), AssetCheckSpec("b", asset=orders)])
    def two(context: object) -> AssetCheckResult:
        return AssetCheckResult(passed=True)

    assert two.is_multi and [s.check_key for s in two.specs] == ["orders:a", "orders:b"]


def test_a_multi_asset_check_runs_with_the_asset_downstream_of_the_others() -> None:
    @multi_asset_check(
        specs=[AssetCheckSpec("a", asset=orders), AssetCheckSpec("b", asset=revenue)]
    )
    def both() -> list[AssetCheckResult]:
        return []

    defs = Definitions(assets=[orders, revenue], asset_checks=[both])
    assert defs.checks_by_asset == {AssetKey(("sales", "revenue")): (both,)}

    @asset
    def unrelated() -> int:
        return 1

    @multi_asset_check(
        specs=[AssetCheckSpec("a", asset=orders), AssetCheckSpec("b", asset=unrelated)]
    )
    def apart() -> list[AssetCheckResult]:
        return []

    with pytest.raises(DefinitionError, match="none of them is downstream of all the others"):
        Definitions(assets=[orders, unrelated], asset_checks=[apart])


def test_check_result_names_are_matched_to_specs() -> None:
    specs = [AssetCheckSpec("a", asset=orders), AssetCheckSpec("b", asset=orders)]
    evaluations, problems = match_check_results(
        [AssetCheckResult(passed=True, check_name="b"), AssetCheckResult(passed=False)], specs
    )
    assert [(e.check_name, e.passed) for e in evaluations] == [("b", True)]
    assert problems == [
        "AssetCheckResult(asset_key=None, check_name=None) matches several checks "
        "(declared: orders:a, orders:b)",
        "no AssetCheckResult for declared check(s) orders:a: yield or return one per check spec",
    ]


def test_list_json_shows_kinds_compute_kind_and_check_specs(
    tmp_path: Path, isolated_home: Path
) -> None:
    from typer.testing import CliRunner

    from assetgraph.cli.main import app

    defs_file = tmp_path / "defs.py"
    defs_file.write_text(
        textwrap.dedent(
            """
            from assetgraph import AssetCheckSpec, AssetKey, Output, AssetCheckResult, asset

            @asset(key=AssetKey(["mart", "sales"]), kinds={"duckdb"}, owners=["team:data"],
                   check_specs=[AssetCheckSpec("positive", asset=AssetKey(["mart", "sales"]))])
            def sales():
                yield Output(1)
                yield AssetCheckResult(passed=True)

            @asset(compute_kind="pandas")
            def frame():
                return 1
            """
        )
    )
    shown = CliRunner().invoke(app, ["list", "-f", str(defs_file), "--json"])

    assert shown.exit_code == 0, shown.output
    rows = {row["key"]: row for row in json.loads(shown.output)}
    assert (rows["mart/sales"]["kinds"], rows["mart/sales"]["check_specs"]) == (
        ["duckdb"],
        ["positive"],
    )
    assert rows["mart/sales"]["owners"] == ["team:data"]
    assert (rows["frame"]["compute_kind"], rows["frame"]["kinds"]) == ("pandas", ["pandas"])
