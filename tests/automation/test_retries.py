"""Automation retries a failed partition while its RetryPolicy allows, after its delay."""

from __future__ import annotations

from datetime import datetime

from assetgraph import (
    AutomationPolicy,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    RetryPolicy,
    asset,
)
from assetgraph.storage.events import StepFailed
from assetgraph.storage.records import EventRecord, EventType
from tests.automation.conftest import at, entry, targets, tick


def failed(instance: Instance, key: str, partition: str | None, when: datetime) -> None:
    """One failed attempt of ``key`` recorded at ``when`` (a run that then died)."""
    failure = StepFailed(
        error="boom", asset_keys=(key,), partition_keys=(partition,) if partition else None
    )
    instance.storage.store_events(
        [
            EventRecord(
                "lost-run",
                EventType.STEP_FAILURE,
                when.timestamp(),
                step_key=key,
                partition_key=partition,
                payload=failure.to_payload(),
            )
        ]
    )


def test_a_failed_partition_is_retried_after_the_policy_delay_up_to_max_retries(
    instance: Instance,
) -> None:
    policy = RetryPolicy(max_retries=2, delay=600, backoff="exponential")

    @asset(
        partitions_def=DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-02"),
        automation_policy=AutomationPolicy.eager(),
        retry_policy=policy,
    )
    def flaky(context) -> str:  # type: ignore[no-untyped-def]
        return str(context.partition_key)

    defs = Definitions([flaky])

    def held(hours: float) -> list[str]:
        """What a tick at ``hours`` into the second day skips (it requests nothing)."""
        outcome = tick(defs, instance, at(hours, days=1), dry_run=True)
        assert targets(outcome) == []
        return list(entry(outcome, "flaky")["skipped"])

    failed(instance, "flaky", "2025-01-01", at(0.5, days=1))
    assert held(0.55) == [
        "skipped 2025-01-01: failed at 2025-01-02 00:30 UTC; retry 1 of 2 after "
        "2025-01-02 00:40 UTC"
    ]
    due = tick(defs, instance, at(0.7, days=1), dry_run=True)
    assert targets(due) == [{"flaky": ["2025-01-01"]}]
    assert (
        "retrying 2025-01-01 after a failure: failed at 2025-01-02 00:30 UTC; retry 1 of 2 "
        "(RetryPolicy)" in entry(due, "flaky")["reasons"]
    )
    failed(instance, "flaky", "2025-01-01", at(0.75, days=1))  # the retry failed too
    assert held(0.8) == [  # exponential backoff: twice the delay before the second retry
        "skipped 2025-01-01: failed at 2025-01-02 00:45 UTC; retry 2 of 2 after "
        "2025-01-02 01:05 UTC"
    ]
    assert targets(tick(defs, instance, at(1.1, days=1), dry_run=True)) == [
        {"flaky": ["2025-01-01"]}
    ]
    failed(instance, "flaky", "2025-01-01", at(1.2, days=1))
    assert held(5) == [
        "skipped 2025-01-01: failed at 2025-01-02 01:12 UTC (3 attempts; RetryPolicy "
        "max_retries=2 used up); waiting for new upstream data or a code change"
    ]


def test_attempts_a_run_already_retried_count_and_the_definitions_default_applies(
    instance: Instance,
) -> None:
    calls: list[int] = []

    @asset(automation_policy=AutomationPolicy.eager())
    def broken() -> int:
        calls.append(1)
        raise ValueError("always")

    defs = Definitions([broken], retry_policy=RetryPolicy(max_retries=1))
    first = tick(defs, instance, at(1))
    assert targets(first) == [{"broken": []}]
    assert len(calls) == 2  # the run's own retry
    later = tick(defs, instance, at(5))
    assert targets(later) == []
    (note,) = entry(later, "broken")["skipped"]
    assert "(2 attempts; RetryPolicy max_retries=1 used up)" in note
    assert len(calls) == 2
