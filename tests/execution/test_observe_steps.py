"""Observation is a step kind: the run phases and the coordinator run an observe run like
any other (recording, retries, heartbeat, interrupts), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assetgraph import (
    AssetExecutionContext,
    DailyPartitionsDefinition,
    DataVersion,
    Definitions,
    Instance,
    RetryPolicy,
    observable_source_asset,
    observe,
)
from assetgraph.errors import RunInterrupted
from assetgraph.storage.coordination import claims_of, run_is_live
from assetgraph.storage.records import EventType, RunStatus


@pytest.fixture
def instance(storage_url: str) -> Instance:
    return Instance(storage_url=storage_url)


def test_a_failed_observation_is_retried_by_the_run_retry_policy(instance: Instance) -> None:
    answers: list[Any] = [OSError("vendor down"), DataVersion("v1")]

    @observable_source_asset
    def prices() -> DataVersion:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, DataVersion)
        return answer

    defs = Definitions([prices], retry_policy=RetryPolicy(max_retries=1))
    result = observe(defs, instance=instance)
    assert result.success
    assert [(o.asset_key.to_string(), o.data_version) for o in result.observations] == [
        ("prices", "v1")
    ]
    events = instance.storage.events_for_run(result.run_id)
    assert [e.event_type for e in events] == [
        EventType.RUN_START,
        EventType.STEP_START,
        EventType.STEP_FAILURE,
        EventType.STEP_START,
        EventType.ASSET_OBSERVATION,
        EventType.STEP_SUCCESS,
        EventType.RUN_SUCCESS,
    ]
    assert events[2].payload["retry_in"] == 0.0
    assert events[3].payload == {"attempt": 2}


def test_an_observation_runs_in_a_live_run_and_holds_no_leases(instance: Instance) -> None:
    seen: dict[str, Any] = {}

    @observable_source_asset
    def prices(context: AssetExecutionContext) -> str:
        seen["live"] = run_is_live(instance.storage, context.run_id)
        seen["claims"] = claims_of(instance.storage, context.run_id)
        return "v1"

    result = observe(Definitions([prices]), instance=instance)
    assert result.success
    assert seen == {"live": True, "claims": (0, 0)}
    assert claims_of(instance.storage, result.run_id) == (0, 0)


def test_a_failed_observation_fails_its_run_but_not_the_other_sources(
    instance: Instance,
) -> None:
    @observable_source_asset
    def prices() -> str:
        raise OSError("vendor down")

    @observable_source_asset
    def rates() -> str:
        return "r1"

    result = observe(Definitions([prices, rates]), instance=instance)
    assert list(result.failures) == [prices.key]
    assert [o.asset_key for o in result.observations] == [rates.key]
    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.status is RunStatus.FAILURE
    assert run.error == "1 step(s) failed: prices"
    (failure,) = instance.storage.events_for_run(result.run_id, [EventType.STEP_FAILURE])
    assert failure.payload["asset_keys"] == []  # an observation fails no asset


def test_interrupting_an_observation_cancels_its_run(instance: Instance) -> None:
    @observable_source_asset
    def prices() -> str:
        raise KeyboardInterrupt

    @observable_source_asset
    def rates() -> str:
        return "r1"

    with pytest.raises(RunInterrupted) as interrupted:
        observe(Definitions([prices, rates]), instance=instance)
    run = instance.storage.get_run(interrupted.value.run_id)
    assert run is not None and run.status is RunStatus.CANCELED
    kinds = [e.event_type for e in instance.storage.events_for_run(run.run_id)]
    assert EventType.ASSET_OBSERVATION not in kinds
    assert kinds[-1] is EventType.RUN_CANCELED
    assert claims_of(instance.storage, run.run_id) == (0, 0)


def test_observed_partitions_are_checked_at_the_time_passed_in(instance: Instance) -> None:
    @observable_source_asset(partitions_def=DailyPartitionsDefinition(start_date="2025-01-01"))
    def events() -> dict[str, str]:
        return {"2025-01-05": "a"}

    defs = Definitions([events])
    early = observe(defs, instance=instance, current_time=datetime(2025, 1, 3, tzinfo=UTC))
    assert early.failures[events.key] == (
        "UsageError: The observe function of source asset 'events' returned versions for "
        "partition(s) '2025-01-05', which its partitions definition does not have."
    )
    later = observe(defs, instance=instance, current_time=datetime(2025, 1, 9, tzinfo=UTC))
    assert later.success
    assert [(o.partition_key, o.data_version) for o in later.observations] == [("2025-01-05", "a")]
