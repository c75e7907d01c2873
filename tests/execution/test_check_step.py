"""Check steps: asset checks run without their asset, on its latest stored value."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetCheckResult,
    AssetSelection,
    Definitions,
    Instance,
    asset,
    asset_check,
    define_asset_job,
    materialize,
)
from assetgraph.cli.main import app
from assetgraph.status.checks import check_evaluations
from assetgraph.storage.records import EventType


@asset
def orders() -> list[int]:
    return [3, 1, 2]


@asset_check(asset=orders, blocking=True)
def sorted_orders(orders: list[int]) -> AssetCheckResult:
    return AssetCheckResult(passed=orders == sorted(orders), metadata={"rows": len(orders)})


@asset_check(asset=orders)
def crashes() -> bool:
    raise ValueError("no connection to the warehouse")


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Instance:
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    return Instance.from_env()


def test_a_check_alone_loads_the_stored_value_and_a_failure_fails_no_step(
    instance: Instance,
) -> None:
    materialize([orders], instance=instance)
    result = materialize(
        [orders, sorted_orders],
        selection=AssetSelection.checks(sorted_orders),
        instance=instance,
    )
    assert result.success, "a failed check, even blocking, stores and blocks nothing here"
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed, evaluation.metadata["rows"].value) == (
        "sorted_orders",
        False,
        3,
    )
    events = instance.storage.events_for_run(result.run_id)
    assert not [e for e in events if e.event_type is EventType.ASSET_MATERIALIZATION]
    assert [e.step_key for e in events if e.event_type is EventType.STEP_SUCCESS] == [
        "orders:sorted_orders"
    ]


def test_a_check_alone_fails_its_step_when_the_asset_was_never_stored(
    instance: Instance,
) -> None:
    result = materialize(
        [orders, sorted_orders],
        selection=AssetSelection.all_asset_checks(),
        instance=instance,
    )
    [failure] = result.failures
    assert failure.step_key == "orders:sorted_orders" and failure.error is not None
    assert "could not load the stored value of asset 'orders'" in failure.error.message
    assert "materialize the asset first" in failure.error.message
    assert result.get_asset_check_evaluations() == []


def test_a_check_that_raises_fails_its_step_and_is_recorded_failed(instance: Instance) -> None:
    result = materialize(
        [orders, crashes], selection=AssetSelection.all_asset_checks(), instance=instance
    )
    assert not result.success
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == ("crashes", False)
    [failure] = result.failures
    assert failure.error is not None and failure.error.type_name == "ValueError"
    assert "asset 'orders': check 'crashes' raised ValueError" in failure.error.message


def test_by_default_checks_still_run_in_their_assets_step(instance: Instance) -> None:
    result = materialize([orders, sorted_orders], instance=instance)
    assert not result.success, "the blocking check failed in the step: nothing stored"
    assert [failure.step_key for failure in result.failures] == ["orders"]
    skipped = materialize(
        [orders, sorted_orders],
        selection=AssetSelection.assets(orders).without_checks(),
        instance=instance,
    )
    assert skipped.success and skipped.get_asset_check_evaluations() == []


def test_a_job_of_checks_runs_them_alone_on_the_multiprocess_executor(
    tmp_path: Path, instance: Instance
) -> None:
    """The check step travels to a worker process as a task, with its checks."""
    location = tmp_path / "location.py"
    location.write_text(
        "from assetgraph import AssetSelection, Definitions, asset, asset_check, "
        "define_asset_job\n\n"
        "@asset\ndef orders() -> list[int]:\n    return [1, 2]\n\n"
        "@asset_check(asset=orders)\ndef two_rows(orders: list[int]) -> bool:\n"
        "    return len(orders) == 2\n\n"
        "defs = Definitions(assets=[orders], asset_checks=[two_rows], jobs=["
        "define_asset_job('checks', AssetSelection.checks_for_assets(orders)), "
        "define_asset_job('assets', AssetSelection.all().without_checks())])\n"
    )
    runner = CliRunner()
    first = runner.invoke(app, ["materialize", "-f", str(location), "--job", "assets"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        app,
        ["materialize", "-f", str(location), "--job", "checks", "--executor", "multiprocess"],
    )
    assert second.exit_code == 0, second.output
    assert "orders:two_rows" in second.output
    [record] = check_evaluations(instance.storage, "orders")
    assert (record.check_name, record.passed) == ("two_rows", True)


def test_a_job_selecting_only_checks_needs_no_assets_in_definitions() -> None:
    defs = Definitions(
        asset_checks=[sorted_orders],
        jobs=[define_asset_job("all_checks", AssetSelection.all_asset_checks())],
    )
    assert defs.graph.is_external(orders.key)
    job = defs.get_job_def("all_checks")
    assert job.asset_keys == () and [k.name for k in job.asset_check_keys] == ["sorted_orders"]
