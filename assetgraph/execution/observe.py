"""``observe``: run the observation functions of source assets and record what they saw.

Each observation is an ``asset_observation`` event carrying the data version; the storage
indexes it like a materialization (with early cut-off), so staleness sees a source
whose data changed, and a downstream step records the version it read.

The algorithm: select the observable source assets and plan one observe step for each
(``assetgraph.planning.observation``); run that plan as a run of its own (tag
``assetgraph/kind=observe``) through the same phases, coordinator and launcher as a
materialization (``assetgraph.execution.run_phases``), so it is recorded, heartbeated,
canceled and interrupted the same way. Each step calls its source's function once and
records one observation per (source, partition) (``assetgraph.execution.observe_step``).
A source that fails does not stop the others; the run fails if any did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.errors import RunFailure, UsageError
from assetgraph.execution.materialize import ExecutionOptions
from assetgraph.execution.run_phases import abort_run, finish_run, prepare_run, run_steps
from assetgraph.keys import AssetKey
from assetgraph.planning.observation import build_observation_plan
from assetgraph.selection import select_assets
from assetgraph.storage.events import Observed
from assetgraph.storage.instance import Instance
from assetgraph.storage.records import EventType, StepStatus

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.execution.result import ExecuteInProcessResult

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
    keys = select_assets(defs.graph, selection, exclude)
    sources = [key for key in keys if defs.graph.is_observable_source(key)]
    if not sources:
        raise UsageError(_nothing_to_observe(defs, selection))
    instance = instance or Instance.ephemeral()
    names = [key.to_string() for key in sources]
    previous = {
        where: record.data_version
        for where, record in instance.storage.latest_materializations(names).items()
    }
    run = run_observation(
        defs,
        sources,
        instance,
        selection_text=_selection_text(selection),
        current_time=current_time,
    )
    result = _observation_run(run, previous)
    if raise_on_error and not result.success:
        raise RunFailure(
            f"Run {result.run_id} failed: "
            + "; ".join(f"{key}: {why}" for key, why in result.failures.items())
        )
    return result


def run_observation(
    defs: Definitions,
    sources: Sequence[AssetKey],
    instance: Instance,
    *,
    tags: Mapping[str, str] | None = None,
    selection_text: str = "*",
    current_time: datetime | None = None,
) -> ExecuteInProcessResult:
    """Run the observe steps of ``sources`` (observable source assets) as one recorded run."""
    plan = build_observation_plan(
        defs.graph, sources, current_time=current_time or datetime.now(UTC)
    )
    state = prepare_run(
        defs,
        plan,
        instance=instance,
        execution=ExecutionOptions(),
        run_config=None,
        tags={**(tags or {}), KIND_TAG: OBSERVE_KIND},
        selection_text=selection_text,
        on_event=None,
    )
    try:
        run_steps(state)
    except BaseException as exc:
        abort_run(state, exc)
        raise
    return finish_run(state)


def observe_in_process(
    defs: Definitions,
    sources: Sequence[AssetKey],
    *,
    instance: Instance | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
) -> ExecuteInProcessResult:
    """A job of observable source assets, run as Dagster runs it: one observation run of
    ``sources`` (their functions record data versions), its result as ``materialize``'s."""
    result = run_observation(defs, sources, instance or Instance.ephemeral(), tags=tags)
    if raise_on_error and not result.success:
        failures = "; ".join(
            f"{o.step_key}: {o.error.summary()}" for o in result.failures if o.error is not None
        )
        raise RunFailure(f"Run {result.run_id} failed: {failures}")
    return result


def _observation_run(
    result: ExecuteInProcessResult, previous: Mapping[tuple[str, str | None], str | None]
) -> ObservationRun:
    """What the observe steps of a finished run saw, in plan order, and why any failed."""
    observations: list[Observation] = []
    failures: dict[AssetKey, str] = {}
    for step in result.plan.steps:
        (key,) = step.asset_keys
        outcome = result.step_outcomes[step.key]
        if outcome.status is not StepStatus.SUCCESS:
            # No error: the step never ran (an observe step has no upstream: canceled).
            failures[key] = outcome.error.summary() if outcome.error is not None else "canceled"
            continue
        for event in outcome.events:
            if event.event_type is EventType.ASSET_OBSERVATION:
                observed = Observed.from_payload(event.payload)
                assert observed.data_version is not None
                observations.append(
                    Observation(
                        key,
                        event.partition_key,
                        observed.data_version,
                        previous.get((key.to_string(), event.partition_key)),
                        observed.metadata,
                    )
                )
    return ObservationRun(result.run_id, tuple(observations), failures)


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
