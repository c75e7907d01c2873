"""The summary stored with each automation tick: written by the daemon with the tick,
computed by the schema migration for the ticks of an older database, and what lists of
ticks read instead of payloads."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from assetgraph import (
    AutomationCondition,
    DefaultSensorStatus,
    Definitions,
    Instance,
    RunRequest,
    SkipReason,
    asset,
    sensor,
)
from assetgraph.storage import schema
from assetgraph.storage.automation_store import AutomationStore
from assetgraph.storage.sql_storage import SqlStorage
from assetgraph.storage.tick_summary import summarize_tick

from .conftest import at, tick

RUNNING = DefaultSensorStatus.RUNNING


def _defs() -> Definitions:
    @asset
    def source() -> int:
        return 1

    @asset(automation_condition=AutomationCondition.eager())
    def doubled(source: int) -> int:
        return source * 2

    @asset(automation_condition=AutomationCondition.eager())
    def never_built(doubled: int, missing_input: int) -> int:
        return doubled + missing_input

    @asset
    def missing_input() -> int:
        return 0

    def quiet(context: Any) -> SkipReason:
        return SkipReason("nothing new")

    def loud(context: Any) -> RunRequest:
        return RunRequest(run_key="once")

    return Definitions(
        [source, doubled, never_built, missing_input],
        sensors=[
            sensor(name="quiet", asset_selection="doubled", default_status=RUNNING)(quiet),
            sensor(name="loud", asset_selection="source", default_status=RUNNING)(loud),
        ],
    )


def test_the_daemon_stores_a_summary_with_each_tick(instance: Instance) -> None:
    defs = _defs()
    tick(defs, instance, at(1))  # the sensor builds source
    tick(defs, instance, at(2))  # eager requests doubled
    store = AutomationStore(instance.storage)
    full = store.list_ticks(limit=2)
    summaries = store.list_tick_summaries(limit=2)
    assert [s.tick_id for s in summaries] == [t.tick_id for t in full]
    assert [s.summary for s in summaries] == [summarize_tick(t.payload) for t in full]
    first, second = summaries[1].summary, summaries[0].summary
    assert first["instigators"]["sensor:loud"]["status"] == "requested"
    assert len(first["instigators"]["sensor:loud"]["run_ids"]) == 1
    assert first["run_ids"] == first["instigators"]["sensor:loud"]["run_ids"]
    assert first["instigators"]["sensor:quiet"]["skip_reasons"] == ["nothing new"]
    assert "doubled" in second["requested"] and "never_built" not in second["requested"]
    assert second["instigators"]["sensor:quiet"]["run_ids"] == []
    found = store.list_tick_summaries(limit=5, containing='"sensor:loud": {"status": ')
    assert [s.tick_id for s in found] == [s.tick_id for s in summaries]


def test_the_migration_summarizes_the_ticks_of_an_older_database(
    instance: Instance, storage_url: str
) -> None:
    defs = _defs()
    for hour in (1, 2, 3):
        tick(defs, instance, at(hour))
    store = AutomationStore(instance.storage)
    expected = store.list_tick_summaries(limit=10)
    assert len(expected) == 3
    with instance.storage.engine.begin() as conn:  # make it look like a version 5 database
        conn.execute(sa.text("ALTER TABLE automation_ticks DROP COLUMN summary"))
        conn.execute(sa.delete(schema.schema_version))
        conn.execute(schema.schema_version.insert(), [{"version": 5, "applied_at": 0.0}])
    old = SqlStorage(storage_url)
    try:
        assert old.upgrade() == [6]
        assert AutomationStore(old).list_tick_summaries(limit=10) == expected
    finally:
        old.dispose()
