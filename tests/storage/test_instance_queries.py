"""Dagster's instance read API: runs by ``RunsFilter``, events by ``EventRecordsFilter``,
pages of materializations, the latest materialization of several assets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assetgraph import (
    AssetKey,
    AssetRecordsFilter,
    DagsterEventType,
    DagsterRunStatus,
    DailyPartitionsDefinition,
    Definitions,
    EventRecordsFilter,
    Instance,
    RunsFilter,
    UsageError,
    asset,
    define_asset_job,
    materialize,
)

days = DailyPartitionsDefinition(start_date="2025-01-01")


@asset(partitions_def=days)
def daily() -> int:
    return 1


@asset
def broken() -> int:
    raise ValueError("no data")


@asset
def plain() -> int:
    return 2


@pytest.fixture
def instance(storage_url: str, tmp_path) -> Instance:  # type: ignore[no-untyped-def]
    found = Instance(storage_url=storage_url, home=tmp_path / "home")
    found.storage.upgrade()
    return found


def build_history(instance: Instance) -> dict[str, str]:
    defs = Definitions(
        assets=[daily, broken, plain], jobs=[define_asset_job("plain_job", selection=[plain])]
    )
    runs = {
        "d1": materialize(defs, selection="daily", partition_key="2025-01-01", instance=instance),
        "d2": materialize(defs, selection="daily", partition_key="2025-01-02", instance=instance),
        "bad": materialize(defs, selection="broken", instance=instance, tags={"team": "x"}),
        "job": defs.get_job_def("plain_job").execute_in_process(instance=instance),
    }
    return {name: result.run_id for name, result in runs.items()}


def test_runs_are_filtered_by_status_job_tags_ids_and_time(instance: Instance) -> None:
    ids = build_history(instance)
    assert [r.run_id for r in instance.get_runs()] == [ids[n] for n in ("job", "bad", "d2", "d1")]
    [failed] = instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.FAILURE]))
    assert failed.run_id == ids["bad"] and failed.is_failure and "broken" in str(failed.error)
    assert instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTING])) == []
    [job_run] = instance.get_runs(RunsFilter(job_name="plain_job"))
    assert job_run.run_id == ids["job"] and job_run.job_name == "plain_job"
    assert len(instance.get_runs(RunsFilter(job_name="__ASSET_JOB"))) == 3
    assert [r.run_id for r in instance.get_runs(RunsFilter(tags={"team": ["y", "x"]}))] == [
        ids["bad"]
    ]
    chosen = instance.get_runs(RunsFilter(run_ids=[ids["d1"], ids["job"]]), ascending=True)
    assert [r.run_id for r in chosen] == [ids["d1"], ids["job"]]
    assert [r.run_id for r in instance.get_runs(limit=1)] == [ids["job"]]
    assert instance.get_runs(cursor=ids["d2"]) == instance.get_runs(RunsFilter(run_ids=[ids["d1"]]))
    future = datetime(2100, 1, 1, tzinfo=UTC)
    assert instance.get_runs(RunsFilter(created_after=future)) == []
    assert instance.get_runs_count(RunsFilter(created_before=future)) == 4
    [record] = instance.get_run_records(RunsFilter(run_ids=[ids["d1"]]))
    assert record.dagster_run.is_success and record.end_time is not None
    assert record.start_time is not None and record.end_time >= record.start_time
    assert (
        instance.get_run_by_id(ids["d2"]) == instance.get_runs(RunsFilter(run_ids=[ids["d2"]]))[0]
    )


def test_event_records_by_type_asset_partition_and_cursor(instance: Instance) -> None:
    ids = build_history(instance)
    materializations = instance.get_event_records(
        EventRecordsFilter(DagsterEventType.ASSET_MATERIALIZATION, AssetKey("daily"))
    )
    assert [r.partition_key for r in materializations] == ["2025-01-02", "2025-01-01"], (
        "newest first"
    )
    first = materializations[-1]
    assert first.run_id == ids["d1"] and first.asset_key == AssetKey("daily")
    assert first.event_log_entry.dagster_event_type is DagsterEventType.ASSET_MATERIALIZATION
    after = instance.get_event_records(
        EventRecordsFilter(
            DagsterEventType.ASSET_MATERIALIZATION, AssetKey("daily"), after_cursor=first.storage_id
        )
    )
    assert [r.partition_key for r in after] == ["2025-01-02"]
    only = instance.get_event_records(
        EventRecordsFilter(
            DagsterEventType.ASSET_MATERIALIZATION,
            AssetKey("daily"),
            asset_partitions=["2025-01-01"],
        )
    )
    assert [r.storage_id for r in only] == [first.storage_id]
    [failure] = instance.get_event_records(EventRecordsFilter(DagsterEventType.STEP_FAILURE))
    assert failure.run_id == ids["bad"] and failure.event_log_entry.step_key == "broken"
    runs_done = instance.get_event_records(
        EventRecordsFilter(DagsterEventType.RUN_SUCCESS), limit=2, ascending=True
    )
    assert [r.run_id for r in runs_done] == [ids["d1"], ids["d2"]]


def test_materializations_come_in_pages_with_a_cursor(instance: Instance) -> None:
    build_history(instance)
    page = instance.fetch_materializations(AssetKey("daily"), limit=1)
    assert [r.partition_key for r in page.records] == ["2025-01-02"] and page.has_more
    rest = instance.fetch_materializations(AssetKey("daily"), limit=1, cursor=page.cursor)
    assert [r.partition_key for r in rest.records] == ["2025-01-01"] and not rest.has_more
    oldest_first = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey("daily")), limit=5, ascending=True
    )
    assert [r.partition_key for r in oldest_first.records] == ["2025-01-01", "2025-01-02"]
    assert instance.fetch_observations("daily", limit=5).records == []
    latest = instance.get_latest_materialization_events([AssetKey("daily"), "plain", "broken"])
    assert latest[AssetKey("broken")] is None
    daily_entry = latest[AssetKey("daily")]
    assert daily_entry is not None and daily_entry.partition == "2025-01-02"
    assert instance.get_materialized_partitions("daily") == {"2025-01-01", "2025-01-02"}


def test_unsupported_questions_say_what_to_do_instead(instance: Instance) -> None:
    with pytest.raises(UsageError, match="does not record ENGINE_EVENT events"):
        EventRecordsFilter(DagsterEventType.ENGINE_EVENT)
    with pytest.raises(UsageError, match="snapshots"):
        RunsFilter(snapshot_id="abc")
    with pytest.raises(UsageError, match="DagsterRunStatus"):
        RunsFilter(statuses=["SUCCESS"])  # type: ignore[list-item]
    with pytest.raises(UsageError, match="limit"):
        instance.fetch_materializations("daily", limit=0)
    with pytest.raises(UsageError, match="Invalid cursor"):
        instance.fetch_materializations("daily", limit=1, cursor="abc")
