"""What the rest of assetgraph asks of the metadata database, as Protocols.

Each protocol is one role, named for what its callers need: runs, the event log's writer
and reader, the materialization index, partition status, dynamic partitions,
transactions (the base of coordination: leases, pools, heartbeats, cancellation) and
automation state. A caller takes the narrowest one it needs; ``SqlStorage`` (and, for
automation state, ``AutomationStore``) implements them, which ``_implements`` below makes
mypy check. This module imports no execution or user code, and nothing heavy at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from assetgraph.storage.records import (
    EventRecord,
    EventType,
    MaterializationRecord,
    RunRecord,
    RunStatus,
    VersionRow,
    VersionSummary,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from assetgraph.storage.automation_store import AutomationStore, TickRow, TickSummaryRow
    from assetgraph.storage.sql_storage import SqlStorage
    from assetgraph.storage.sqlite_reader import SqliteReader

T = TypeVar("T")


class Transactions(Protocol):
    """Runs work on a connection of the database: the base of every SQL-level store
    (coordination, partition status rows, automation state)."""

    def read(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` outside a write transaction."""
        ...

    def write(self, work: Callable[[Connection], T], retry_locks: bool = True) -> T:
        """``work(connection)`` in one write transaction."""
        ...


class RunStore(Protocol):
    """Creating, reading, listing and updating runs."""

    def create_run(self, run: RunRecord) -> None: ...

    def get_run(self, run_id: str) -> RunRecord | None: ...

    def list_runs(
        self,
        limit: int | None = 20,
        statuses: Sequence[RunStatus] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> list[RunRecord]: ...

    def update_run(self, run_id: str, **fields: Any) -> None: ...


class EventLogWriter(Protocol):
    """Appending to the event log (and so updating the materialization index)."""

    def store_events(self, events: Sequence[EventRecord]) -> list[int]:
        """Append ``events`` in their own transaction; the ids assigned, in order."""
        ...

    def write_events(self, conn: Connection, events: Sequence[EventRecord]) -> list[int]:
        """Append ``events`` inside the caller's transaction (see ``Transactions.write``)."""
        ...


class EventLogReader(Protocol):
    """Reading the event log."""

    def events_for_run(
        self,
        run_id: str,
        event_types: Iterable[EventType] | None = None,
        after_id: int | None = None,
    ) -> list[EventRecord]: ...

    def count_events(self, event_type: EventType | None = None) -> int: ...

    def event_payloads(self, event_ids: Iterable[int]) -> dict[int, dict[str, Any]]: ...


class MaterializationIndex(Protocol):
    """The latest materialization of each (asset, partition) and its versions."""

    def latest_materializations(
        self, asset_keys: Iterable[str] | None = None
    ) -> dict[tuple[str, str | None], MaterializationRecord]: ...

    def version_summaries(self, asset_keys: Iterable[str]) -> dict[str, VersionSummary]: ...

    def version_rows(
        self, asset_keys: Iterable[str], changed_after: int | None = None
    ) -> dict[str, list[VersionRow]]: ...

    def event_payloads(self, event_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The payloads of indexed events (the input versions a materialization read)."""
        ...


class PartitionStatusReader(Protocol):
    """Which partitions of an asset are materialized, and which failed last."""

    def materialized_partitions(self, asset_keys: Iterable[str]) -> dict[str, list[str | None]]: ...

    def partition_counts(self, asset_keys: Iterable[str]) -> dict[str, tuple[int, int]]: ...


class DynamicPartitionReader(Protocol):
    """The keys of dynamic partitions definitions, read by index."""

    def get_dynamic_partitions(self, name: str) -> list[str]: ...

    def has_dynamic_partition(self, name: str, key: str) -> bool: ...

    def dynamic_partitions_count(self, name: str) -> int: ...

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int) -> list[str]: ...

    def dynamic_partition_indices(self, name: str, keys: Iterable[str]) -> dict[str, int]: ...

    def dynamic_partition_keys_at(self, name: str, indices: Iterable[int]) -> dict[int, str]: ...

    def dynamic_partitions_generation(self, name: str) -> int: ...


class DynamicPartitionStore(DynamicPartitionReader, Protocol):
    """The keys of dynamic partitions definitions: added, deleted, read by index."""

    def add_dynamic_partitions(self, name: str, keys: Iterable[str]) -> int: ...

    def delete_dynamic_partitions(self, name: str, keys: Iterable[str]) -> int: ...

    def dynamic_partitions_names(self) -> list[str]: ...


class StepRecording(Transactions, EventLogWriter, Protocol):
    """What recording a step boundary needs: events written in the transaction that takes
    or frees its leases and pool slots."""


class CoordinationStore(Transactions, RunStore, EventLogWriter, Protocol):
    """What coordinating runs needs: leases, pools, heartbeats, cancellation, and marking
    dead runs failed."""


class StatusSource(MaterializationIndex, DynamicPartitionReader, Protocol):
    """What computing stale status reads: versions, and the keys of dynamic partitions
    (``SqlStorage``, or ``SqliteReader`` where SQLAlchemy is not worth importing)."""


class RunStorage(
    CoordinationStore,
    EventLogReader,
    MaterializationIndex,
    PartitionStatusReader,
    DynamicPartitionStore,
    Protocol,
):
    """Everything a run asks of storage: all the roles above but automation state."""


class AutomationBackend(
    Transactions, RunStore, EventLogReader, EventLogWriter, DynamicPartitionStore, Protocol
):
    """What automation's own store is built on: SQL on the database, runs, payloads, and
    the keys of dynamic partitions a tick reasons about."""


class AutomationState(Protocol):
    """Automation's own state: cursors, the daemon lease, ticks."""

    def get_cursor(self, name: str) -> str | None: ...

    def set_cursor(self, name: str, value: str, now: float) -> None: ...

    def set_cursors(self, values: dict[str, str], now: float) -> None: ...

    def acquire_lease(
        self, name: str, holder: str, now: float, ttl: float, take_from: str | None = None
    ) -> str: ...

    def release_lease(self, name: str, holder: str) -> None: ...

    def lease_holder(self, name: str) -> tuple[str, float] | None: ...

    def start_tick(self, evaluated_at: float, started_at: float) -> int: ...

    def finish_tick(
        self, tick_id: int, status: str, payload: dict[str, Any], ended_at: float | None
    ) -> None: ...

    def list_ticks(self, limit: int | None = 20) -> list[TickRow]: ...

    def get_ticks(self, tick_ids: Iterable[int]) -> dict[int, TickRow]: ...

    def list_tick_summaries(
        self, limit: int, before_id: int | None = None, containing: str | None = None
    ) -> list[TickSummaryRow]: ...


def _implements(
    storage: SqlStorage, automation: AutomationStore, reader: SqliteReader
) -> list[object]:
    """Never called: mypy checks here that the implementations fit every protocol."""
    roles: list[object] = []
    run_storage: RunStorage = storage
    roles.append(run_storage)
    recording: StepRecording = storage
    roles.append(recording)
    status: StatusSource = storage
    roles.append(status)
    read_only: StatusSource = reader
    roles.append(read_only)
    state: AutomationState = automation
    roles.append(state)
    backend: AutomationBackend = storage
    roles.append(backend)
    return roles
