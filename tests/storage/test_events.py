"""Typed event payloads: round trips, compatibility with stored JSON, and early cut-off."""

from __future__ import annotations

import json
import time
import typing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from assetgraph import (
    Definitions,
    Instance,
    RetryPolicy,
    StaticPartitionsDefinition,
    asset,
    materialize,
)
from assetgraph.storage import interface
from assetgraph.storage.early_cutoff import data_version_event_id
from assetgraph.storage.events import (
    CheckEvaluated,
    EventPayload,
    Logged,
    Materialized,
    Observed,
    StepFailed,
    StepSkipped,
    StepStarted,
    StepSucceeded,
    parse_payload,
    step_event,
)
from assetgraph.storage.records import EventRecord, EventType, StepStatus
from assetgraph.storage.sql_storage import SqlStorage

ERROR = {"kind": "user_code", "type": "ValueError", "message": "boom", "location": None}

EXAMPLES: list[EventPayload] = [
    StepStarted(),
    StepStarted(attempt=3),
    StepSucceeded(1.25),
    StepFailed(error=ERROR, duration=0.5),
    StepFailed(
        error=ERROR,
        duration=0.5,
        asset_keys=("a", "b/c"),
        partition_keys=("2025-01-01", "2025-01-02"),
        attempt=2,
        retry_in=1.5,
    ),
    StepSkipped(),
    StepSkipped(canceled=True),
    Materialized("v1", "d1", {"up": {"": "u1"}, "daily": {"2025-01-01": None}}, 0.2, {"rows": 3}),
    Observed("o1", {"source": "api"}, 0.1),
    CheckEvaluated(
        "positive",
        "orders",
        passed=False,
        partition_keys=("p1",),
        blocking=True,
        description="negative amounts",
        metadata={"count": 2},
        failure_cases={"cases": [1]},
        error={"type": "ValueError", "message": "x"},
        partition_key="p1",
    ),
    Logged("WARNING"),
]


@pytest.mark.parametrize("body", EXAMPLES, ids=lambda b: type(b).__name__)
def test_each_payload_round_trips_through_json(body: EventPayload) -> None:
    stored = json.loads(json.dumps(body.to_payload()))
    assert type(body).from_payload(stored) == body
    assert parse_payload(body.kind, stored) == body


# Payloads exactly as assetgraph wrote them before the typed classes: each must parse and
# write back to the same JSON, so old databases read the same and new rows look the same.
STORED_BEFORE: list[tuple[EventType, dict[str, Any]]] = [
    (EventType.STEP_START, {}),
    (EventType.STEP_START, {"attempt": 2}),
    (EventType.STEP_SUCCESS, {"duration": 0.01}),
    (
        EventType.STEP_FAILURE,
        {
            "error": {**ERROR, "traceback": "Traceback..."},
            "duration": 0.3,
            "asset_keys": ["a"],
            "partition_keys": [],
            "attempt": 1,
        },
    ),
    (EventType.STEP_FAILURE, {"error": ERROR, "duration": 0.3}),  # an observe function
    (EventType.STEP_FAILURE, {"asset_keys": ["clean"], "error": "boom"}),  # hand-written
    (EventType.STEP_SKIPPED, {}),
    (EventType.STEP_SKIPPED, {"canceled": True}),
    (
        EventType.ASSET_MATERIALIZATION,
        {
            "code_version": "c",
            "data_version": "d",
            "input_versions": {"up": {"": "u"}},
            "duration": 0.1,
            "metadata": {},
        },
    ),
    (EventType.ASSET_OBSERVATION, {"data_version": "o", "metadata": {}, "duration": 0.2}),
    (
        EventType.ASSET_CHECK_EVALUATION,
        {
            "check_name": "c",
            "asset_key": "a",
            "partition_keys": [],
            "passed": True,
            "blocking": False,
            "severity": "WARN",
            "description": None,
            "metadata": {},
            "partition_key": None,
        },
    ),
    (EventType.LOG, {"level": "STDOUT"}),
]


@pytest.mark.parametrize(("kind", "payload"), STORED_BEFORE)
def test_payloads_stored_before_parse_and_write_back_unchanged(
    kind: EventType, payload: dict[str, Any]
) -> None:
    body = parse_payload(kind, payload)
    assert body is not None, f"no class parses {kind}"
    assert body.to_payload() == payload


def test_run_events_have_no_typed_payload() -> None:
    assert parse_payload(EventType.RUN_START, {}) is None


def test_a_failure_names_its_pairs_and_falls_back_to_the_event_partition() -> None:
    listed = StepFailed(asset_keys=("a", "b"), partition_keys=("p1", "p2"))
    assert list(listed.failed_pairs("ignored")) == [
        ("a", "p1"),
        ("a", "p2"),
        ("b", "p1"),
        ("b", "p2"),
    ]
    assert list(StepFailed(asset_keys=("a",), partition_keys=()).failed_pairs("p9")) == [
        ("a", "p9")
    ]
    assert list(StepFailed(error=ERROR).failed_pairs("p9")) == [], "no assets: nothing failed"


def test_a_materialization_says_what_it_read_of_an_upstream() -> None:
    body = Materialized.from_payload(
        {"code_version": "c", "data_version": "d", "input_versions": {"up": {"p": "u1"}}}
    )
    assert body.read_partitions("up") == {"p": "u1"}
    assert body.read_partitions("other") is None
    assert Materialized.from_payload({}).read_partitions("up") is None, "an old payload"


def test_step_statuses_are_the_strings_stored_and_printed() -> None:
    assert [s.value for s in StepStatus] == ["success", "failure", "skipped"]
    assert StepStatus("failure") is StepStatus.FAILURE
    assert json.dumps({"status": StepStatus.SKIPPED}) == '{"status": "skipped"}'
    assert f"{StepStatus.SUCCESS}" == "success"


def test_a_stored_event_is_the_json_written_before(tmp_path: Path) -> None:
    storage = SqlStorage(f"sqlite:///{tmp_path}/meta.db")
    failure = StepFailed(error=ERROR, duration=0.5, asset_keys=("a",), partition_keys=())
    storage.store_events([step_event("r1", failure, 1.0, step_key="a", message="boom")])
    with storage.engine.connect() as conn:
        text = conn.execute(sa.text("SELECT payload FROM events")).scalar_one()
    expected = (
        '{"v":1,"error":{"kind":"user_code","type":"ValueError","message":"boom",'
        '"location":null},"duration":0.5,"asset_keys":["a"],"partition_keys":[]}'
    )
    assert text == expected
    (event,) = storage.events_for_run("r1")
    assert parse_payload(event.event_type, event.payload) == failure


# -- early cut-off ------------------------------------------------------------------------


def test_early_cut_off_keeps_the_event_that_last_changed_the_version() -> None:
    assert data_version_event_id("d1", 5, "d1", 9) == 5, "unchanged: the old change stays"
    assert data_version_event_id("d1", 5, "d2", 9) == 9, "changed"
    assert data_version_event_id(None, None, "d1", 9) == 9, "first materialization"
    assert data_version_event_id("d1", None, "d1", 9) == 9, "no change known yet"
    assert data_version_event_id(None, 5, None, 9) == 9, "no version is no proof of sameness"


def _materialized(run_id: str, key: str, version: str | None) -> EventRecord:
    return step_event(run_id, Materialized("c1", version), time.time(), step_key=key, asset_key=key)


def test_the_index_applies_early_cut_off_across_writes(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    (first,) = storage.store_events([_materialized("r1", "a", "d1")])
    (second,) = storage.store_events([_materialized("r2", "a", "d1")])
    record = storage.latest_materializations(["a"])[("a", None)]
    assert (record.event_id, record.data_version_event_id) == (second, first)
    (third,) = storage.store_events([_materialized("r3", "a", "d2")])
    record = storage.latest_materializations(["a"])[("a", None)]
    assert (record.event_id, record.data_version_event_id) == (third, third)


def test_the_index_applies_early_cut_off_within_one_batch(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    first, second = storage.store_events(
        [_materialized("r1", "a", "d1"), _materialized("r1", "a", "d1")]
    )
    record = storage.latest_materializations(["a"])[("a", None)]
    assert (record.event_id, record.data_version_event_id) == (second, first)
    many = [_materialized("r2", f"k{i}", "same") for i in range(30)]  # the batched path
    many += [_materialized("r2", "k0", "same")]
    ids = storage.store_events(many)
    record = storage.latest_materializations(["k0"])[("k0", None)]
    assert (record.event_id, record.data_version_event_id) == (ids[-1], ids[0])


# -- through a run ------------------------------------------------------------------------


def test_a_run_records_typed_failures_with_their_assets_partitions_and_attempts(
    tmp_path: Path,
) -> None:
    letters = StaticPartitionsDefinition(["x", "y"])

    @asset(partitions_def=letters, retry_policy=RetryPolicy(max_retries=1))
    def flaky() -> int:
        raise ValueError("always")

    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)
    result = materialize(Definitions(assets=[flaky]), instance=instance, partition_key="x")
    assert not result.success
    failures = [
        StepFailed.from_payload(e.payload)
        for e in instance.storage.events_for_run(result.run_id, [EventType.STEP_FAILURE])
    ]
    assert [(f.asset_keys, f.partition_keys, f.attempt) for f in failures] == [
        (("flaky",), ("x",), 1),
        (("flaky",), ("x",), 2),
    ]
    assert failures[0].retry_in is not None and failures[1].retry_in is None
    assert isinstance(failures[0].error, dict) and failures[0].error["type"] == "ValueError"
    assert instance.storage.partition_counts(["flaky"]) == {"flaky": (0, 1)}
    assert result.step_outcomes[next(iter(result.step_outcomes))].status is StepStatus.FAILURE


# -- the storage protocols ----------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        interface.Transactions,
        interface.RunStore,
        interface.EventLogWriter,
        interface.EventLogReader,
        interface.MaterializationIndex,
        interface.PartitionStatusReader,
        interface.DynamicPartitionStore,
        interface.RunStorage,
        interface.AutomationBackend,
    ],
    ids=lambda role: role.__name__,
)
def test_sql_storage_has_every_method_of_each_role(role: type) -> None:
    members = {
        name
        for klass in role.__mro__
        if klass not in (object, typing.Protocol, typing.Generic)
        for name, value in vars(klass).items()
        if callable(value) and not name.startswith("_")
    }
    assert members, f"{role.__name__} lists no methods"
    missing = sorted(name for name in members if not callable(getattr(SqlStorage, name, None)))
    assert missing == [], f"SqlStorage lacks {missing} of {role.__name__}"
