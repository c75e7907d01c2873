"""``@multi_asset_sensor`` over partitioned assets, as Dagster's docs use it: partitions
materialized out of order stay unconsumed until handled, daily partitions map to weekly
ones, and every fifth materialization triggers a run."""

from __future__ import annotations

import pytest

from assetgraph import (
    AssetKey,
    AssetSelection,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    RunRequest,
    SkipReason,
    UsageError,
    WeeklyPartitionsDefinition,
    asset,
    build_multi_asset_sensor_context,
    define_asset_job,
    multi_asset_sensor,
)

from .conftest import at, tick

daily = DailyPartitionsDefinition(start_date="2025-01-06")
weekly = WeeklyPartitionsDefinition(start_date="2025-01-05")


@asset(partitions_def=daily)
def upstream_1() -> int:
    return 1


@asset(partitions_def=daily)
def upstream_2() -> int:
    return 2


@asset(partitions_def=daily)
def downstream() -> int:
    return 3


@asset(partitions_def=weekly)
def weekly_report() -> int:
    return 4


@asset
def counted() -> int:
    return 5


downstream_job = define_asset_job("downstream_job", selection=[downstream])


@multi_asset_sensor(
    monitored_assets=[AssetKey("upstream_1"), AssetKey("upstream_2")], job=downstream_job
)
def both_partitions(context):  # type: ignore[no-untyped-def]
    run_requests = []
    for (
        partition,
        by_asset,
    ) in context.latest_materialization_records_by_partition_and_asset().items():
        if set(by_asset) == set(context.asset_keys):
            run_requests.append(downstream_job.run_request_for_partition(partition))
            for key, record in by_asset.items():
                context.advance_cursor({key: record})
    return run_requests


DEFS = Definitions(
    assets=[upstream_1, upstream_2, downstream, weekly_report, counted],
    jobs=[downstream_job],
    sensors=[both_partitions],
)


def build(partition: str, *keys: str, instance: Instance) -> None:
    from assetgraph import materialize

    for key in keys:
        assert materialize(DEFS, selection=key, partition_key=partition, instance=instance).success


def context_for(instance: Instance, cursor: str | None = None, keys=("upstream_1", "upstream_2")):  # type: ignore[no-untyped-def]
    return build_multi_asset_sensor_context(
        monitored_assets=[AssetKey(k) for k in keys],
        instance=instance,
        cursor=cursor,
        definitions=DEFS,
    )


def test_a_partition_seen_before_its_companion_is_handled_when_the_companion_arrives(
    sqlite_instance: Instance,
) -> None:
    build("2025-01-06", "upstream_1", instance=sqlite_instance)
    build("2025-01-07", "upstream_1", "upstream_2", instance=sqlite_instance)
    context = context_for(sqlite_instance)
    [request] = both_partitions(context)
    assert (request.job_name, request.partition_key) == ("downstream_job", "2025-01-07")
    assert context.get_cursor_partition(AssetKey("upstream_1")) == "2025-01-07"
    trailing = context.get_trailing_unconsumed_events(AssetKey("upstream_1"))
    assert [r.partition_key for r in trailing] == ["2025-01-06"], "read, passed over, kept"
    build("2025-01-06", "upstream_2", instance=sqlite_instance)
    later = context_for(sqlite_instance, context.cursor)
    [request] = both_partitions(later)
    assert request.partition_key == "2025-01-06"
    assert both_partitions(context_for(sqlite_instance, later.cursor)) == []


def test_the_daemon_runs_the_sensor_and_stores_its_cursor(sqlite_instance: Instance) -> None:
    from assetgraph import DefaultSensorStatus

    running = multi_asset_sensor(
        monitored_assets=[AssetKey("upstream_1"), AssetKey("upstream_2")],
        job=downstream_job,
        name="running_both_partitions",
        default_status=DefaultSensorStatus.RUNNING,
    )(both_partitions.asset_materialization_fn)
    defs = Definitions(
        assets=[upstream_1, upstream_2, downstream], jobs=[downstream_job], sensors=[running]
    )
    build("2025-01-08", "upstream_1", "upstream_2", instance=sqlite_instance)
    outcome = tick(defs, sqlite_instance, at(days=10))
    assert [run["targets"] for run in outcome.runs] == [{"downstream": ["2025-01-08"]}]
    assert tick(defs, sqlite_instance, at(days=10, hours=1)).runs == [], "consumed"


def test_a_sensor_that_yields_keeps_the_cursor_it_advanced_while_yielding(
    sqlite_instance: Instance,
) -> None:
    from assetgraph import DefaultSensorStatus

    @multi_asset_sensor(
        monitored_assets=[AssetKey("upstream_1")],
        job=downstream_job,
        default_status=DefaultSensorStatus.RUNNING,
    )
    def each_day(context):  # type: ignore[no-untyped-def]
        records = context.latest_materialization_records_by_partition(AssetKey("upstream_1"))
        for partition, record in records.items():
            yield downstream_job.run_request_for_partition(partition)
            context.advance_cursor({AssetKey("upstream_1"): record})

    defs = Definitions(assets=[upstream_1, downstream], jobs=[downstream_job], sensors=[each_day])
    build("2025-01-08", "upstream_1", instance=sqlite_instance)
    build("2025-01-09", "upstream_1", instance=sqlite_instance)
    outcome = tick(defs, sqlite_instance, at(days=10))
    assert sorted(p for run in outcome.runs for p in run["targets"]["downstream"]) == [
        "2025-01-08",
        "2025-01-09",
    ]
    assert tick(defs, sqlite_instance, at(days=10, hours=1)).runs == [], "consumed"


def test_daily_partitions_map_to_their_week_and_back(sqlite_instance: Instance) -> None:
    context = context_for(sqlite_instance, keys=("upstream_1",))
    weeks = context.get_downstream_partition_keys(
        "2025-01-08", from_asset_key=AssetKey("upstream_1"), to_asset_key=AssetKey("weekly_report")
    )
    assert weeks == ["2025-01-05"]
    days = context.get_downstream_partition_keys(
        "2025-01-05", from_asset_key=AssetKey("weekly_report"), to_asset_key=AssetKey("upstream_1")
    )
    assert days == [
        "2025-01-06",
        "2025-01-07",
        "2025-01-08",
        "2025-01-09",
        "2025-01-10",
        "2025-01-11",
    ]
    build("2025-01-06", "upstream_1", instance=sqlite_instance)
    assert context.all_partitions_materialized(AssetKey("upstream_1"), ["2025-01-06"])
    assert not context.all_partitions_materialized(AssetKey("upstream_1"), days)


def test_every_fifth_materialization_asks_for_a_run(sqlite_instance: Instance) -> None:
    from assetgraph import materialize

    def every_fifth(context):  # type: ignore[no-untyped-def]
        events = context.materialization_records_for_key(asset_key=AssetKey("counted"), limit=5)
        if len(events) == 5:
            context.advance_cursor({AssetKey("counted"): events[-1]})
            return RunRequest(run_key=f"{context.cursor}")
        return SkipReason(f"counted only materialized {len(events)} times.")

    cursor = None
    found = []
    for _ in range(7):
        assert materialize(DEFS, selection="counted", instance=sqlite_instance).success
        context = context_for(sqlite_instance, cursor, keys=("counted",))
        found.append(type(every_fifth(context)).__name__)
        cursor = context.cursor
    assert found == ["SkipReason"] * 4 + ["RunRequest"] + ["SkipReason"] * 2


def test_a_selection_is_resolved_and_misuse_is_explained(sqlite_instance: Instance) -> None:
    context = build_multi_asset_sensor_context(
        monitored_assets=AssetSelection.assets("upstream_1", "upstream_2"),
        instance=sqlite_instance,
        definitions=DEFS,
    )
    assert context.asset_keys == [AssetKey("upstream_1"), AssetKey("upstream_2")]
    with pytest.raises(UsageError, match="advance_cursor"):
        context.update_cursor("x")
    with pytest.raises(UsageError, match="does not monitor asset 'counted'"):
        context.latest_materialization_records_by_partition(AssetKey("counted"))
    with pytest.raises(UsageError, match="pass definitions="):
        build_multi_asset_sensor_context(
            monitored_assets=AssetSelection.all(), instance=sqlite_instance
        )
    with pytest.raises(UsageError, match="needs an instance"):
        build_multi_asset_sensor_context(monitored_assets=[AssetKey("counted")])
