"""Source assets: read by downstream assets, never materialized, observed for staleness."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assetgraph import (
    AssetExecutionContext,
    DailyPartitionsDefinition,
    DataVersion,
    DefinitionError,
    Definitions,
    Instance,
    IOManager,
    ObserveResult,
    SourceAsset,
    StaleCause,
    UsageError,
    asset,
    materialize,
    observable_source_asset,
    observe,
    stale_status,
)
from assetgraph.io import InputContext, OutputContext
from assetgraph.storage.records import EventType

DAYS = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-04")


class JsonFiles(IOManager):
    """Values as JSON files under ``base``: ``<key>.json`` or ``<key>/<partition>.json``."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def _path(self, key: Any, partition: str | None) -> Path:
        name = key.to_string().replace("/", "__")
        return self.base / (f"{name}.json" if partition is None else f"{name}/{partition}.json")

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        path = self._path(context.asset_key, context.partition_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj))

    def load_input(self, context: InputContext) -> Any:
        if context.partition_keys and len(context.partition_keys) > 1:
            return {
                p: json.loads(self._path(context.asset_key, p).read_text())
                for p in context.partition_keys
            }
        return json.loads(self._path(context.asset_key, context.partition_key).read_text())


def orders_location(base: Path) -> Definitions:
    """``orders`` is a file another system writes; its observation reads a version file."""

    @observable_source_asset(group="vendor")
    def orders() -> DataVersion:
        """Orders exported nightly by the shop."""
        return DataVersion((base / "orders.version").read_text())

    @asset(code_version="1")
    def order_count(orders: list[int]) -> int:
        return len(orders)

    @asset(code_version="1")
    def report(order_count: int) -> str:
        return f"{order_count} orders"

    return Definitions([orders, order_count, report], io_managers={"io_manager": JsonFiles(base)})


def write_orders(base: Path, orders: list[int], version: str) -> None:
    base.mkdir(parents=True, exist_ok=True)
    (base / "orders.json").write_text(json.dumps(orders))
    (base / "orders.version").write_text(version)


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    return Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")


def statuses(defs: Definitions, instance: Instance) -> dict[str, str]:
    return {s.key.to_string(): s.status for s in stale_status(defs, instance=instance)}


def test_downstream_reads_a_source_through_its_io_manager_and_no_step_builds_it(
    tmp_path: Path, instance: Instance
) -> None:
    base = tmp_path / "data"
    write_orders(base, [1, 2, 3], "v1")
    defs = orders_location(base)
    result = materialize(defs, instance=instance)
    assert result.success
    assert result.plan.step_keys == ["order_count", "report"]
    assert result.output_for("report") == "3 orders"
    assert json.loads((base / "orders.json").read_text()) == [1, 2, 3], "the source was rewritten"


def test_observe_then_same_version_stays_fresh_and_new_version_makes_downstream_stale(
    tmp_path: Path, instance: Instance
) -> None:
    base = tmp_path / "data"
    write_orders(base, [1, 2, 3], "v1")
    defs = orders_location(base)

    assert statuses(defs, instance)["orders"] == "missing", "never observed yet"
    first = observe(defs, instance=instance)
    assert first.success
    assert [(o.data_version, o.previous_version) for o in first.observations] == [("v1", None)]
    assert materialize(defs, selection="orders+", instance=instance).success
    assert statuses(defs, instance) == {
        "orders": "fresh",
        "order_count": "fresh",
        "report": "fresh",
    }

    # Observed again, unchanged: nothing downstream goes stale (early cut-off).
    again = observe(defs, instance=instance)
    assert not again.observations[0].changed
    assert statuses(defs, instance) == {
        "orders": "fresh",
        "order_count": "fresh",
        "report": "fresh",
    }

    # The vendor drops a new file: downstream is stale, the cause names the source.
    write_orders(base, [1, 2, 3, 4], "v2")
    changed = observe(defs, instance=instance)
    assert changed.observations[0].changed
    report = stale_status(defs, instance=instance)
    assert report["orders"].status == "fresh"
    assert report["order_count"].status == "stale"
    (cause,) = report["order_count"].causes
    assert cause.cause is StaleCause.UPSTREAM_CHANGED
    assert cause.upstream is not None and cause.upstream.to_string() == "orders"
    assert cause.describe(report["order_count"].key) == "order_count: upstream orders changed"
    assert report.root_causes("report") == ["order_count: upstream orders changed"]

    # --stale rebuilds exactly the downstream (never the source), then all is fresh.
    rebuilt = materialize(defs, stale=True, instance=instance)
    assert rebuilt.plan.step_keys == ["order_count", "report"]
    assert rebuilt.output_for("report") == "4 orders"
    assert set(statuses(defs, instance).values()) == {"fresh"}


def test_materialization_records_the_observed_version_it_read(
    tmp_path: Path, instance: Instance
) -> None:
    base = tmp_path / "data"
    write_orders(base, [1], "v7")
    defs = orders_location(base)
    observe(defs, instance=instance)
    result = materialize(defs, selection="order_count", instance=instance)
    (event,) = instance.storage.events_for_run(result.run_id, [EventType.ASSET_MATERIALIZATION])
    assert event.payload["input_versions"] == {"orders": {"": "v7"}}


def test_observation_is_recorded_in_its_own_run(tmp_path: Path, instance: Instance) -> None:
    base = tmp_path / "data"
    write_orders(base, [1], "v1")
    result = observe(orders_location(base), instance=instance)
    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.status.value == "success"
    assert run.tags == {"assetgraph/kind": "observe"}
    events = instance.storage.events_for_run(result.run_id)
    assert [e.event_type for e in events] == [
        EventType.RUN_START,
        EventType.STEP_START,
        EventType.ASSET_OBSERVATION,
        EventType.STEP_SUCCESS,
        EventType.RUN_SUCCESS,
    ]
    assert events[2].asset_key == "orders"
    assert events[2].payload == {
        "data_version": "v1",
        "metadata": {},
        "duration": pytest.approx(events[2].payload["duration"]),
    }


def test_plain_source_is_always_present_and_never_stale(tmp_path: Path, instance: Instance) -> None:
    base = tmp_path / "data"
    write_orders(base, [5, 6], "unused")
    orders = SourceAsset("orders", description="Written by the shop.")

    @asset
    def order_count(orders: list[int]) -> int:
        return len(orders)

    defs = Definitions([orders, order_count], io_managers={"io_manager": JsonFiles(base)})
    assert statuses(defs, instance) == {"orders": "fresh", "order_count": "missing"}
    result = materialize(defs, instance=instance)
    assert result.plan.step_keys == ["order_count"]
    assert result.output_for("order_count") == 2
    assert statuses(defs, instance) == {"orders": "fresh", "order_count": "fresh"}
    assert defs.graph.spec(orders.key).description == "Written by the shop."
    line = _line_of('orders = SourceAsset("orders"')
    assert orders.source_location.endswith(f"{Path(__file__).name}:{line}")


def _line_of(text: str) -> int:
    lines = Path(__file__).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line and "_line_of" not in line)


def test_selecting_only_sources_says_so(tmp_path: Path, instance: Instance) -> None:
    defs = orders_location(tmp_path)
    with pytest.raises(UsageError) as error:
        materialize(defs, selection="orders", instance=instance)
    assert str(error.value) == (
        "The selection names only source assets ('orders'), which assetgraph reads but never "
        "materializes: select the assets downstream of them (e.g. 'KEY+'), or record their "
        "current versions with 'assetgraph observe'."
    )


def test_partitioned_source_observed_per_partition(tmp_path: Path, instance: Instance) -> None:
    versions = {"2025-01-01": "a", "2025-01-02": "b"}

    @observable_source_asset(partitions_def=DAYS, key_prefix="shop")
    def events(context: AssetExecutionContext) -> dict[str, Any]:
        context.log.info("observing %d days", len(versions))
        return {day: ObserveResult(v, metadata={"size": len(v)}) for day, v in versions.items()}

    @asset(partitions_def=DAYS, key_prefix="shop")
    def daily(events: list[int]) -> int:
        return sum(events)

    base = tmp_path / "data"
    for day in ("2025-01-01", "2025-01-02", "2025-01-03"):
        path = base / "shop__events" / f"{day}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([1, 2]))
    defs = Definitions([events, daily], io_managers={"io_manager": JsonFiles(base)})

    result = observe(defs, instance=instance)
    assert [(o.partition_key, o.data_version) for o in result.observations] == [
        ("2025-01-01", "a"),
        ("2025-01-02", "b"),
    ]
    assert result.observations[0].metadata == {"size": 1}
    source = stale_status(defs, instance=instance)["shop/events"]
    assert list(source.missing.keys()) == ["2025-01-03"]

    built = materialize(
        defs, selection="shop/daily", partition_range="2025-01-01...2025-01-02", instance=instance
    )
    assert built.plan.step_keys == ["shop/daily[2025-01-01]", "shop/daily[2025-01-02]"]
    assert built.output_for("shop/daily", "2025-01-02") == 3

    versions["2025-01-02"] = "b2"
    observe(defs, instance=instance)
    daily_status = stale_status(defs, instance=instance)["shop/daily"]
    assert list(daily_status.stale.keys()) == ["2025-01-02"]
    assert [c.describe(daily_status.key) for c in daily_status.causes] == [
        "shop/daily[2025-01-02]: upstream shop/events[2025-01-02] changed"
    ]
    rebuilt = materialize(defs, selection="shop/daily", stale=True, instance=instance)
    assert rebuilt.plan.step_keys == ["shop/daily[2025-01-02]"]


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        (
            42,
            "The observe function of source asset 'orders' returned int 42; it must return a "
            "DataVersion, a non-empty str or an ObserveResult.",
        ),
        (
            "",
            "The observe function of source asset 'orders' returned str ''; it must return a "
            "DataVersion, a non-empty str or an ObserveResult.",
        ),
    ],
)
def test_observe_function_returning_something_else_fails_naming_the_source(
    instance: Instance, returned: Any, expected: str
) -> None:
    @observable_source_asset
    def orders() -> Any:
        return returned

    defs = Definitions([orders])
    result = observe(defs, instance=instance)
    assert not result.success
    assert result.failures[orders.key] == f"DefinitionError: {expected}"
    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.status.value == "failure"
    (failure,) = instance.storage.events_for_run(result.run_id, [EventType.STEP_FAILURE])
    assert failure.step_key == "orders"
    assert failure.payload["error"]["message"] == expected
    assert statuses(defs, instance) == {"orders": "missing"}


def test_partitioned_source_must_return_a_mapping_of_known_partitions(instance: Instance) -> None:
    answers: list[Any] = [DataVersion("x"), {"2030-01-01": "x"}]

    @observable_source_asset(partitions_def=DAYS)
    def events() -> Any:
        return answers.pop(0)

    defs = Definitions([events])
    first = observe(defs, instance=instance)
    assert "a partitioned source returns a mapping from partition key" in first.failures[events.key]
    second = observe(defs, instance=instance)
    assert second.failures[events.key] == (
        "UsageError: The observe function of source asset 'events' returned versions for "
        "partition(s) '2030-01-01', which its partitions definition does not have."
    )


def test_observe_function_that_raises_is_reported_with_its_location(instance: Instance) -> None:
    @observable_source_asset
    def orders() -> str:
        raise FileNotFoundError("orders.version")

    result = observe(Definitions([orders]), instance=instance)
    why = result.failures[orders.key]
    assert why.startswith(
        "FileNotFoundError: the observe function of source asset 'orders' raised: orders.version"
    )
    assert f"{Path(__file__).name}:" in why


def test_observe_selection_without_observable_sources_is_a_usage_error(
    tmp_path: Path, instance: Instance
) -> None:
    defs = orders_location(tmp_path)
    with pytest.raises(UsageError, match="names no observable source asset; the code location"):
        observe(defs, selection="report", instance=instance)
    plain = Definitions([SourceAsset("orders")])
    with pytest.raises(UsageError, match="has no observable source assets"):
        observe(plain, instance=instance)


def test_observe_function_may_take_only_context() -> None:
    with pytest.raises(DefinitionError, match=r"takes 'orders_file': it may take only 'context'"):

        @observable_source_asset
        def orders(orders_file: str) -> str:
            return orders_file


def test_source_io_manager_key_must_exist() -> None:
    with pytest.raises(DefinitionError, match="io_manager_key='vendor'"):
        Definitions([SourceAsset("orders", io_manager_key="vendor")])


def test_calling_an_observable_source_runs_its_function() -> None:
    @observable_source_asset(name="orders", group="vendor")
    def observe_orders() -> str:
        return "v1"

    assert observe_orders() == "v1"
    assert observe_orders.key.to_string() == "orders"
    assert observe_orders.spec(observe_orders.key).group == "vendor"
