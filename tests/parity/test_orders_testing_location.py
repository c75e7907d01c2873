"""``locations/orders_testing.py`` tested as Dagster's testing docs do: ``materialize_to_memory``,
``instance_for_test``, ``Failure``, ``AssetObservation`` and ``AssetCheckKey``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from assetgraph import (
    AssetCheckKey,
    AssetKey,
    Failure,
    InMemoryIOManager,
    Instance,
    RunFailure,
    instance_for_test,
    materialize,
    materialize_to_memory,
)
from assetgraph.errors import DefinitionError
from assetgraph.storage.records import EventType
from tests.parity.conftest import import_file as load

Cli = Callable[..., tuple[int, str]]


@pytest.fixture
def orders(ported: Callable[[str], Path]) -> ModuleType:
    return load(ported("orders_testing"))


def test_materialize_to_memory_returns_values_and_stores_no_file(
    orders: ModuleType, tmp_path: Path
) -> None:
    result = materialize_to_memory(
        [
            orders.raw_orders,
            orders.cleaned_orders,
            orders.revenue_by_region,
            orders.revenue_is_positive,
        ]
    )

    assert result.success
    assert result.output_for("revenue_by_region") == {"eu": 20.0, "us": 30.0}
    assert not list(tmp_path.rglob("storage/*")), "no IO manager wrote a file"
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.asset_check_key == AssetCheckKey(
        AssetKey("revenue_by_region"), "revenue_is_positive"
    )
    assert evaluation.passed


def test_observations_logged_and_yielded_are_in_the_result(orders: ModuleType) -> None:
    result = materialize_to_memory(
        [orders.raw_orders, orders.cleaned_orders, orders.revenue_by_region]
    )

    [logged] = result.asset_observations_for_node("raw_orders")
    assert logged.asset_key == AssetKey("raw_orders")
    assert logged.description == "rows fetched from the shop"
    assert logged.metadata["row_count"].value == 3
    assert logged.metadata["source"].value == "https://shop.example"
    yielded = [
        e for e in result.get_asset_observation_events() if e.step_key == "revenue_by_region"
    ]
    assert [(e.asset_key, e.asset_observation.metadata["regions"].value) for e in yielded] == [
        (AssetKey("cleaned_orders"), 2)
    ]
    assert result.output_for("revenue_by_region") == {"eu": 20.0, "us": 30.0}, (
        "an observation yielded beside Output leaves the value alone"
    )


def test_observations_are_stored_and_change_no_status(orders: ModuleType) -> None:
    with instance_for_test() as instance:
        assert Instance.get().home == instance.home, "ASSETGRAPH_HOME points at the test instance"
        result = materialize([orders.raw_orders], instance=instance)
        storage = instance.storage
        [stored] = storage.events_for_run(result.run_id, [EventType.RUNTIME_OBSERVATION])
        assert stored.asset_key == "raw_orders"
        latest = instance.get_latest_materialization_event("raw_orders")
        assert latest is not None and latest.run_id == result.run_id
        [record] = storage.latest_materializations(["raw_orders"]).values()
        assert record.data_version is not None, "the observation did not replace the data version"
    assert not instance.home.exists(), "instance_for_test removes its folder"


def test_a_failure_keeps_its_description_and_metadata_and_is_not_retried(
    orders: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(orders, "ORDERS", [{"order_id": 9, "region": "eu", "amount": 0}])
    with instance_for_test() as instance:
        result = materialize_to_memory(
            [orders.raw_orders, orders.cleaned_orders], instance=instance, raise_on_error=False
        )
        assert not result.success
        [failure] = result.failures
        assert failure.error is not None
        assert failure.error.message == "1 orders have no amount"
        assert failure.error.type_name == "Failure"
        assert failure.error.metadata == {"bad_order_ids": [9]}
        starts = instance.storage.events_for_run(result.run_id, [EventType.STEP_START])
        assert [e.step_key for e in starts].count("cleaned_orders") == 1, "allow_retries=False"

    with pytest.raises(RunFailure, match="1 orders have no amount"):
        materialize_to_memory([orders.raw_orders, orders.cleaned_orders])


def test_a_failure_that_allows_retries_is_retried() -> None:
    from assetgraph import RetryPolicy, asset

    attempts = []

    @asset(retry_policy=RetryPolicy(max_retries=2))
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) < 2:
            raise Failure(description="not yet")
        return 1

    assert materialize_to_memory([flaky]).output_for("flaky") == 1
    assert len(attempts) == 2
    assert str(Failure(description="why")) == "why"


def test_materialize_to_memory_refuses_io_managers_in_resources(orders: ModuleType) -> None:
    with pytest.raises(DefinitionError, match="'io_manager' are IO managers"):
        materialize_to_memory([orders.raw_orders], resources={"io_manager": InMemoryIOManager()})


def test_the_location_runs_from_the_cli(ported: Callable[[str], Path], cli: Cli) -> None:
    location = str(ported("orders_testing"))
    code, out = cli("materialize", "-f", location)
    assert code == 0, out
    code, out = cli("list", "-f", location)
    assert code == 0 and "revenue_by_region" in out, out
    [run] = Instance.from_env().storage.list_runs(limit=1)
    code, out = cli("runs", "show", run.run_id)
    assert code == 0, out
    observations = out.split("Observations (AssetObservation):", 1)[1]
    assert "raw_orders (rows fetched from the shop)" in observations
    assert "row_count (int): 3" in observations


def test_an_observation_logged_before_a_failure_is_kept() -> None:
    from assetgraph import AssetObservation, asset

    @asset
    def checked_upload(context) -> None:  # type: ignore[no-untyped-def]
        context.log_event(AssetObservation(asset_key="checked_upload", metadata={"files": 0}))
        raise Failure(description="no files to upload")

    result = materialize_to_memory([checked_upload], raise_on_error=False)
    assert not result.success
    [event] = result.get_asset_observation_events()
    assert event.asset_observation.metadata["files"].value == 0


def test_a_selection_may_be_an_asset_selection(orders: ModuleType) -> None:
    from assetgraph import AssetSelection

    assets = [orders.raw_orders, orders.cleaned_orders, orders.revenue_by_region]
    result = materialize_to_memory(assets, selection=AssetSelection.assets(orders.raw_orders))
    assert result.success and result.plan.step_keys == ["raw_orders"]
    with instance_for_test() as instance:
        result = materialize(
            assets,
            instance=instance,
            selection=AssetSelection.all(),
            exclude=AssetSelection.assets(orders.revenue_by_region),
        )
        assert result.plan.step_keys == ["raw_orders", "cleaned_orders"]
