"""What runs coordinate through the metadata database: step claims, heartbeats, cancellation.

A step *claims* its (asset, partition) leases and, if it belongs to a concurrency pool, a
slot of that pool, in the same transaction that records its start; it gives them back in
the transaction that records its end. So two runs never materialize one (asset,
partition) at once, a pool never runs more steps than its limit, and a claim never
outlives the record of its step. Claims of runs that died are freed by
``reconcile_runs``.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import time
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from assetgraph.storage import schema
from assetgraph.storage.interface import (
    CoordinationStore,
    RunStore,
    StepRecording,
    Transactions,
)
from assetgraph.storage.records import EventRecord, EventType, RunStatus

STALE_HEARTBEAT_SECONDS = 120.0
"""A started run whose heartbeat is older than this is taken for dead."""

HOSTNAME = socket.gethostname()


@dataclass(frozen=True, slots=True)
class StepClaim:
    """The leases (and pool slot) a step needs before it may start."""

    run_id: str
    step_key: str
    leases: tuple[tuple[str, str], ...]  # (asset key, partition key or NO_PARTITION)
    pool: str | None = None
    pool_limit: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimRefused:
    """Why a claim was refused: a pool at its limit, or a lease another run holds."""

    reason: str
    holder_run_id: str | None = None
    pool: str | None = None
    lease: str | None = None
    """``asset`` or ``asset[partition]``: one lease the holder has that the claim needs."""


@dataclass(slots=True)
class StepRecorder:
    """Writes step boundaries: events, plus claims taken and given back, in one transaction."""

    storage: StepRecording
    released: list[tuple[str, str]] = field(default_factory=list)

    def record(
        self,
        events: list[EventRecord],
        *,
        release: Iterable[tuple[str, str]] = (),
        claim: StepClaim | None = None,
    ) -> ClaimRefused | None:
        """Store ``events``, free the claims of the (run, step) pairs in ``release``, and take
        ``claim``. If the claim is refused, nothing is written and the refusal returned.

        A granted claim's ``STEP_START`` in ``events`` is stamped, in place, with the moment
        the claim was granted (inside the transaction, after any wait for the database's
        write lock), so a step's recorded start never comes before its leases were its own.
        """
        release = list(release)
        refused: list[ClaimRefused] = []

        def work(conn: Connection) -> None:
            if claim is not None:
                problem = _take(conn, claim)
                if problem is not None:
                    refused.append(problem)
                    raise _Refused
                _stamp_start(events, claim.step_key, time.time())
            if release:
                _free(conn, release)
            if events:
                self.storage.write_events(conn, events)

        try:
            self.storage.write(work)
        except _Refused:
            return refused[0]
        except IntegrityError:  # another run inserted the same lease a moment before us
            return ClaimRefused("a lease was taken by another run at the same moment")
        return None

    def record_claims(
        self,
        events: list[EventRecord],
        claims: Sequence[StepClaim],
        *,
        release: Iterable[tuple[str, str]] = (),
    ) -> dict[str, ClaimRefused]:
        """Like ``record``, for several claims in one transaction: each is taken or refused
        on its own. Returns the refusals by step key; a refused claim's ``STEP_START`` in
        ``events`` is dropped (not written), every other event is written. The granted
        starts are stamped, in place, with the moment their claims were granted."""
        if len(claims) <= 1:
            one = self.record(events, release=release, claim=claims[0] if claims else None)
            if one is None:
                return {}
            starts = {claims[0].step_key}
            events[:] = [e for e in events if not _is_start_of(e, starts)]
            self.record(events, release=release)  # the refusal wrote nothing: the rest now
            return {claims[0].step_key: one}
        release = list(release)
        refusals: dict[str, ClaimRefused] = {}
        written: list[EventRecord] = []

        def work(conn: Connection) -> None:
            refusals.clear()  # the work may be retried (a locked SQLite file)
            refusals.update(_take_many(conn, claims))
            granted_at = time.time()
            written[:] = [
                dataclasses.replace(e, timestamp=granted_at)
                if e.event_type is EventType.STEP_START and e.step_key in granted
                else e
                for e in events
                if not _is_start_of(e, refusals)
            ]
            if release:
                _free(conn, release)
            if written:
                self.storage.write_events(conn, written)

        granted = {claim.step_key for claim in claims}
        try:
            self.storage.write(work)
        except IntegrityError:
            # Another run inserted one of the leases a moment before us: nothing was
            # written. Take the claims one by one, so only that one is refused.
            return self._claims_one_by_one(events, claims, release)
        events[:] = written
        return refusals

    def _claims_one_by_one(
        self,
        events: list[EventRecord],
        claims: Sequence[StepClaim],
        release: list[tuple[str, str]],
    ) -> dict[str, ClaimRefused]:
        starts = {claim.step_key for claim in claims}
        rest = [e for e in events if not _is_start_of(e, starts)]
        refusals: dict[str, ClaimRefused] = {}
        kept: list[EventRecord] = []
        for claim in claims:
            batch = [*rest, *(e for e in events if _is_start_of(e, {claim.step_key}))]
            problem = self.record(batch, release=release, claim=claim)
            if problem is None:
                kept.extend(batch)  # the start stamped in place by ``record``
                rest, release = [], []
            else:
                refusals[claim.step_key] = problem
        if rest or release:
            self.record(rest, release=release)
            kept.extend(rest)
        events[:] = kept
        return refusals


def _is_start_of(event: EventRecord, step_keys: Container[str]) -> bool:
    return event.event_type is EventType.STEP_START and event.step_key in step_keys


class _Refused(Exception):
    """Rolls the transaction back when a claim cannot be taken."""


def _stamp_start(events: list[EventRecord], step_key: str, granted_at: float) -> None:
    for index, event in enumerate(events):
        if event.event_type is EventType.STEP_START and event.step_key == step_key:
            events[index] = dataclasses.replace(event, timestamp=granted_at)


def _take(conn: Connection, claim: StepClaim) -> ClaimRefused | None:
    now = time.time()
    if claim.pool is not None and claim.pool_limit is not None:
        slots = schema.concurrency_slots
        if conn.dialect.name == "postgresql":
            # Serialize claims on one pool; SQLite's BEGIN IMMEDIATE already does.
            conn.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:pool))"), {"pool": claim.pool}
            )
        used = conn.execute(
            select(func.count()).select_from(slots).where(slots.c.pool == claim.pool)
        ).scalar_one()
        if used >= claim.pool_limit:
            return ClaimRefused(
                f"pool '{claim.pool}' is at its limit of {claim.pool_limit}", pool=claim.pool
            )
    if claim.leases:
        held = _holders(conn, claim.leases)
        others = {run for run in held.values() if run != claim.run_id}
        if others:
            holder = sorted(others)[0]
            (asset, partition), _ = next((k, r) for k, r in held.items() if r == holder)
            where = asset if not partition else f"{asset}[{partition}]"
            return ClaimRefused(
                f"{where} is being materialized by run {holder}", holder, lease=where
            )
        new = [
            (asset, partition, claim.run_id, claim.step_key, now)
            for asset, partition in claim.leases
            if (asset, partition) not in held
        ]
        if new:
            conn.exec_driver_sql(_sql(conn, _INSERT_LEASE), new)
    if claim.pool is not None and claim.pool_limit is not None:
        conn.execute(
            insert(schema.concurrency_slots),
            [
                {
                    "pool": claim.pool,
                    "run_id": claim.run_id,
                    "step_key": claim.step_key,
                    "acquired_at": now,
                }
            ],
        )
    return None


def _take_many(conn: Connection, claims: Sequence[StepClaim]) -> dict[str, ClaimRefused]:
    """Take ``claims`` in order, as ``_take`` one by one would, with one query for the
    holders of all their leases and one insert of all new ones. Returns the refusals."""
    refusals: dict[str, ClaimRefused] = {}
    assets = sorted({asset for claim in claims for asset, _ in claim.leases})
    held = _holders_of_assets(conn, assets)
    new: list[tuple[str, str, str, str, float]] = []
    now = time.time()
    for claim in claims:
        if claim.pool is not None and claim.pool_limit is not None:
            if new:  # the pool's count must see the leases granted before it
                _driver(conn, _INSERT_LEASE, new, many=True)
                new = []
            problem = _take(conn, claim)
            if problem is not None:
                refusals[claim.step_key] = problem
            else:
                held.update({lease: claim.run_id for lease in claim.leases})
            continue
        others = {
            held[lease] for lease in claim.leases if held.get(lease, claim.run_id) != claim.run_id
        }
        if others:
            holder = sorted(others)[0]
            asset, partition = next(lease for lease in claim.leases if held.get(lease) == holder)
            where = asset if not partition else f"{asset}[{partition}]"
            refusals[claim.step_key] = ClaimRefused(
                f"{where} is being materialized by run {holder}", holder
            )
            continue
        for lease in claim.leases:
            if lease not in held:
                held[lease] = claim.run_id
                new.append((lease[0], lease[1], claim.run_id, claim.step_key, now))
    if new:
        _driver(conn, _INSERT_LEASE, new, many=True)
    return refusals


def _holders_of_assets(conn: Connection, assets: Sequence[str]) -> dict[tuple[str, str], str]:
    """Every lease held on these assets (by any run): (asset, partition) -> run id."""
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(assets), 400):
        chunk = assets[start : start + 400]
        marks = ", ".join("?" for _ in chunk)
        rows = _driver(conn, f"{_HOLDERS_OF_ASSETS} ({marks})", tuple(chunk))
        for asset, partition, run_id in rows:
            found[(asset, partition)] = run_id
    return found


# The statements every step runs, written out for the driver: building them with SQLAlchemy
# expressions cost more than running them. "?" becomes "%s" on PostgreSQL.
_INSERT_LEASE = (
    "INSERT INTO asset_leases (asset_key, partition_key, run_id, step_key, acquired_at) "
    "VALUES (?, ?, ?, ?, ?)"
)
_HOLDER = "SELECT run_id FROM asset_leases WHERE asset_key = ? AND partition_key = ?"
_HOLDERS_OF_ASSETS = "SELECT asset_key, partition_key, run_id FROM asset_leases WHERE asset_key IN"
_FREE = (
    "DELETE FROM asset_leases WHERE run_id = ? AND step_key IN",
    "DELETE FROM concurrency_slots WHERE run_id = ? AND step_key IN",
)


def _sql(conn: Connection, statement: str) -> str:
    return statement.replace("?", "%s") if conn.dialect.name == "postgresql" else statement


def _driver(
    conn: Connection, statement: str, params: Sequence[Any], *, many: bool = False
) -> list[Any]:
    """Run ``statement`` on the driver's cursor (SQLAlchemy's statement and result layers
    cost more than these short statements); the rows it returned. The driver's errors are
    raised as SQLAlchemy's (``IntegrityError``, ``OperationalError``), as from ``execute``."""
    sql = _sql(conn, statement)
    cursor = conn.connection.cursor()
    dbapi = conn.dialect.loaded_dbapi
    try:
        if many:
            cursor.executemany(sql, params)
            return []
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description is not None else []
    except dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, dbapi.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()


def _holders(conn: Connection, leases: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    if len(leases) == 1:
        row = conn.exec_driver_sql(_sql(conn, _HOLDER), leases[0]).first()
        return {} if row is None else {leases[0]: row[0]}
    table = schema.asset_leases
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(leases), 400):
        chunk = leases[start : start + 400]
        condition = or_(
            *(and_(table.c.asset_key == a, table.c.partition_key == p) for a, p in chunk)
        )
        for asset, partition, run_id in conn.execute(
            select(table.c.asset_key, table.c.partition_key, table.c.run_id).where(condition)
        ):
            found[(asset, partition)] = run_id
    return found


def _free(conn: Connection, pairs: Sequence[tuple[str, str]]) -> None:
    """Give back the leases and slots of these (run, step) pairs: one statement per table
    for each run's steps (up to 400 at once)."""
    by_run: dict[str, list[str]] = {}
    for run_id, step_key in pairs:
        by_run.setdefault(run_id, []).append(step_key)
    for run_id, step_keys in by_run.items():
        for start in range(0, len(step_keys), 400):
            chunk = step_keys[start : start + 400]
            marks = ", ".join("?" for _ in chunk)
            for statement in _FREE:
                _driver(conn, f"{statement} ({marks})", (run_id, *chunk))


def free_run(storage: Transactions, run_id: str) -> None:
    """Give back every lease and slot a run holds (it ended, or died)."""

    def work(conn: Connection) -> None:
        for table in (schema.asset_leases, schema.concurrency_slots):
            conn.execute(delete(table).where(table.c.run_id == run_id))

    storage.write(work)


def claims_of(storage: Transactions, run_id: str) -> tuple[int, int]:
    """(leases, slots) a run holds now."""

    def work(conn: Connection) -> tuple[int, int]:
        counts = []
        for table in (schema.asset_leases, schema.concurrency_slots):
            query = select(func.count()).select_from(table).where(table.c.run_id == run_id)
            counts.append(int(conn.execute(query).scalar_one()))
        return counts[0], counts[1]

    result: tuple[int, int] = storage.read(work)
    return result


# -- run lifecycle ------------------------------------------------------------------------


def mark_run_process(storage: RunStore, run_id: str) -> None:
    """Record this process (pid, host) as the one running ``run_id``, with a heartbeat."""
    storage.update_run(run_id, pid=os.getpid(), hostname=HOSTNAME, heartbeat_at=time.time())


def heartbeat(storage: Transactions, run_id: str) -> bool:
    """Refresh the heartbeat of ``run_id``; returns True when a cancel was requested."""
    runs = schema.runs

    def work(conn: Connection) -> bool:
        conn.execute(update(runs).where(runs.c.run_id == run_id).values(heartbeat_at=time.time()))
        flag = conn.execute(select(runs.c.cancel_requested).where(runs.c.run_id == run_id))
        return bool(flag.scalar())

    requested: bool = storage.write(work)
    return requested


def request_cancel(storage: Transactions, run_id: str) -> None:
    runs = schema.runs
    storage.write(
        lambda conn: conn.execute(
            update(runs).where(runs.c.run_id == run_id).values(cancel_requested=1)
        )
    )


def reconcile_runs(storage: CoordinationStore, now: float | None = None) -> list[str]:
    """Mark runs whose process died as failed (with the reason) and free their claims.

    A run is dead when its process ran on this host and no longer exists, or when its
    heartbeat is older than ``STALE_HEARTBEAT_SECONDS``. Returns the run ids marked.
    """
    now = now or time.time()
    runs = schema.runs
    query = select(runs.c.run_id, runs.c.pid, runs.c.hostname, runs.c.heartbeat_at).where(
        runs.c.status.in_([RunStatus.STARTED.value, RunStatus.QUEUED.value])
    )
    rows = storage.read(lambda conn: conn.execute(query).all())
    dead: list[str] = []
    for run_id, pid, hostname, beat in rows:
        reason = _death(pid, hostname, beat, now)
        if reason is None:
            continue
        storage.update_run(run_id, status=RunStatus.FAILURE, ended_at=now, error=reason)
        storage.store_events([EventRecord(run_id, EventType.RUN_FAILURE, now, message=reason)])
        free_run(storage, run_id)
        dead.append(run_id)
    return dead


def _death(pid: int | None, hostname: str | None, beat: float | None, now: float) -> str | None:
    if pid is not None and hostname == HOSTNAME and not _alive(pid):
        return f"the run's process (pid {pid} on {hostname}) died without finishing the run"
    if beat is not None and now - beat > STALE_HEARTBEAT_SECONDS:
        return f"no heartbeat for {int(now - beat)} s (process {pid} on {hostname}): taken for dead"
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) is dead too
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def run_is_live(storage: CoordinationStore, run_id: str) -> bool:
    """True while ``run_id`` is queued or started (and not found dead)."""
    run = storage.get_run(run_id)
    if run is None or run.status.is_finished:
        return False
    return run_id not in reconcile_runs(storage)
