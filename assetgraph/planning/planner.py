"""The planner: (selection, partitions, mode) -> an execution plan of steps in dependency order.

A step runs one asset function for one partition (or, under a single-run backfill policy,
for one contiguous range of partitions; unpartitioned assets: once). The plan is computed
before anything runs, from partition sets held as index ranges, and can be printed.

Planning has two phases: a *request* (asset key -> its target partitions as a subset,
``assetgraph.planning.request``; partition options make one with
``targets_for_selection``, automation and re-execution give theirs directly), then the
*plan* of that request (``build_plan_for_targets``; ``build_plan`` does both).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, overload

from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.source_assets import SourceAsset
from assetgraph.errors import UsageError
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import UNPARTITIONED
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.mappings import IdentityPartitionMapping
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.planning.request import (
    RANGE_SEPARATOR as RANGE_SEPARATOR,
    MaterializedPartitions as MaterializedPartitions,
    PartitionSelection as PartitionSelection,
    Targets,
    parse_partition_range as parse_partition_range,
    targets_for_selection,
)

if TYPE_CHECKING:
    from assetgraph.partitions.definitions import DynamicPartitionsStore, PartitionsDefinition
    from assetgraph.partitions.subset import PartitionsSubset

_NO_INPUTS: Mapping[AssetKey, tuple[str, ...]] = MappingProxyType({})


class StepKind(StrEnum):
    """What a step does with its asset definition."""

    MATERIALIZE = "materialize"
    """Call the asset function and store what it returns through IO managers."""
    OBSERVE = "observe"
    """Call a source asset's observation function and record the data version it saw."""
    CHECK = "check"
    """Run asset checks on their asset's stored value, without materializing it."""


@dataclass(slots=True, eq=False)
class Step:
    """One unit of work: run one asset function, for its partitions (if partitioned).

    A step of a source asset observes it (``kind`` is ``StepKind.OBSERVE``): the planner
    makes no other steps for source assets, and ``assetgraph.planning.observation`` makes
    these. A step with ``checks`` runs only those asset checks, on what is stored of its
    asset (``StepKind.CHECK``, made by ``assetgraph.planning.checks``); ``skipped_checks``
    are checks of a materialize step's assets that its run does not run.

    ``input_partitions`` holds, for each partitioned upstream asset, the partition keys
    this step reads from it. Read-only by convention rather than ``frozen``: a frozen
    dataclass's ``__init__`` costs four times more, a second per million steps.
    """

    key: str
    assets_def: AssetsDefinition
    asset_keys: tuple[AssetKey, ...]
    upstream_steps: tuple[str, ...]
    partition_keys: Sequence[str] = ()
    input_partitions: Mapping[AssetKey, tuple[str, ...]] = field(default_factory=dict)
    checks: tuple[AssetCheckKey, ...] = ()
    skipped_checks: frozenset[AssetCheckKey] = frozenset()

    @property
    def kind(self) -> StepKind:
        """Check for a step of checks alone, observe for a source asset's step,
        materialize for any other."""
        if self.checks:
            return StepKind.CHECK
        if isinstance(self.assets_def, SourceAsset):
            return StepKind.OBSERVE
        return StepKind.MATERIALIZE

    @property
    def partition_key(self) -> str | None:
        """The partition of a one-partition step; None otherwise."""
        return self.partition_keys[0] if len(self.partition_keys) == 1 else None

    @property
    def partition_key_range(self) -> PartitionKeyRange | None:
        """First and last partition of the step (None when unpartitioned)."""
        if not self.partition_keys:
            return None
        return PartitionKeyRange(self.partition_keys[0], self.partition_keys[-1])


class ChunkKeys(Sequence[str]):
    """The keys of one multi-partition step, read from the definition when first needed.

    Its length, first and last key are known without reading the others, so a plan can
    name and count a step over a million partitions at once. Pickles as a plain tuple.
    """

    __slots__ = ("_chunk", "_first", "_keys", "_last", "_read")

    def __init__(
        self, chunk: range, first: str, last: str, read: Callable[[range], Iterable[str]]
    ) -> None:
        self._chunk = chunk
        self._first = first
        self._last = last
        self._read = read
        self._keys: tuple[str, ...] | None = None

    def _all(self) -> tuple[str, ...]:
        if self._keys is None:
            self._keys = tuple(self._read(self._chunk))
        return self._keys

    def __len__(self) -> int:
        return len(self._chunk)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, int) and self._keys is None:
            if index in (0, -len(self._chunk)):
                return self._first
            if index in (-1, len(self._chunk) - 1):
                return self._last
        return self._all()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._all() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[tuple[str, ...]], tuple[tuple[str, ...]]]:
        return tuple, (self._all(),)

    def __repr__(self) -> str:
        return f"ChunkKeys({self._first!r}...{self._last!r}, {len(self)} keys)"


class ExecutionPlan:
    """The steps of a run, topologically ordered; computed before anything runs.

    A plan from ``build_plan`` keeps, for each asset definition, its target partitions as
    index ranges (``assets``) and makes its steps when they are first asked for: counting,
    summarizing and printing the head of a plan over a million partitions costs its
    ranges, not a million steps. ``steps`` makes (and keeps) them all, as a run does.

    ``check_steps`` run asset checks alone (after the others, on stored values);
    ``skipped_checks`` are the checks of materialized assets the run does not run.
    """

    __slots__ = (
        "_planner",
        "_steps",
        "assets",
        "check_steps",
        "current_time",
        "partitions",
        "selected_keys",
        "skipped_checks",
    )

    def __init__(
        self,
        steps: Sequence[Step] | None = None,
        selected_keys: Sequence[AssetKey] = (),
        current_time: datetime | None = None,
        partitions: PartitionSelection | None = None,
        *,
        assets: Sequence[PlannedAsset] = (),
        planner: _Planner | None = None,
        check_steps: Sequence[Step] = (),
        skipped_checks: frozenset[AssetCheckKey] = frozenset(),
    ) -> None:
        if steps is None and planner is None:
            raise ValueError("an ExecutionPlan needs its steps, or planned assets and a planner")
        self.check_steps = tuple(check_steps)
        self.skipped_checks = skipped_checks
        self._steps = (
            None
            if steps is None
            else tuple(self._with_skipped(step) for step in steps) + self.check_steps
        )
        self._planner = planner
        self.assets = tuple(assets)
        self.selected_keys = tuple(selected_keys)
        self.current_time = current_time
        self.partitions = partitions

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step, in order (made on first use)."""
        if self._steps is None:
            self._steps = tuple(self.iter_steps())
        return self._steps

    def iter_steps(self) -> Iterator[Step]:
        """The steps in order, made one at a time."""
        if self._steps is not None:
            yield from self._steps
            return
        assert self._planner is not None
        for planned in self.assets:
            for step in self._planner.steps_of(planned):
                yield self._with_skipped(step)
        yield from self.check_steps

    def _with_skipped(self, step: Step) -> Step:
        if self.skipped_checks and not step.checks:
            step.skipped_checks = self.skipped_checks
        return step

    def with_checks(
        self, check_steps: Sequence[Step], skipped_checks: frozenset[AssetCheckKey]
    ) -> ExecutionPlan:
        """This plan with steps of checks alone, and without ``skipped_checks``."""
        steps = None if self._steps is None else [s for s in self._steps if not s.checks]
        return ExecutionPlan(
            steps,
            self.selected_keys,
            self.current_time,
            self.partitions,
            assets=self.assets,
            planner=self._planner,
            check_steps=check_steps,
            skipped_checks=skipped_checks,
        )

    @property
    def assets_defs(self) -> list[AssetsDefinition]:
        """The asset definitions the plan has steps of, each once, without making steps
        of a lazily planned plan."""
        if self._steps is None:
            found = [planned.assets_def for planned in self.assets if planned.step_count]
            found.extend(step.assets_def for step in self.check_steps)
            return list({id(d): d for d in found}.values())
        return list({id(step.assets_def): step.assets_def for step in self._steps}.values())

    def head(self, count: int) -> list[Step]:
        """The first ``count`` steps, without making the others."""
        return list(itertools.islice(self.iter_steps(), count))

    @property
    def step_keys(self) -> list[str]:
        return [step.key for step in self.iter_steps()]

    def __len__(self) -> int:
        if self._steps is not None:
            return len(self._steps)
        return sum(planned.step_count for planned in self.assets) + len(self.check_steps)

    def __bool__(self) -> bool:
        return len(self) > 0

    def summary(self) -> list[PlanSummaryRow]:
        """One row per asset definition: how many steps and partitions, first and last key."""
        if self._steps is None:
            rows_of_assets = [planned.summary() for planned in self.assets if planned.step_count]
            return rows_of_assets + [PlanSummaryRow(step.key, 1) for step in self.check_steps]
        rows: dict[str, PlanSummaryRow] = {}
        for step in self._steps:
            name = step.key if step.checks else step.assets_def.step_name
            row = rows.get(name)
            if row is None:
                row = rows[name] = PlanSummaryRow(name)
            row.steps += 1
            row.partitions += len(step.partition_keys)
            if step.partition_keys:
                row.first = row.first or step.partition_keys[0]
                row.last = step.partition_keys[-1]
        return list(rows.values())


@dataclass(frozen=True, slots=True)
class PlannedAsset:
    """One asset definition of a plan: the partitions it builds and how they make steps.

    ``target`` is None for an unpartitioned definition (one step). Otherwise each step
    takes ``per_step`` partitions of a contiguous run of ``target`` (None: the whole run).
    """

    assets_def: AssetsDefinition
    target: PartitionsSubset | None
    per_step: int | None = 1

    @property
    def step_count(self) -> int:
        if self.target is None:
            return 1
        if self.per_step is None:
            return len(self.target.key_ranges)
        return sum(-(-len(r) // self.per_step) for r in self.target.key_ranges)

    def chunks(self) -> Iterator[range]:
        """The index ranges that become one step each, in order."""
        assert self.target is not None
        for run in self.target.key_ranges:
            yield from self._chunks_of(run, run)

    def chunks_within(self, wanted: PartitionsSubset) -> Iterator[range]:
        """The chunks that hold at least one partition of ``wanted``, in order."""
        assert self.target is not None
        overlap = self.target & wanted
        runs = self.target.key_ranges
        position = 0
        last: range | None = None
        for part in overlap.key_ranges:
            while runs[position].stop <= part.start:
                position += 1
            for chunk in self._chunks_of(runs[position], part):
                if chunk != last:
                    last = chunk
                    yield chunk

    def _chunks_of(self, run: range, part: range) -> Iterator[range]:
        """The chunks of target run ``run`` that overlap ``part`` (a sub-range of it)."""
        size = self.per_step
        if size is None:
            yield run
            return
        first = run.start + (part.start - run.start) // size * size
        for start in range(first, part.stop, size):
            yield range(start, min(start + size, run.stop))

    def summary(self) -> PlanSummaryRow:
        row = PlanSummaryRow(self.assets_def.step_name, self.step_count)
        if self.target is not None:
            row.partitions = len(self.target)
            row.first = self.target.first_key
            row.last = self.target.last_key
        return row


@dataclass(slots=True)
class PlanSummaryRow:
    """What a plan does for one asset definition (for ``--dry-run``)."""

    name: str
    steps: int = 0
    partitions: int = 0
    first: str | None = None
    last: str | None = None


def build_plan(
    graph: AssetGraph,
    selected: Iterable[AssetKey],
    partitions: PartitionSelection | None = None,
    *,
    current_time: datetime | None = None,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
    materialized: MaterializedPartitions | None = None,
    stale: Mapping[AssetKey, PartitionsSubset] | None = None,
) -> ExecutionPlan:
    """The steps that materialize ``selected`` for ``partitions``, each after its upstreams.

    Source assets in the selection have nothing to do: they get no steps (their
    downstream steps read them as they are); a selection of only source assets is an error.

    The algorithm: turn the options into a planning request, the target partitions of
    each selected asset as a subset (``targets_for_selection``: the named keys and
    ranges, or all; minus what is materialized when ``missing``), then plan that request
    as ``build_plan_for_targets`` does.
    """
    now = current_time or datetime.now(UTC)
    store = snapshot_store(dynamic_partitions_store)
    selection = partitions or PartitionSelection()
    selected_keys = graph.toposort(selected)
    ordered_defs = _defs_in_order(graph, selected_keys)
    _check_not_only_sources(graph, selected_keys, ordered_defs)
    _check_partition_options(graph, ordered_defs, selection)
    targets = targets_for_selection(
        graph,
        selected_keys,
        selection,
        current_time=now,
        dynamic_partitions_store=store,
        materialized=materialized,
        stale=stale,
    )
    return _Planner(graph, now, store, targets).plan(ordered_defs, selected_keys, selection)


def _defs_in_order(graph: AssetGraph, keys: Sequence[AssetKey]) -> list[AssetsDefinition]:
    """The definitions that materialize ``keys`` (source assets have none), in order."""
    ordered: list[AssetsDefinition] = []
    seen: set[int] = set()
    for key in keys:
        if graph.is_source(key):
            continue
        assets_def = graph.assets_def(key)
        if id(assets_def) not in seen:
            seen.add(id(assets_def))
            ordered.append(assets_def)
    return ordered


def _check_not_only_sources(
    graph: AssetGraph, keys: Sequence[AssetKey], ordered_defs: Sequence[AssetsDefinition]
) -> None:
    if ordered_defs or not keys:
        return
    names = ", ".join(f"'{key}'" for key in keys[:5])
    more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
    observable = any(graph.is_observable_source(key) for key in keys)
    external = any(graph.is_external(key) for key in keys)
    raise UsageError(
        f"The selection names only source assets ({names}{more}), which assetgraph reads but "
        "never materializes: select the assets downstream of them (e.g. 'KEY+')"
        + (", or record their current versions with 'assetgraph observe'." if observable else ".")
        + (
            " An AssetSpec given directly in Definitions(assets=[...]), or a key named only in "
            "deps=[...], is an external asset: something other than assetgraph writes it."
            if external
            else ""
        )
    )


def _check_partition_options(
    graph: AssetGraph, ordered_defs: Sequence[AssetsDefinition], selection: PartitionSelection
) -> None:
    partitioned = [d for d in ordered_defs if d.partitions_def is not None]
    if (selection.keys or selection.ranges) and not partitioned:
        named = [*selection.keys, *(f"{r.start}{RANGE_SEPARATOR}{r.end}" for r in selection.ranges)]
        raise UsageError(
            f"Partitions were named ({', '.join(named[:5])}{' ...' if len(named) > 5 else ''}), "
            "but none of the selected assets is partitioned: drop the partition options, or "
            "select partitioned assets."
        )
    if partitioned and selection.is_empty:
        names = ", ".join(f"'{d.step_name}'" for d in partitioned[:5])
        more = f" and {len(partitioned) - 5} more" if len(partitioned) > 5 else ""
        raise UsageError(
            f"The selection includes partitioned assets ({names}{more}): say which partitions "
            "with --partition KEY, --partition-range FIRST...LAST, --all-partitions or --missing."
        )


class _Planner:
    """State of one planning pass over a request (asset key -> its target partitions):
    the steps planned so far, by asset and partition index."""

    def __init__(
        self,
        graph: AssetGraph,
        now: datetime,
        store: DynamicPartitionsStore | None,
        targets: Targets,
    ) -> None:
        self.graph = graph
        self.targets = targets
        self.now = now
        self.store = store
        # Asset key -> the planned definition that builds it (None: not in this plan).
        self.planned: dict[AssetKey, PlannedAsset] = {}

    def plan(
        self,
        ordered_defs: Sequence[AssetsDefinition],
        selected_keys: Sequence[AssetKey],
        selection: PartitionSelection | None = None,
    ) -> ExecutionPlan:
        """The plan of ``ordered_defs`` (in dependency order); its steps are made lazily.
        ``selection``: the partition options that made the request, if options did."""
        assets = [self.plan_asset(assets_def) for assets_def in ordered_defs]
        return ExecutionPlan(
            None,
            selected_keys,
            self.now,
            selection,
            assets=[planned for planned in assets if planned is not None],
            planner=self,
        )

    def plan_asset(self, assets_def: AssetsDefinition) -> PlannedAsset | None:
        """What ``assets_def`` builds (None: nothing), checked against its inputs' mappings."""
        pdef = assets_def.partitions_def
        if pdef is None:
            if not any(key in self.targets for key in assets_def.keys):
                return None
            planned = PlannedAsset(assets_def, None)
            for key in self.built_keys(assets_def):
                self.planned[key] = planned
            return planned
        target = self._target_subset(assets_def, pdef)
        policy = assets_def.backfill_policy
        per_step = 1 if policy is None else policy.max_partitions_per_run
        if not target:
            return None
        planned = PlannedAsset(assets_def, target, per_step)
        # Mapping errors (upstream partitions before the upstream's start) show now, for
        # the whole target, rather than when the step is made.
        for key in self.built_keys(assets_def):
            for parent in self.graph.parents(key):
                parent_def = self.graph.partitions_def(parent)
                if parent_def is not None:
                    self._upstream_subset(key, parent, parent_def, assets_def, target)
            self.planned[key] = planned
        return planned

    def built_keys(self, assets_def: AssetsDefinition) -> tuple[AssetKey, ...]:
        """The keys a step of ``assets_def`` builds: all, or the requested ones of a
        multi-asset that can subset (``can_subset=True``)."""
        if not assets_def.can_subset:
            return assets_def.keys
        return tuple(k for k in assets_def.keys if k in self.targets) or assets_def.keys

    def steps_of(self, planned: PlannedAsset) -> Iterator[Step]:
        """The steps of one planned definition, made one at a time."""
        assets_def = planned.assets_def
        name = assets_def.step_name
        if planned.target is None:
            yield self._step(assets_def, name, None)
            return
        target = planned.target
        asset_keys = self.built_keys(assets_def)
        has_parents = any(
            self.graph.self_dependency(key) is not None
            or any(True for _ in self.graph.parents(key))
            for key in asset_keys
        )
        for chunk, keys in _chunks_with_keys(planned, self.now, self.store):
            step_key = _step_key(name, keys[0], keys[-1])
            if has_parents:
                subset = target.with_ranges([chunk])
                yield self._step(assets_def, step_key, subset, keys)
            else:  # a root: nothing to map, so skip the per-step work
                yield Step(step_key, assets_def, asset_keys, (), keys, _NO_INPUTS)

    def _step(
        self,
        assets_def: AssetsDefinition,
        step_key: str,
        subset: PartitionsSubset | None,
        keys: Sequence[str] = (),
    ) -> Step:
        upstream_steps: dict[str, None] = {}
        inputs: dict[AssetKey, tuple[str, ...]] = {}
        built = self.built_keys(assets_def)
        for key in built:
            for parent in self.graph.parents(key):
                parent_def = self.graph.partitions_def(parent)
                planned = self.planned.get(parent)
                same_def = planned is not None and planned.assets_def is assets_def
                if parent_def is None:
                    if planned is not None and not same_def:
                        upstream_steps[planned.assets_def.step_name] = None
                    continue
                up_subset = self._upstream_subset(key, parent, parent_def, assets_def, subset)
                if planned is not None and not same_def and planned.target is not None:
                    for found in self._step_keys_within(planned, up_subset):
                        upstream_steps[found] = None
                if parent not in inputs:
                    inputs[parent] = tuple(up_subset.keys())
            if subset is not None and key not in inputs:
                self._self_inputs(key, step_key, subset, upstream_steps, inputs)
        return Step(
            key=step_key,
            assets_def=assets_def,
            asset_keys=built,
            upstream_steps=tuple(upstream_steps),
            partition_keys=keys,
            input_partitions=inputs,
        )

    def _self_inputs(
        self,
        key: AssetKey,
        step_key: str,
        subset: PartitionsSubset,
        upstream_steps: dict[str, None],
        inputs: dict[AssetKey, tuple[str, ...]],
    ) -> None:
        """The earlier partitions of ``key`` a step reads (a self-dependency), and the
        steps of this plan that build them: a partition runs after those it reads."""
        mapping = self.graph.self_dependency(key)
        if mapping is None:
            return
        pdef = subset.partitions_def
        earlier = mapping.upstream_subset(pdef, subset, pdef, self.now, self.store)
        planned = self.planned.get(key)
        if planned is not None and planned.target is not None:
            for found in self._step_keys_within(planned, earlier):
                if found != step_key:
                    upstream_steps[found] = None
        inputs[key] = tuple(earlier.keys())

    def _step_keys_within(self, planned: PlannedAsset, wanted: PartitionsSubset) -> Iterator[str]:
        """The keys of the steps of ``planned`` that build a partition of ``wanted``."""
        assert planned.target is not None
        pdef = planned.target.partitions_def
        name = planned.assets_def.step_name
        if planned.per_step == 1:
            for part in (planned.target & wanted).key_ranges:
                for key in pdef.keys_between(part.start, part.stop, self.now, self.store):
                    yield f"{name}[{key}]"
            return
        for chunk in planned.chunks_within(wanted):
            first = pdef.key_at(chunk.start, self.now, self.store)
            last = first if len(chunk) == 1 else pdef.key_at(chunk.stop - 1, self.now, self.store)
            yield _step_key(name, first, last)

    def _upstream_subset(
        self,
        key: AssetKey,
        parent: AssetKey,
        parent_def: PartitionsDefinition,
        assets_def: AssetsDefinition,
        subset: PartitionsSubset | None,
    ) -> PartitionsSubset:
        mapping = self.graph.partition_mapping(key, parent)
        if assets_def.partitions_def is None and mapping is not None:
            # An unpartitioned asset reads what its mapping names (as Dagster's
            # LastPartitionMapping / SpecificPartitionsPartitionMapping); all by default.
            whole = PartitionsSubset.all(UNPARTITIONED, self.now, self.store)
            try:
                return mapping.upstream_subset(
                    UNPARTITIONED, whole, parent_def, self.now, self.store
                )
            except UsageError as exc:
                raise UsageError(f"Asset '{key}' reads asset '{parent}': {exc}") from None
        if subset is None or assets_def.partitions_def is None or mapping is None:
            return PartitionsSubset.all(parent_def, self.now, self.store)
        if isinstance(mapping, IdentityPartitionMapping) and parent_def == subset.partitions_def:
            return subset
        try:
            return mapping.upstream_subset(
                assets_def.partitions_def, subset, parent_def, self.now, self.store
            )
        except UsageError as exc:
            raise UsageError(f"Asset '{key}' reads asset '{parent}': {exc}") from None

    def _target_subset(
        self, assets_def: AssetsDefinition, pdef: PartitionsDefinition
    ) -> PartitionsSubset:
        """The union of the partitions the request gives for the keys of ``assets_def``."""
        union = PartitionsSubset.empty(pdef)
        for asset_key in assets_def.keys:
            given = self.targets.get(asset_key)
            if given is not None and given is not union:
                union = given if not union else union | given
        return union


def build_plan_for_targets(
    graph: AssetGraph,
    targets: Mapping[AssetKey, PartitionsSubset | None],
    *,
    current_time: datetime | None = None,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
) -> ExecutionPlan:
    """The steps that build exactly ``targets`` (asset key -> its partitions; None for an
    unpartitioned asset), each after its upstreams: the plan of an automation request or
    of a re-execution. A multi-asset builds the partitions given for any of its keys."""
    now = current_time or datetime.now(UTC)
    store = snapshot_store(dynamic_partitions_store)
    keys = graph.toposort(targets)
    return _Planner(graph, now, store, targets).plan(_defs_in_order(graph, keys), keys)


_KEY_PAGE = 10_000
"""Keys read at a time while one-partition steps are made."""


def _step_key(name: str, first: str, last: str) -> str:
    return f"{name}[{first}]" if first == last else f"{name}[{first}{RANGE_SEPARATOR}{last}]"


def _chunks_with_keys(
    planned: PlannedAsset, now: datetime, store: DynamicPartitionsStore | None
) -> Iterator[tuple[range, Sequence[str]]]:
    """Each chunk of ``planned`` with its keys, reading keys once per run of the target."""
    assert planned.target is not None
    pdef = planned.target.partitions_def
    if planned.per_step != 1:

        def read(chunk: range) -> Iterable[str]:
            return pdef.keys_between(chunk.start, chunk.stop, now, store)

        for chunk in planned.chunks():
            first = pdef.key_at(chunk.start, now, store)
            last = first if len(chunk) == 1 else pdef.key_at(chunk.stop - 1, now, store)
            yield chunk, ChunkKeys(chunk, first, last, read)
        return
    for run in planned.target.key_ranges:
        for start in range(run.start, run.stop, _KEY_PAGE):
            page = range(start, min(start + _KEY_PAGE, run.stop))
            keys = pdef.keys_between(page.start, page.stop, now, store)
            for index, key in zip(page, keys, strict=True):
                yield range(index, index + 1), (key,)
