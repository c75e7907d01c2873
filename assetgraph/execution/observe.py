"""``observe``: run the observation functions of source assets and record what they saw.

Each observation is an ``asset_observation`` event carrying the data version; the storage
indexes it like a materialization (with early cut-off), so staleness sees a source
whose data changed, and a downstream step records the version it read.

The algorithm: select the observable source assets; open a small run (tag
``assetgraph/kind=observe``) so the event log stays per run; for each source, in
topological order, call its function once (a step ``start`` / ``success`` or ``failure``
pair frames it, as for a materialization), check what it returned, and store one
observation per (source, partition), in one write per source. A source that fails does
not stop the others; the run fails if any did.
"""

from __future__ import annotations

import time
import traceback
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.context import AssetExecutionContext, StepLog
from assetgraph.definitions.source_assets import ObservedVersion, SourceAsset, normalize_observation
from assetgraph.errors import AssetgraphError, RunFailure, UsageError
from assetgraph.keys import AssetKey
from assetgraph.storage.events import (
    EventPayload,
    Logged,
    Observed,
    StepFailed,
    StepStarted,
    StepSucceeded,
    step_event,
)
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus

if TYPE_CHECKING:
    from types import SimpleNamespace

    from assetgraph.definitions.definitions import Definitions
    from assetgraph.storage.instance import Instance

KIND_TAG = "assetgraph/kind"
"""Run tag saying what kind of run it is; ``observe`` for observation runs."""
OBSERVE_KIND = "observe"


@dataclass(frozen=True, slots=True)
class Observation:
    """One recorded observation: the version seen, and whether it differs from the last."""

    asset_key: AssetKey
    partition_key: str | None
    data_version: str
    previous_version: str | None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.data_version != self.previous_version


@dataclass(frozen=True, slots=True)
class ObservationRun:
    """What ``observe`` did: its run id, the observations stored, and the sources that failed.

    ``failures`` maps a source key to one line saying why (the user's exception, or the
    wrong value its function returned).
    """

    run_id: str
    observations: tuple[Observation, ...]
    failures: Mapping[AssetKey, str]

    @property
    def success(self) -> bool:
        return not self.failures

    def for_key(self, key: AssetKey | str) -> list[Observation]:
        """The observations of one source (one per partition observed)."""
        wanted = AssetKey.from_user(key)
        return [o for o in self.observations if o.asset_key == wanted]


def observe(
    defs: Definitions,
    selection: str | Sequence[str] | None = None,
    instance: Instance | None = None,
    *,
    exclude: str | Sequence[str] | None = None,
    current_time: datetime | None = None,
    raise_on_error: bool = False,
) -> ObservationRun:
    """Observe the selected source assets (every observable one by default) in one run.

    Assets of the selection that are not observable source assets are left out; a
    selection with none is a ``UsageError``. Without ``instance``, an ephemeral one is
    used (as with ``materialize``). With ``raise_on_error=True`` a failed observation
    raises ``RunFailure``.
    """
    from assetgraph.selection import select_assets
    from assetgraph.storage.instance import Instance

    keys = select_assets(defs.graph, selection, exclude)
    sources = [key for key in keys if defs.graph.is_observable_source(key)]
    if not sources:
        raise UsageError(_nothing_to_observe(defs, selection))
    instance = instance or Instance.ephemeral()
    now = current_time or datetime.now(UTC)
    run = _ObserveRun(defs, instance, now)
    result = run.execute(sources, _selection_text(selection))
    if raise_on_error and not result.success:
        raise RunFailure(
            f"Run {result.run_id} failed: "
            + "; ".join(f"{key}: {why}" for key, why in result.failures.items())
        )
    return result


class _ObserveRun:
    """One observation run: records the run, then each source's events as it goes."""

    def __init__(self, defs: Definitions, instance: Instance, now: datetime) -> None:
        self.defs = defs
        self.storage = instance.storage
        self.now = now
        self.run_id = uuid.uuid4().hex

    def execute(self, sources: Sequence[AssetKey], selection_text: str) -> ObservationRun:
        from assetgraph.execution.resources import resources_for_run

        started = time.time()
        self.storage.create_run(
            RunRecord(
                run_id=self.run_id,
                status=RunStatus.STARTED,
                created_at=started,
                started_at=started,
                selection=selection_text,
                asset_keys=tuple(key.to_string() for key in sources),
                tags={KIND_TAG: OBSERVE_KIND},
            )
        )
        self._store(
            [_run_event(self.run_id, EventType.RUN_START, f"observing {len(sources)} source(s)")]
        )
        previous = self.storage.latest_materializations([key.to_string() for key in sources])
        observations: list[Observation] = []
        failures: dict[AssetKey, str] = {}
        error: str | None = None
        try:
            with resources_for_run(self.defs.resources, self.run_id) as resources:
                for key in sources:
                    source = self.defs.graph.assets_def(key)
                    assert isinstance(source, SourceAsset)
                    found, failure = self._observe_one(source, key, resources, previous)
                    observations.extend(found)
                    if failure is not None:
                        failures[key] = failure
        except BaseException as exc:
            self._finish(RunStatus.FAILURE, f"run aborted: {type(exc).__name__}: {exc}")
            raise
        if failures:
            error = f"{len(failures)} observation(s) failed: " + ", ".join(
                key.to_string() for key in failures
            )
        self._finish(RunStatus.FAILURE if error else RunStatus.SUCCESS, error)
        return ObservationRun(self.run_id, tuple(observations), failures)

    def _observe_one(
        self,
        source: SourceAsset,
        key: AssetKey,
        resources: SimpleNamespace,
        previous: Mapping[tuple[str, str | None], Any],
    ) -> tuple[list[Observation], str | None]:
        name = key.to_string()
        started = time.time()
        self._store([_step_event(self.run_id, StepStarted(), name, started)])
        logs: list[EventRecord] = []

        def sink(level: str, text: str) -> None:
            logs.append(_step_event(self.run_id, Logged(level), name, time.time(), text))

        context = AssetExecutionContext(
            run_id=self.run_id,
            step_key=name,
            asset_keys=(key,),
            resources=resources,
            log=StepLog(name, sink),
            partitions_def=source.partitions_def,
        )
        try:
            versions = self._call(source, context)
        except _ObserveError as exc:
            ended = time.time()
            failure = _step_event(
                self.run_id,
                StepFailed(error=exc.payload, duration=ended - started),
                name,
                ended,
                exc.summary,
            )
            self._store([*logs, failure])
            return [], exc.summary
        ended = time.time()
        observations: list[Observation] = []
        events = list(logs)
        for found in versions:
            record = previous.get((name, found.partition_key))
            observations.append(
                Observation(
                    key,
                    found.partition_key,
                    found.data_version,
                    None if record is None else record.data_version,
                    found.metadata,
                )
            )
            events.append(
                step_event(
                    self.run_id,
                    Observed(found.data_version, dict(found.metadata), ended - started),
                    ended,
                    step_key=name,
                    asset_key=name,
                    partition_key=found.partition_key,
                )
            )
        events.append(
            _step_event(
                self.run_id,
                StepSucceeded(ended - started),
                name,
                ended,
                f"{len(versions)} observation(s)",
            )
        )
        self._store(events)
        return observations, None

    def _call(self, source: SourceAsset, context: AssetExecutionContext) -> list[ObservedVersion]:
        kwargs = {} if source.context_param is None else {source.context_param: context}
        assert source.observe_fn is not None
        try:
            returned = source.observe_fn(**kwargs)
        except Exception as exc:
            raise _ObserveError.from_user_code(source, exc) from exc
        try:
            versions = normalize_observation(source, returned)
            self._check_partitions(source, versions)
        except AssetgraphError as exc:
            raise _ObserveError("output", type(exc).__name__, str(exc), None, "") from exc
        return versions

    def _check_partitions(self, source: SourceAsset, versions: Sequence[ObservedVersion]) -> None:
        pdef = source.partitions_def
        if pdef is None:
            return
        unknown = [
            v.partition_key
            for v in versions
            if v.partition_key is not None
            and not pdef.has_partition_key(v.partition_key, self.now, self.storage)
        ]
        if unknown:
            shown = ", ".join(repr(k) for k in unknown[:3])
            more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
            raise UsageError(
                f"The observe function of source asset '{source.name}' returned versions for "
                f"partition(s) {shown}{more}, which its partitions definition does not have."
            )

    def _store(self, events: list[EventRecord]) -> None:
        self.storage.store_events(events)

    def _finish(self, status: RunStatus, error: str | None) -> None:
        ended = time.time()
        kind = EventType.RUN_SUCCESS if status is RunStatus.SUCCESS else EventType.RUN_FAILURE
        self._store([_run_event(self.run_id, kind, error)])
        self.storage.update_run(self.run_id, status=status, ended_at=ended, error=error)


class _ObserveError(Exception):
    """An observation that failed, with the error payload ``runs show`` renders."""

    def __init__(
        self, kind: str, type_name: str, message: str, location: str | None, text: str
    ) -> None:
        super().__init__(message)
        where = f" (at {location})" if location else ""
        self.summary = f"{type_name}: {message}{where}"
        self.payload = {
            "kind": kind,
            "type": type_name,
            "message": message,
            "location": location,
            "traceback": text,
        }

    @classmethod
    def from_user_code(cls, source: SourceAsset, exc: BaseException) -> _ObserveError:
        frames = traceback.extract_tb(exc.__traceback__)
        # The first frame is ours (the call); the user's are the rest.
        user = frames[1:] or frames
        location = f"{user[-1].filename}:{user[-1].lineno}" if user else None
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        message = f"the observe function of source asset '{source.name}' raised: {exc}"
        return cls("user_code", type(exc).__name__, message, location, text)


def _run_event(run_id: str, event_type: EventType, message: str | None) -> EventRecord:
    return EventRecord(run_id, event_type, time.time(), message=message)


def _step_event(
    run_id: str,
    body: EventPayload,
    step_key: str,
    timestamp: float,
    message: str | None = None,
) -> EventRecord:
    return step_event(run_id, body, timestamp, step_key=step_key, message=message)


def _nothing_to_observe(defs: Definitions, selection: str | Sequence[str] | None) -> str:
    observable = [
        k.to_string() for k in defs.graph.source_keys if defs.graph.is_observable_source(k)
    ]
    if not observable:
        return (
            "The code location has no observable source assets: declare one with "
            "@observable_source_asset (a function returning its DataVersion)."
        )
    shown = ", ".join(observable[:5]) + (
        f" and {len(observable) - 5} more" if len(observable) > 5 else ""
    )
    return (
        f"Selection '{_selection_text(selection)}' names no observable source asset; "
        f"the code location has: {shown}."
    )


def _selection_text(selection: str | Sequence[str] | None) -> str:
    if selection is None:
        return "*"
    return selection if isinstance(selection, str) else " ".join(selection)
