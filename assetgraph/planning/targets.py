"""What a run targets: the partitions of each asset its plan builds, kept with the run.

Every run records its targets in the run tag ``assetgraph/targets``, whatever planned it
(CLI options, automation, a schedule or a sensor, the UI). ``runs reexecute`` plans
exactly those targets again, and ``runs list`` and the UI show them. Partitions are kept
as ranges of adjacent keys, so a backfill of a million partitions is one range, not a
million keys.

The stored form is versioned JSON::

    {"version": 1,
     "assets": {"raw_orders": ["2025-01-15"],
                "events": [["2025-01-01", "2025-12-31"], "2026-01-03"],
                "report": null}}

A key alone is one partition, a pair a range (both ends included), ``null`` an
unpartitioned asset. Runs recorded before targets were kept carry only the partition
options they were started with (``assetgraph/partitions``); ``recorded_targets`` answers
None for them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assetgraph.errors import StorageError, UsageError, did_you_mean
from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.subset import PartitionsSubset

if TYPE_CHECKING:
    from assetgraph.graph import AssetGraph
    from assetgraph.partitions.definitions import DynamicPartitionsStore
    from assetgraph.partitions.subset import PartitionsSubset
    from assetgraph.planning.planner import ExecutionPlan
    from assetgraph.storage.records import RunRecord

TARGETS_TAG = "assetgraph/targets"
"""Run tag holding the run's targets (the JSON above)."""
TARGETS_VERSION = 1
LEGACY_PARTITIONS_TAG = "assetgraph/partitions"
"""The partition options of a run, the only record of its partitions before targets."""

Ranges = tuple[PartitionKeyRange, ...]


@dataclass(frozen=True, slots=True)
class RunTargets:
    """Asset key (string form) -> the key ranges of its partitions the run builds, in plan
    order; None for an unpartitioned asset."""

    assets: Mapping[str, Ranges | None]

    @classmethod
    def from_plan(cls, plan: ExecutionPlan) -> RunTargets:
        """What ``plan`` builds, read from its planned ranges (its steps are not made)."""
        found: dict[str, Ranges | None] = {}
        if plan.assets:
            for planned in plan.assets:
                ranges = None if planned.target is None else tuple(planned.target.ranges())
                for key in planned.assets_def.keys:
                    found[key.to_string()] = ranges
            return cls(found)
        # A plan given as steps: group each definition's partitions into ranges.
        keys: dict[Any, list[str]] = {}
        for step in plan.steps:
            if not step.checks:  # a check step builds nothing
                keys.setdefault(step.assets_def, []).extend(step.partition_keys)
        for assets_def, partitions in keys.items():
            pdef = assets_def.partitions_def
            ranges = None
            if pdef is not None:
                try:
                    subset = pdef.subset_for_keys(partitions, plan.current_time)
                    ranges = tuple(subset.ranges())
                except UsageError:  # keys kept elsewhere (dynamic): one entry per key
                    ranges = tuple(PartitionKeyRange(k, k) for k in partitions)
            for key in assets_def.keys:
                found[key.to_string()] = ranges
        return cls(found)

    @classmethod
    def from_subsets(cls, subsets: Mapping[AssetKey, PartitionsSubset | None]) -> RunTargets:
        """Targets from asset key -> its partitions (None: unpartitioned)."""
        return cls(
            {
                key.to_string(): None if subset is None else tuple(subset.ranges())
                for key, subset in subsets.items()
            }
        )

    # -- stored form ----------------------------------------------------------------------

    def to_plain(self) -> dict[str, list[str | list[str]] | None]:
        """Asset -> keys and ``[first, last]`` pairs (JSON-ready; None: unpartitioned)."""
        return {
            name: None if ranges is None else [_plain_range(r) for r in ranges]
            for name, ranges in self.assets.items()
        }

    def to_json(self) -> str:
        return json.dumps(
            {"version": TARGETS_VERSION, "assets": self.to_plain()}, separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> RunTargets:
        """The inverse of ``to_json``; a ``StorageError`` for a payload it cannot read."""
        try:
            data = json.loads(text)
            version = data.get("version")
            if version != TARGETS_VERSION:
                raise StorageError(
                    f"The run's targets have format version {version!r}; this assetgraph "
                    f"reads version {TARGETS_VERSION}: upgrade assetgraph to re-execute it."
                )
            assets: dict[str, Ranges | None] = {}
            for name, items in data["assets"].items():
                assets[str(name)] = None if items is None else tuple(_range(i) for i in items)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise StorageError(f"The run's targets cannot be read ({exc}): {text[:200]}") from None
        return cls(assets)

    # -- use ------------------------------------------------------------------------------

    def to_subsets(
        self,
        graph: AssetGraph,
        current_time: datetime,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> dict[AssetKey, PartitionsSubset | None]:
        """Asset key -> its target partitions in today's definitions (None: unpartitioned).

        A ``UsageError`` names what the definitions no longer have: the asset, a partition,
        or partitions where there were none (or the other way round).
        """
        found: dict[AssetKey, PartitionsSubset | None] = {}
        for name, ranges in self.assets.items():
            key = AssetKey.from_user(name)
            if not graph.has(key):
                names = [k.to_string() for k in graph.all_keys]
                raise UsageError(
                    f"The run built asset '{name}', which the definitions lack."
                    + did_you_mean(name, names)
                )
            pdef = graph.partitions_def(key)
            if ranges is None or pdef is None:
                if ranges is not None or pdef is not None:
                    change = (
                        "was partitioned when the run built it and is not now"
                        if pdef is None
                        else f"was unpartitioned when the run built it and is now {pdef!r}"
                    )
                    raise UsageError(
                        f"Asset '{name}' {change}: materialize it instead of re-executing the run."
                    )
                found[key] = None
                continue
            subset = PartitionsSubset.empty(pdef)
            for key_range in ranges:
                try:
                    part = pdef.subset_for_range(key_range, current_time, dynamic_partitions_store)
                except UsageError as exc:
                    raise UsageError(f"Asset '{name}': {exc}") from None
                subset = subset | part
            found[key] = subset
        return found

    def describe(self, max_ranges: int = 3) -> str:
        """The partitions, short: ``2025-01-15`` when every partitioned asset builds the same
        ones, else ``a: 2025-01-14; b, c: 2025-01-15``; ``""`` when none is partitioned."""
        groups: dict[Ranges, list[str]] = {}
        for name, ranges in self.assets.items():
            if ranges is not None:
                groups.setdefault(ranges, []).append(name)
        if len(groups) == 1:
            return _ranges_text(next(iter(groups)), max_ranges)
        return "; ".join(
            f"{', '.join(names)}: {_ranges_text(ranges, max_ranges)}"
            for ranges, names in groups.items()
        )


def recorded_targets(run: RunRecord) -> RunTargets | None:
    """The targets ``run`` recorded; None for a run recorded before targets were kept."""
    text = run.tags.get(TARGETS_TAG)
    return None if text is None else RunTargets.from_json(text)


def describe_run_partitions(run: RunRecord) -> str:
    """The partitions ``run`` builds, short (see ``RunTargets.describe``); for an older run,
    the partition options it was started with. Never fails: listings show every run."""
    try:
        targets = recorded_targets(run)
    except StorageError as exc:
        return f"(unreadable: {exc})"
    if targets is None:
        return run.tags.get(LEGACY_PARTITIONS_TAG, "")
    return targets.describe()


def plain_run_targets(run: RunRecord) -> dict[str, list[str | list[str]] | None] | None:
    """``run``'s targets as JSON-ready data (``RunTargets.to_plain``); None for an older
    run or targets this assetgraph cannot read. Never fails: listings show every run."""
    try:
        targets = recorded_targets(run)
    except StorageError:
        return None
    return None if targets is None else targets.to_plain()


def _plain_range(key_range: PartitionKeyRange) -> str | list[str]:
    if key_range.start == key_range.end:
        return key_range.start
    return [key_range.start, key_range.end]


def _range(item: Any) -> PartitionKeyRange:
    if isinstance(item, str):
        return PartitionKeyRange(item, item)
    start, end = item
    return PartitionKeyRange(str(start), str(end))


def _ranges_text(ranges: Ranges, max_ranges: int) -> str:
    texts = [r.start if r.start == r.end else f"{r.start}...{r.end}" for r in ranges[:max_ranges]]
    more = len(ranges) - max_ranges
    return ", ".join(texts) + (f" and {more} more ranges" if more > 0 else "")
