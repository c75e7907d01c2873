"""Stored backfills carried out by the daemon: runs cut by backfill policy, at most
``max_concurrent_runs`` at a time, progress from ranges, cancel and resume, restarts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assetgraph import (
    AllPartitionMapping,
    AssetExecutionContext,
    AssetIn,
    BackfillPolicy,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    asset,
)
from assetgraph.automation.backfills import (
    BACKFILL_TAG,
    backfill_progress,
    cancel_backfill,
    get_backfill,
    get_backfills,
    launch_backfill,
    resume_backfill,
)
from assetgraph.automation.daemon import AutomationDaemon
from assetgraph.automation.run_queue import RunQueueConfig
from assetgraph.automation.runs import InProcessLauncher
from assetgraph.errors import UsageError
from assetgraph.storage.backfill_store import BulkActionStatus
from assetgraph.storage.records import RunStatus

NOW = datetime(2025, 2, 1, tzinfo=UTC)
DAILY = DailyPartitionsDefinition(start_date="2025-01-01")


def _defs(policy: BackfillPolicy | None = None, fail: set[str] | None = None) -> Definitions:
    failing = fail or set()

    @asset(partitions_def=DAILY, backfill_policy=policy)
    def readings(context: AssetExecutionContext) -> Any:
        keys = list(context.partition_keys)
        bad = failing & set(keys)
        if bad:
            raise ValueError(f"no data for {sorted(bad)}")
        return {key: f"reading {key}" for key in keys} if len(keys) > 1 else f"reading {keys[0]}"

    @asset(partitions_def=DAILY, backfill_policy=policy)
    def cleaned(context: AssetExecutionContext, readings: Any) -> Any:
        keys = list(context.partition_keys)
        return {key: f"clean {key}" for key in keys} if len(keys) > 1 else f"clean {keys[0]}"

    return Definitions(assets=[readings, cleaned])


def _daemon(
    defs: Definitions, instance: Instance, limit: int = 10, launcher: Any = None
) -> AutomationDaemon:
    return AutomationDaemon(
        defs,
        instance,
        launcher=launcher or InProcessLauncher(defs, instance),
        queue_config=RunQueueConfig(max_concurrent_runs=limit),
    )


def _idle(defs: Definitions, instance: Instance) -> AutomationDaemon:
    """A daemon that queues runs and launches none."""
    return AutomationDaemon(
        defs, instance, launcher=None, queue_config=RunQueueConfig(max_concurrent_runs=10)
    )


def _until_done(daemon: AutomationDaemon, backfill_id: str, ticks: int = 40) -> Any:
    try:
        for _ in range(ticks):
            outcome = daemon.tick(NOW)
            assert outcome is not None and not outcome.errors, outcome and outcome.errors
            found = get_backfill(backfill_id, daemon.instance)
            if not found.status.is_active:
                return found
    finally:
        daemon.release()
    raise AssertionError(f"backfill {backfill_id} did not finish in {ticks} ticks")


def _progress(backfill: Any) -> dict[str, tuple[int, int, int, int]]:
    return {
        p.asset: (p.done, p.failed, p.in_progress, p.remaining) for p in backfill_progress(backfill)
    }


def test_a_backfill_is_stored_as_ranges_and_carried_out_by_the_daemon(instance: Instance) -> None:
    defs = _defs(BackfillPolicy.multi_run(4))
    backfill = launch_backfill(
        defs, partition_range="2025-01-01...2025-01-10", instance=instance, now=NOW
    )
    assert backfill.status is BulkActionStatus.REQUESTED
    assert backfill.state["assets"]["readings"]["target"] == ["2025-01-01...2025-01-10"]
    assert _progress(backfill) == {"readings": (0, 0, 0, 10), "cleaned": (0, 0, 0, 10)}
    done = _until_done(_daemon(defs, instance), backfill.backfill_id)
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert _progress(done) == {"readings": (10, 0, 0, 0), "cleaned": (10, 0, 0, 0)}
    runs = instance.storage.list_runs(limit=None, tags={BACKFILL_TAG: backfill.backfill_id})
    assert len(runs) == 3  # 4 + 4 + 2 partitions, both assets in each run
    assert all(run.status is RunStatus.SUCCESS for run in runs)
    built = instance.storage.latest_materializations(["cleaned"])
    assert sorted(p for _, p in built) == [f"2025-01-{d:02d}" for d in range(1, 11)]


def test_a_single_run_policy_builds_everything_in_one_run(instance: Instance) -> None:
    defs = _defs(BackfillPolicy.single_run())
    backfill = launch_backfill(defs, "readings", all_partitions=True, instance=instance, now=NOW)
    done = _until_done(_daemon(defs, instance), backfill.backfill_id)
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    runs = instance.storage.list_runs(limit=None, tags={BACKFILL_TAG: backfill.backfill_id})
    assert len(runs) == 1
    assert _progress(done) == {"readings": (31, 0, 0, 0)}


def test_failures_are_counted_per_asset_and_resume_relaunches_them(instance: Instance) -> None:
    defs = _defs(BackfillPolicy.multi_run(2), fail={"2025-01-03"})
    backfill = launch_backfill(
        defs, partition_range="2025-01-01...2025-01-06", instance=instance, now=NOW
    )
    done = _until_done(_daemon(defs, instance), backfill.backfill_id)
    assert done.status is BulkActionStatus.COMPLETED_FAILED
    # the run of 03-04 failed: readings of both failed, cleaned of both never built
    assert _progress(done) == {"readings": (4, 2, 0, 0), "cleaned": (4, 2, 0, 0)}
    assert [p.failed_ranges for p in backfill_progress(done)] == [
        ("2025-01-03...2025-01-04",),
        ("2025-01-03...2025-01-04",),
    ]
    fixed = _defs(BackfillPolicy.multi_run(2))
    resumed = resume_backfill(backfill.backfill_id, instance)
    assert resumed.status is BulkActionStatus.REQUESTED
    assert _progress(resumed)["readings"] == (4, 0, 0, 2)
    again = _until_done(_daemon(fixed, instance), backfill.backfill_id)
    assert again.status is BulkActionStatus.COMPLETED_SUCCESS
    assert _progress(again) == {"readings": (6, 0, 0, 0), "cleaned": (6, 0, 0, 0)}


def test_at_most_max_concurrent_runs_are_queued_or_running(instance: Instance) -> None:
    defs = _defs()  # no policy: one partition per run, as Dagster
    backfill = launch_backfill(
        defs,
        partition_range="2025-01-01...2025-01-07",
        max_concurrent_runs=3,
        instance=instance,
        now=NOW,
    )
    daemon = _idle(defs, instance)
    daemon.tick(NOW)
    runs = instance.storage.list_runs(limit=None, tags={BACKFILL_TAG: backfill.backfill_id})
    assert len(runs) == 3 and all(run.status is RunStatus.QUEUED for run in runs)
    assert _progress(get_backfill(backfill.backfill_id, instance))["readings"] == (0, 0, 3, 4)
    daemon.tick(NOW)  # nothing ended: nothing more is queued
    daemon.release()
    assert len(instance.storage.list_runs(limit=None, statuses=[RunStatus.QUEUED])) == 3


def test_cancel_cancels_queued_runs_and_resume_goes_on(instance: Instance) -> None:
    defs = _defs()
    backfill = launch_backfill(
        defs, "readings", partition_range="2025-01-01...2025-01-05", instance=instance, now=NOW
    )
    daemon = AutomationDaemon(
        defs, instance, launcher=None, queue_config=RunQueueConfig(max_concurrent_runs=0)
    )
    daemon.tick(NOW)  # five runs queued, none launched (the queue is paused)
    daemon.release()
    canceled = cancel_backfill(backfill.backfill_id[:6], instance)
    assert canceled.status is BulkActionStatus.CANCELED
    runs = instance.storage.list_runs(limit=None, tags={BACKFILL_TAG: backfill.backfill_id})
    assert len(runs) == 5 and all(run.status is RunStatus.CANCELED for run in runs)
    assert _progress(canceled)["readings"] == (0, 0, 0, 5)
    with pytest.raises(UsageError, match="only a requested backfill can be canceled"):
        cancel_backfill(backfill.backfill_id, instance)
    resume_backfill(backfill.backfill_id, instance)
    done = _until_done(_daemon(defs, instance), backfill.backfill_id)
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert _progress(done)["readings"] == (5, 0, 0, 0)


def test_a_restarted_daemon_carries_the_backfill_on(instance: Instance) -> None:
    defs = _defs(BackfillPolicy.multi_run(3))
    backfill = launch_backfill(
        defs,
        partition_range="2025-01-01...2025-01-09",
        max_concurrent_runs=1,
        instance=instance,
        now=NOW,
    )
    first = _daemon(defs, instance)
    first.tick(NOW)
    first.tick(NOW)
    first.release()  # the daemon stops; its state is all in the database
    middle = get_backfill(backfill.backfill_id, instance)
    assert middle.status is BulkActionStatus.REQUESTED
    assert _progress(middle)["readings"][0] == 3
    second = _daemon(defs, Instance(storage_url=instance.storage_url, home=instance.home))
    done = _until_done(second, backfill.backfill_id)
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    runs = instance.storage.list_runs(limit=None, tags={BACKFILL_TAG: backfill.backfill_id})
    assert len(runs) == 3  # no partition was built twice
    assert _progress(done)["cleaned"] == (9, 0, 0, 0)


def test_missing_leaves_out_what_is_materialized(instance: Instance) -> None:
    defs = _defs(BackfillPolicy.single_run())
    first = launch_backfill(
        defs, partition_range="2025-01-01...2025-01-03", instance=instance, now=NOW
    )
    _until_done(_daemon(defs, instance), first.backfill_id)
    second = launch_backfill(
        defs,
        "readings",
        partition_range="2025-01-01...2025-01-05",
        missing=True,
        instance=instance,
        now=NOW,
    )
    assert second.state["assets"]["readings"]["target"] == ["2025-01-04...2025-01-05"]
    assert [b.backfill_id for b in get_backfills(instance)] == [
        second.backfill_id,
        first.backfill_id,
    ]


def test_downstream_with_another_partitions_definition_waits_for_upstream(
    instance: Instance,
) -> None:
    regions = StaticPartitionsDefinition(["eu", "us"])

    @asset(partitions_def=DAILY)
    def daily() -> int:
        return 1

    @asset(partitions_def=regions, ins={"daily": AssetIn(partition_mapping=AllPartitionMapping())})
    def by_region(daily: Any) -> int:
        return 2

    defs = Definitions(assets=[daily, by_region])
    launch_backfill(
        defs,
        partition_range=None,
        all_partitions=True,
        instance=instance,
        now=NOW,
        max_concurrent_runs=100,
    )
    daemon = _idle(defs, instance)
    daemon.tick(NOW)
    queued = instance.storage.list_runs(limit=None, statuses=[RunStatus.QUEUED])
    assert {run.asset_keys for run in queued} == {("daily",)}  # by_region waits
    assert len(queued) == 31


def test_a_backfill_that_names_nothing_is_refused(instance: Instance) -> None:
    defs = _defs()
    with pytest.raises(UsageError, match="Nothing to backfill"):
        launch_backfill(
            defs,
            "readings",
            partition_range="2025-01-01...2025-01-02",
            missing=True,
            instance=_built(defs, instance),
            now=NOW,
        )


def _built(defs: Definitions, instance: Instance) -> Instance:
    from assetgraph import materialize

    materialize(
        defs, selection="readings", partition_range="2025-01-01...2025-01-02", instance=instance
    )
    return instance


def test_queued_runs_wait_for_a_tag_concurrency_limit(instance: Instance, tmp_path: Path) -> None:
    defs = _defs()
    (tmp_path / "pyproject.toml").write_text(
        "[tool.assetgraph]\nmax_concurrent_runs = 5\n"
        "[[tool.assetgraph.tag_concurrency_limits]]\n"
        'key = "assetgraph/backfill"\nvalue = {applyLimitPerUniqueValue = true}\nlimit = 1\n'
    )
    config = RunQueueConfig.load(tmp_path)
    assert config.max_concurrent_runs == 5 and config.tag_concurrency_limits[0].per_unique_value
    backfill = launch_backfill(
        defs, "readings", partition_range="2025-01-01...2025-01-04", instance=instance, now=NOW
    )
    launched: list[str] = []

    class Recorder:
        def launch(self, request: Any) -> None:
            launched.append(request["run_id"])  # starts nothing: the run stays "starting"

    daemon = AutomationDaemon(defs, instance, launcher=Recorder(), queue_config=config)
    daemon.tick(NOW)
    daemon.tick(NOW)
    assert len(launched) == 1  # one run of this backfill at a time
    queued = instance.storage.list_runs(limit=None, statuses=[RunStatus.QUEUED])
    assert len(queued) == 4
    payload = json.loads(json.dumps(backfill.state))
    assert payload["max_concurrent_runs"] >= 1


def test_a_run_canceled_on_its_own_counts_as_failed_until_resumed(instance: Instance) -> None:
    from assetgraph.storage.run_queue import RunQueueStore

    defs = _defs()
    backfill = launch_backfill(
        defs, "readings", partition_range="2025-01-01...2025-01-03", instance=instance, now=NOW
    )
    daemon = _idle(defs, instance)
    daemon.tick(NOW)
    runs = instance.storage.list_runs(limit=None, tags={BACKFILL_TAG: backfill.backfill_id})
    one = next(run for run in runs if "2025-01-02" in run.tags["assetgraph/targets"])
    RunQueueStore(instance.storage).cancel([one.run_id], 1.0, "canceled by hand")
    daemon.tick(NOW)
    daemon.release()
    found = get_backfill(backfill.backfill_id, instance)
    assert _progress(found)["readings"] == (0, 1, 2, 0)  # not queued again
    assert found.state["assets"]["readings"]["failed"] == ["2025-01-02"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), min_size=1, max_size=4),
    per_run=st.one_of(st.none(), st.integers(1, 7)),
)
def test_runs_cut_by_policy_cover_the_target_once_each(
    tmp_path_factory: pytest.TempPathFactory, spans: list[tuple[int, int]], per_run: int | None
) -> None:
    folder = tmp_path_factory.mktemp("cut")
    instance = Instance(storage_url=f"sqlite:///{folder}/meta.db", home=folder)
    policy = BackfillPolicy.single_run() if per_run is None else BackfillPolicy.multi_run(per_run)
    defs = _defs(policy)
    days = [f"2025-01-{d:02d}" for d in range(1, 32)]
    ranges = [f"{days[a]}...{days[min(a + n, 30)]}" for a, n in spans]
    wanted = {days[i] for a, n in spans for i in range(a, min(a + n, 30) + 1)}
    launch_backfill(
        defs,
        "readings",
        partition_range=ranges,
        max_concurrent_runs=100,
        instance=instance,
        now=NOW,
    )
    daemon = _idle(defs, instance)
    daemon.tick(NOW)
    daemon.release()
    seen: list[str] = []
    for run in instance.storage.list_runs(limit=None, statuses=[RunStatus.QUEUED]):
        targets = json.loads(run.tags["assetgraph/targets"])["assets"]["readings"]
        keys = [
            day
            for item in targets
            for day in days
            if (item if isinstance(item, str) else item[0])
            <= day
            <= (item if isinstance(item, str) else item[1])
        ]
        assert per_run is None or len(keys) <= per_run
        seen.extend(keys)
    assert sorted(seen) == sorted(wanted)  # every partition in exactly one run
    if per_run is None:
        assert len(instance.storage.list_runs(limit=None)) == 1


def test_runs_of_automation_policies_wait_in_the_queue_too(instance: Instance) -> None:
    from assetgraph import AutomationPolicy

    @asset(automation_policy=AutomationPolicy.eager())
    def root() -> int:
        return 1

    defs = Definitions(assets=[root])
    paused = AutomationDaemon(
        defs,
        instance,
        launcher=InProcessLauncher(defs, instance),
        queue_config=RunQueueConfig(max_concurrent_runs=0),
    )
    outcome = paused.tick(NOW)
    paused.release()
    assert outcome is not None and len(outcome.runs) == 1
    queued = instance.storage.list_runs(limit=None, statuses=[RunStatus.QUEUED])
    assert [run.run_id for run in queued] == [outcome.runs[0]["run_id"]]
    again = paused.tick(NOW)  # the queued run covers root: it is not requested twice
    paused.release()
    assert again is not None and again.runs == []
    running = _daemon(defs, instance)
    running.tick(NOW)
    running.release()
    run = instance.storage.get_run(queued[0].run_id)
    assert run is not None and run.status is RunStatus.SUCCESS  # started under its queued id


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            BackfillPolicy.single_run(),
            [
                {
                    "dagster/asset_partition_range_start": "2025-01-01",
                    "dagster/asset_partition_range_end": "2025-01-03",
                }
            ],
        ),
        (None, [{"dagster/partition": f"2025-01-0{day}"} for day in (1, 2, 3)]),
    ],
)
def test_backfill_runs_carry_dagster_s_partition_and_backfill_tags(
    instance: Instance, policy: BackfillPolicy | None, expected: list[dict[str, str]]
) -> None:
    defs = _defs(policy)
    backfill = launch_backfill(
        defs, partition_range="2025-01-01...2025-01-03", instance=instance, now=NOW
    )
    _until_done(_daemon(defs, instance), backfill.backfill_id)
    runs = instance.storage.list_runs(limit=None, tags={"dagster/backfill": backfill.backfill_id})
    partition_tags = [
        {k: v for k, v in run.tags.items() if k.startswith("dagster/") and "partition" in k}
        for run in runs
    ]
    assert sorted(partition_tags, key=str) == sorted(expected, key=str)


def _running_total() -> Definitions:
    @asset(
        partitions_def=DAILY,
        ins={
            "prev": AssetIn(
                key="running_total",
                partition_mapping=TimeWindowPartitionMapping(start_offset=-1, end_offset=-1),
            )
        },
    )
    def running_total(context: AssetExecutionContext, prev: int | None) -> int:
        return int(context.partition_key[-2:]) + (prev or 0)

    return Definitions(assets=[running_total])


def test_a_self_dependent_asset_is_backfilled_one_run_at_a_time_oldest_first(
    instance: Instance,
) -> None:
    defs = _running_total()
    backfill = launch_backfill(
        defs,
        partition_range="2025-01-01...2025-01-04",
        max_concurrent_runs=3,
        instance=instance,
        now=NOW,
    )
    idle = _idle(defs, instance)
    idle.tick(NOW)
    idle.release()
    [queued] = instance.storage.list_runs(limit=None, tags={BACKFILL_TAG: backfill.backfill_id})
    assert queued.tags["dagster/partition"] == "2025-01-01"

    done = _until_done(_daemon(defs, instance), backfill.backfill_id)
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert _progress(done) == {"running_total": (4, 0, 0, 0)}
    value = defs.load_asset_value("running_total", partition_key="2025-01-04", instance=instance)
    assert value == 1 + 2 + 3 + 4
