"""Freshness per partition, Dagster's time window and cron freshness policies, their
states (pass, warn, fail, unknown), the events recorded on each change, and the sensor
that acts on them; ticks at chosen times (``now``) on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assetgraph import (
    AutomationPolicy,
    DefinitionError,
    Definitions,
    FreshnessPolicy,
    FreshnessPolicySensorContext,
    FreshnessState,
    HourlyPartitionsDefinition,
    Instance,
    asset,
    freshness_policy_sensor,
)
from assetgraph.automation.freshness import freshness_statuses
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.keys import AssetKey
from assetgraph.storage.events import FRESHNESS_RUN_ID, FreshnessStateChanged, parse_payload
from assetgraph.storage.records import EventType
from tests.automation.conftest import T0, RecordingLauncher, at, entry, record, targets, tick

HOURLY = HourlyPartitionsDefinition(start_date="2025-01-01-00:00")


def changes(instance: Instance) -> list[tuple[str, str, str]]:
    """The stored freshness state changes: (asset, previous state, new state)."""
    found = []
    for event in instance.storage.events_for_run(
        FRESHNESS_RUN_ID, [EventType.FRESHNESS_STATE_CHANGE]
    ):
        body = parse_payload(event.event_type, event.payload)
        assert isinstance(body, FreshnessStateChanged)
        found.append((event.asset_key or "", body.previous_state, body.new_state))
    return found


def status_of(defs: Definitions, instance: Instance, key: str, now: datetime) -> Any:
    [found] = freshness_statuses(defs.graph, instance.storage, [AssetKey.from_user(key)], now)
    return found


# -- partition deadlines ---------------------------------------------------------------------


def deadline_defs(automated: bool = False) -> Definitions:
    @asset(
        partitions_def=HOURLY,
        freshness_policy=FreshnessPolicy.partition_deadline(30, warn_minutes=10),
        automation_policy=AutomationPolicy.lazy() if automated else None,
    )
    def readings() -> int:
        return 1

    return Definitions([readings])


def test_partition_deadline_states_and_overdue_ranges(instance: Instance) -> None:
    defs = deadline_defs()
    for hour in (0, 1, 3):
        record(instance, "readings", at(hour + 1), partition=HOURLY.key_for_index(hour))
    # 04:05: window 03:00 ended 5 min ago (not late yet); 02:00 ended 65 min ago (overdue).
    early = status_of(defs, instance, "readings", at(4 + 5 / 60))
    assert early.state is FreshnessState.FAIL
    assert [str(r) for r in early.to_json()["overdue_partitions"]] == ["2025-01-01-02:00"]
    record(instance, "readings", at(4.1), partition=HOURLY.key_for_index(2))
    # 04:15: window 03:00 is built; nothing else has ended: pass.
    assert status_of(defs, instance, "readings", at(4.25)).state is FreshnessState.PASS
    # 05:15: window 04:00 ended 15 min ago, missing: past the warning, not the deadline.
    late = status_of(defs, instance, "readings", at(5.25))
    assert late.state is FreshnessState.WARN
    assert late.to_json()["late_partitions"] == ["2025-01-01-04:00"]
    # 07:20: 04:00...06:00 missing; 04:00 and 05:00 past the deadline, 06:00 late.
    overdue = status_of(defs, instance, "readings", at(7 + 20 / 60))
    assert overdue.state is FreshnessState.FAIL
    assert overdue.to_json()["overdue_partitions"] == ["2025-01-01-04:00...2025-01-01-05:00"]
    assert "2 partitions overdue: 2025-01-01-04:00...2025-01-01-05:00" in overdue.describe()
    assert "1 partition late (warn): 2025-01-01-06:00" in overdue.describe()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    built=st.sets(st.integers(min_value=0, max_value=11)),
    minutes=st.integers(min_value=0, max_value=14 * 60),
    deadline=st.integers(min_value=2, max_value=120),
    warn=st.integers(min_value=1, max_value=119),
)
def test_partition_deadline_state_is_what_each_window_promises(
    sqlite_instance: Instance, built: set[int], minutes: int, deadline: int, warn: int
) -> None:
    """For any built partitions and any moment: overdue are exactly the missing windows
    that ended ``deadline`` minutes ago or more, late those past the warning only."""
    warn = min(warn, deadline - 1)
    name = f"a{uuid.uuid4().hex[:12]}"

    @asset(
        name=name,
        partitions_def=HOURLY,
        freshness_policy=FreshnessPolicy.partition_deadline(deadline, warn_minutes=warn),
    )
    def readings() -> int:
        return 1

    defs = Definitions([readings])
    for index in sorted(built):
        record(sqlite_instance, name, at(index + 1), partition=HOURLY.key_for_index(index))
    now = T0 + timedelta(minutes=minutes)
    found = status_of(defs, sqlite_instance, name, now)
    ended = [i for i in range(minutes // 60) if i not in built]  # windows end at (i + 1) h
    age = {i: minutes - (i + 1) * 60 for i in ended}
    overdue = {HOURLY.key_for_index(i) for i in ended if age[i] >= deadline}
    late = {HOURLY.key_for_index(i) for i in ended if warn <= age[i] < deadline}
    keys = found.overdue.keys() if found.overdue is not None else []
    assert set(keys) == overdue
    assert set(found.late.keys() if found.late is not None else []) == late
    expected = (
        FreshnessState.FAIL if overdue else FreshnessState.WARN if late else FreshnessState.PASS
    )
    assert found.state is expected
    assert found.next_change is not None and found.next_change > now.timestamp()


def test_partition_deadline_needs_a_time_partitioned_asset() -> None:
    with pytest.raises(DefinitionError, match="'flat'.*time-partitioned"):

        @asset(freshness_policy=FreshnessPolicy.partition_deadline(30))
        def flat() -> int:
            return 1


def test_the_daemon_requests_ended_windows_before_their_deadline(instance: Instance) -> None:
    """A lazy hourly asset with a deadline: each window is requested on the first tick
    after it ends, so it is built long before its deadline passes."""
    defs = deadline_defs(automated=True)
    first = tick(defs, instance, at(1) + timedelta(minutes=2))
    assert targets(first) == [{"readings": ["2025-01-01-00:00"]}]
    assert "must be materialized within 30 min" in entry(first, "readings")["reasons"][0]
    quiet = tick(defs, instance, at(1.5))
    assert targets(quiet) == []
    later = tick(defs, instance, at(2) + timedelta(minutes=1))
    assert targets(later) == [{"readings": ["2025-01-01-01:00"]}]
    assert status_of(defs, instance, "readings", at(2.5)).state is FreshnessState.PASS
    # Never a state change to record: every window was built within its deadline.
    assert changes(instance) == [("readings", "unknown", "pass")]


def test_deadline_pulls_its_lazy_upstream_partitions(instance: Instance) -> None:
    @asset(partitions_def=HOURLY, automation_policy=AutomationPolicy.lazy())
    def raw() -> int:
        return 1

    @asset(partitions_def=HOURLY, freshness_policy=FreshnessPolicy.partition_deadline(45))
    def cleaned(raw: int) -> int:
        return raw

    defs = Definitions([raw, cleaned])
    outcome = tick(defs, instance, at(1) + timedelta(minutes=5))
    assert targets(outcome) == [{"raw": ["2025-01-01-00:00"], "cleaned": ["2025-01-01-00:00"]}]
    assert "needed by the freshness policy of cleaned" in entry(outcome, "raw")["reasons"][0]


# -- events: once per change -----------------------------------------------------------------


def test_each_change_of_state_is_recorded_once(instance: Instance) -> None:
    defs = deadline_defs()
    stuck = RecordingLauncher(instance)  # the runs it requests never finish
    tick(defs, instance, at(0.5), stuck)  # no window ended yet: pass
    tick(defs, instance, at(1.1), stuck)  # 00:00 ended 6 min ago: pass (and requested)
    tick(defs, instance, at(1.25), stuck)  # 15 min: warn
    tick(defs, instance, at(1.3), stuck)  # still warn: nothing new
    tick(defs, instance, at(1.6), stuck)  # 36 min: fail
    tick(defs, instance, at(1.7), stuck)
    tick(defs, instance, at(1.8), stuck)
    assert changes(instance) == [
        ("readings", "unknown", "pass"),
        ("readings", "pass", "warn"),
        ("readings", "warn", "fail"),
    ]
    record(instance, "readings", at(1.85), partition=HOURLY.key_for_index(0))
    tick(defs, instance, at(1.9), stuck)
    tick(defs, instance, at(1.95), stuck)
    assert changes(instance)[-1] == ("readings", "fail", "pass")
    assert len(changes(instance)) == 4
    # The tick says what changed.
    outcome = tick(defs, instance, at(2.6), stuck)  # 01:00 window 36 min past its end
    assert [c["new_state"] for c in outcome.payload["freshness_changes"]] == ["fail"]


def test_a_dry_run_tick_records_no_change(instance: Instance) -> None:
    defs = deadline_defs()
    outcome = tick(defs, instance, at(1.6), dry_run=True)
    assert outcome.payload["freshness_changes"][0]["new_state"] == "fail"
    assert changes(instance) == []


# -- Dagster's time window and cron policies ---------------------------------------------------


def dagster_style_defs() -> Definitions:
    """A Dagster code location ported as written: only the import line changes."""

    @asset(
        freshness_policy=FreshnessPolicy.time_window(
            fail_window=timedelta(hours=24), warn_window=timedelta(hours=12)
        ),
        automation_policy=AutomationPolicy.lazy(),
    )
    def orders() -> int:
        return 1

    @asset(
        freshness_policy=FreshnessPolicy.cron(
            deadline_cron="0 10 * * *",
            lower_bound_delta=timedelta(hours=1),
            timezone="America/Los_Angeles",
        )
    )
    def daily_report(orders: int) -> int:
        return orders

    return Definitions([orders, daily_report])


def test_time_window_states_follow_the_last_materialization(instance: Instance) -> None:
    defs = dagster_style_defs()
    assert status_of(defs, instance, "orders", at(1)).state is FreshnessState.UNKNOWN
    record(instance, "orders", at(1))
    assert status_of(defs, instance, "orders", at(12.9)).state is FreshnessState.PASS
    assert status_of(defs, instance, "orders", at(13)).state is FreshnessState.WARN
    failing = status_of(defs, instance, "orders", at(25))
    assert failing.state is FreshnessState.FAIL
    assert "last materialized 1440 min ago" in failing.describe()


def test_cron_policy_judges_the_window_before_the_last_deadline(instance: Instance) -> None:
    defs = dagster_style_defs()
    # 10:00 in Los Angeles on 1 January is 18:00 UTC; the window opens at 17:00 UTC.
    record(instance, "daily_report", at(17.5))
    assert status_of(defs, instance, "daily_report", at(18.5)).state is FreshnessState.PASS
    # Until the next deadline the last window still counts, so it passes at 17:30 next day.
    assert status_of(defs, instance, "daily_report", at(17.5, days=1)).state is (
        FreshnessState.PASS
    )
    assert status_of(defs, instance, "daily_report", at(18, days=1)).state is FreshnessState.FAIL
    early = at(16.5, days=2)  # materialized before the next window opened: fails at its deadline
    record(instance, "daily_report", early)
    assert status_of(defs, instance, "daily_report", at(18, days=2)).state is FreshnessState.FAIL


def test_ported_policies_drive_automation_before_they_fail(instance: Instance) -> None:
    defs = dagster_style_defs()
    record(instance, "orders", at(0))
    record(instance, "daily_report", at(0))
    quiet = tick(defs, instance, at(11))
    assert targets(quiet) == []
    warned = tick(defs, instance, at(12))  # the warn window came: refresh orders
    assert targets(warned) == [{"orders": []}]
    assert "warn window 720 min" in entry(warned, "orders")["reasons"][0]
    # 17:00 UTC: the report's window opens; it is built with its lazy upstream if old.
    opened = tick(defs, instance, at(17))  # orders' data (12:00) predates the window: rebuilt
    assert targets(opened) == [{"orders": [], "daily_report": []}]
    assert (
        "deadline window opened 2025-01-01 17:00 UTC" in entry(opened, "daily_report")["reasons"][0]
    )
    after = status_of(defs, instance, "daily_report", at(18.5))
    assert after.state is FreshnessState.PASS


def test_dagster_constructors_check_their_arguments() -> None:
    with pytest.raises(DefinitionError, match="warn_window .* must be less than fail_window"):
        FreshnessPolicy.time_window(fail_window=timedelta(hours=1), warn_window=timedelta(hours=2))
    with pytest.raises(DefinitionError, match="at least 1 minute"):
        FreshnessPolicy.time_window(fail_window=timedelta(seconds=30))
    with pytest.raises(DefinitionError, match="smallest interval"):
        FreshnessPolicy.cron(deadline_cron="0 * * * *", lower_bound_delta=timedelta(hours=2))
    with pytest.raises(DefinitionError, match="Unknown time zone"):
        FreshnessPolicy.cron("0 10 * * *", timedelta(hours=1), timezone="Mars/Base")
    with pytest.raises(DefinitionError, match="exactly one of"):
        FreshnessPolicy(maximum_lag_minutes=5, fail_window=timedelta(hours=1))
    assert FreshnessPolicy(60).kind == "lag"


# -- the sensor ----------------------------------------------------------------------------


def test_a_freshness_policy_sensor_is_called_once_per_change(instance: Instance) -> None:
    seen: list[tuple[str, str, str, tuple[str, ...]]] = []

    @freshness_policy_sensor(
        asset_selection=["readings"], default_status=DefaultSensorStatus.RUNNING
    )
    def alert(context: FreshnessPolicySensorContext) -> None:
        seen.append(
            (
                context.asset_key.to_string(),
                context.previous_state.value,
                context.new_state.value,
                context.overdue_partitions,
            )
        )

    base = deadline_defs()
    defs = Definitions(list(base.assets), sensors=[alert])
    stuck = RecordingLauncher(instance)
    tick(defs, instance, at(1.1), stuck)
    tick(defs, instance, at(1.6), stuck)
    tick(defs, instance, at(1.7), stuck)
    tick(defs, instance, at(1.8), stuck)
    assert seen == [
        ("readings", "unknown", "pass", ()),
        ("readings", "pass", "fail", ("2025-01-01-00:00",)),
    ]


def test_a_sensor_started_late_alerts_once_on_the_current_state(instance: Instance) -> None:
    seen: list[str] = []

    @freshness_policy_sensor(asset_selection="*", default_status=DefaultSensorStatus.RUNNING)
    def alert(context: FreshnessPolicySensorContext) -> None:
        seen.append(context.new_state.value)

    plain = deadline_defs()
    stuck = RecordingLauncher(instance)
    tick(plain, instance, at(1.1), stuck)
    tick(plain, instance, at(1.6), stuck)
    with_sensor = Definitions(list(plain.assets), sensors=[alert])
    tick(with_sensor, instance, at(1.7), stuck)
    tick(with_sensor, instance, at(1.8), stuck)
    assert seen == ["fail"]


def test_the_state_change_payload_round_trips() -> None:
    body = FreshnessStateChanged("fail", "warn", "p", ("a...b",), 2, 5.0)
    assert FreshnessStateChanged.from_payload(body.to_payload()) == body
    assert parse_payload(EventType.FRESHNESS_STATE_CHANGE, body.to_payload()) == body
    assert T0.tzinfo is UTC


def test_a_partitioned_multi_asset_may_promise_partition_deadlines() -> None:
    from assetgraph import AssetOut, multi_asset

    @multi_asset(
        outs={"left": AssetOut(), "right": AssetOut()},
        partitions_def=HOURLY,
        freshness_policy=FreshnessPolicy.partition_deadline(15),
    )
    def pair() -> tuple[int, int]:
        return 1, 2

    defs = Definitions([pair])
    assert defs.graph.spec(AssetKey.from_user("left")).freshness_policy == (
        FreshnessPolicy.partition_deadline(15)
    )
    with pytest.raises(DefinitionError, match="'left'.*time-partitioned"):

        @multi_asset(
            outs={"left": AssetOut(), "right": AssetOut()},
            freshness_policy=FreshnessPolicy.partition_deadline(15),
        )
        def flat_pair() -> tuple[int, int]:
            return 1, 2


def test_a_daily_deadline_pulls_the_day_of_lazy_hourly_readings(instance: Instance) -> None:
    from assetgraph import DailyPartitionsDefinition

    @asset(partitions_def=HOURLY, automation_policy=AutomationPolicy.lazy())
    def hourly_readings() -> int:
        return 1

    @asset(
        partitions_def=DailyPartitionsDefinition(start_date="2025-01-01"),
        freshness_policy=FreshnessPolicy.partition_deadline(60),
    )
    def daily_rollup(hourly_readings: dict[str, int]) -> int:
        return sum(hourly_readings.values())

    defs = Definitions([hourly_readings, daily_rollup])
    before = tick(defs, instance, at(23.5))  # the day has not ended: nothing is due
    assert targets(before) == []
    outcome = tick(defs, instance, at(0, days=1) + timedelta(minutes=5))
    assert targets(outcome) == [
        {
            "hourly_readings": ["2025-01-01-00:00...2025-01-01-23:00"],
            "daily_rollup": ["2025-01-01"],
        }
    ]
    assert status_of(defs, instance, "daily_rollup", at(1, days=1)).state is FreshnessState.PASS
