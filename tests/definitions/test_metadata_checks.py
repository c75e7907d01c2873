"""``build_metadata_bounds_checks`` and ``build_column_schema_change_checks``: each check
runs in its own asset's step, on the materialization the step makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetgraph import (
    AssetCheckSeverity,
    Definitions,
    Instance,
    MaterializeResult,
    TableSchema,
    asset,
    build_column_schema_change_checks,
    build_metadata_bounds_checks,
    materialize,
)
from assetgraph.errors import DefinitionError


@asset
def rows(context) -> list[int]:  # type: ignore[no-untyped-def]
    count = int(context.get_tag("count") or 0)
    context.add_output_metadata({"dagster/row_count": count})
    return list(range(count))


@asset
def other() -> MaterializeResult:
    return MaterializeResult(metadata={"dagster/row_count": 50})


def test_bounds_checks_judge_each_asset_in_its_own_step(tmp_path: Path) -> None:
    [checks] = build_metadata_bounds_checks(
        assets=[rows, other],
        metadata_key="dagster/row_count",
        min_value=1,
        max_value=10,
        severity=AssetCheckSeverity.ERROR,
    )
    assert [spec.name for spec in checks.check_specs] == ["dagster_row_count_bounds_check"] * 2
    defs = Definitions([rows, other], asset_checks=[checks])
    assert set(defs.checks_by_asset) == {rows.key, other.key}, "independent assets: both host"
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)
    instance.storage.upgrade()

    result = materialize(defs, instance=instance, tags={"count": "3"}, raise_on_error=False)

    found = {
        e.asset_key.to_string(): (e.passed, e.severity.value, e.description)
        for e in result.get_asset_check_evaluations()
    }
    assert found == {
        "rows": (True, "ERROR", "Value `3` is within range"),
        "other": (False, "ERROR", "Value `50` is greater than 10"),
    }
    assert result.success, "the checks do not block: a failed one fails no step"


def test_bounds_need_a_bound_in_order() -> None:
    with pytest.raises(DefinitionError, match="at least one of `min_value` or `max_value`"):
        build_metadata_bounds_checks(assets=[rows], metadata_key="k")
    with pytest.raises(DefinitionError, match="assets= takes a non-empty list"):
        build_metadata_bounds_checks(assets=[], metadata_key="k", min_value=1)
    [only_max] = build_metadata_bounds_checks(assets=["a/b"], metadata_key="k", max_value=2)
    assert only_max.check_specs[0].description == (
        "Checks that the latest materialization has metadata value `k` less than or equal to 2"
    )


def test_schema_change_check_compares_with_the_previous_materialization(
    tmp_path: Path,
) -> None:
    @asset
    def people(context) -> MaterializeResult:  # type: ignore[no-untyped-def]
        columns = {"name": "string", "age": context.get_tag("age") or "int"}
        if context.get_tag("extra"):
            columns["city"] = "string"
        schema = TableSchema.from_name_type_dict(columns)
        return MaterializeResult(metadata={"dagster/column_schema": schema})

    checks = build_column_schema_change_checks(assets=[people])
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)
    instance.storage.upgrade()

    def evaluate(**tags: str) -> tuple[bool, str | None]:
        result = materialize([people, *checks], instance=instance, tags=tags)
        [evaluation] = result.get_asset_check_evaluations()
        return evaluation.passed, evaluation.description

    assert evaluate() == (True, "The asset has been materialized fewer than 2 times")
    assert evaluate() == (
        True,
        "No changes to column schema between previous and latest materialization",
    )
    passed, text = evaluate(age="float", extra="yes")
    assert not passed
    assert text == (
        "Column schema changed between previous and latest materialization."
        "\n\nAdded columns: city\n\nColumn type changes:\n- age: int -> float"
    )
