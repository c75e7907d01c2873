"""The conditions an asset's policies test, each a function of one tick's ``AssetState``.

Each returns the partitions for which the condition is true (a ``PartitionsSubset`` of the
asset; unpartitioned assets have one pseudo-partition) and the words that explain it, as
recorded in the tick: "missing partition 2025-01-04 whose window ended", "upstream
cleaned_orders[2025-01-03] has newer data", "skipped: already requested by run R".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assetgraph.automation.state import AssetState, ranges_text
from assetgraph.definitions.policies import AutomationPolicy
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.status.staleness import UNPARTITIONED


@dataclass(frozen=True, slots=True)
class Finding:
    """Partitions of an asset for which something holds, and why."""

    partitions: PartitionsSubset
    reason: str


@dataclass(frozen=True, slots=True)
class Covered:
    """Partitions of an asset that a run in flight (or just launched) will build."""

    partitions: PartitionsSubset
    label: str


def missing(
    state: AssetState, key: AssetKey, first_eligible: int, policy: AutomationPolicy | None
) -> tuple[Finding | None, PartitionsSubset]:
    """Missing partitions from ``first_eligible`` on (the catch-up horizon), capped per tick.

    Returns the finding for this tick and every eligible missing partition (what is left
    after the cap is picked up by later ticks).
    """
    everything = state.all(key)
    if state.pdef(key) is UNPARTITIONED:
        if state.materialized(key):
            return None, state.empty(key)
        return Finding(everything, "missing: never materialized"), everything
    eligible = everything
    if state.time_def(key) is not None and first_eligible > 0:
        eligible = everything & state.ranges_subset(key, [range(first_eligible, len(everything))])
    todo = eligible - state.materialized(key)
    if not todo:
        return None, todo
    chosen = todo
    cap = policy.max_materializations_per_tick if policy is not None else None
    if cap is not None and len(todo) > cap:
        chosen = _first(
            state, key, todo, cap, newest=policy is not None and policy.fill_order == "newest"
        )
    reason = _missing_words(state, key, chosen)
    if chosen is not todo:
        assert cap is not None and policy is not None
        reason += (
            f" ({len(chosen)} of {len(todo)} this tick: max_materializations_per_tick={cap}, "
            f"{policy.fill_order} first)"
        )
    return Finding(chosen, reason), todo


def _missing_words(state: AssetState, key: AssetKey, subset: PartitionsSubset) -> str:
    if subset.partitions_def is UNPARTITIONED:
        return "missing: never materialized"
    timed = state.time_def(key) is not None
    many = len(subset) > 1
    noun = "partitions" if many else "partition"
    tail = (" whose windows ended" if many else " whose window ended") if timed else ""
    return f"missing {noun} {ranges_text(subset)}{tail}"


def _first(
    state: AssetState, key: AssetKey, subset: PartitionsSubset, count: int, *, newest: bool
) -> PartitionsSubset:
    picked: list[range] = []
    left = count
    ranges = reversed(subset.key_ranges) if newest else iter(subset.key_ranges)
    for r in ranges:
        if left <= 0:
            break
        take = min(left, len(r))
        picked.append(range(r.stop - take, r.stop) if newest else range(r.start, r.start + take))
        left -= take
    return state.ranges_subset(key, picked)


def updated_upstream(state: AssetState, key: AssetKey) -> list[Finding]:
    """Materialized partitions of ``key`` that read an upstream partition whose data
    version changed after they were built (early cut-off: a rebuild with the same data
    version is no change)."""
    rows = state.rows(key)
    built = {i: row.event_id for i, row in rows.items() if row.event_id is not None}
    if not built:
        return []
    oldest = min(built.values())
    findings: list[Finding] = []
    for parent in state.graph.parents(key):
        up_rows = state.rows(parent)
        changed = {
            i: changed_at
            for i, row in up_rows.items()
            if row.event_id is not None
            and (changed_at := row.data_version_event_id or row.event_id) > oldest
        }
        if not changed:
            continue
        hits: list[int] = []
        culprits: set[int] = set()
        unpartitioned = state.pdef(key) is UNPARTITIONED
        if unpartitioned and state.pdef(parent) is UNPARTITIONED:
            if changed[0] > built.get(0, changed[0]):
                hits, culprits = [0], {0}
        else:
            changed_subset = state.subset(parent, changed)
            candidates = state.downstream(parent, changed_subset, key)
            for index in candidates.indices():
                own = built.get(index)
                if own is None:
                    continue
                reads = state.upstream(key, state.subset(key, [index]), parent)
                newer = [u for u in (reads & changed_subset).indices() if changed[u] > own]
                if newer:
                    hits.append(index)
                    culprits.update(newer)
        if hits:
            findings.append(
                Finding(
                    state.subset(key, hits),
                    f"upstream {state.describe(parent, state.subset(parent, culprits))} "
                    "has newer data",
                )
            )
    return findings


def upstream_requested(
    state: AssetState, key: AssetKey, requested: Mapping[AssetKey, PartitionsSubset]
) -> list[Finding]:
    """Partitions of ``key`` that read partitions requested this tick."""
    findings: list[Finding] = []
    for parent in state.graph.parents(key):
        wanted = requested.get(parent)
        if not wanted:
            continue
        hit = state.downstream(parent, wanted, key)
        if hit:
            findings.append(
                Finding(hit, f"upstream {state.describe(parent, wanted)} is requested this tick")
            )
    return findings


def drop_covered(
    state: AssetState, wanted: PartitionsSubset, covered: Sequence[Covered]
) -> tuple[PartitionsSubset, list[str]]:
    """Remove what runs in flight already build."""
    notes: list[str] = []
    for cover in covered:
        hit = wanted & cover.partitions
        if hit:
            wanted = wanted - hit
            what = "" if hit.partitions_def is UNPARTITIONED else f" {ranges_text(hit)}"
            notes.append(f"skipped{what}: already requested by {cover.label}")
    return wanted, notes


def drop_failed(
    state: AssetState, key: AssetKey, wanted: PartitionsSubset
) -> tuple[PartitionsSubset, list[str]]:
    """Remove partitions whose last attempt failed and whose upstreams have not changed
    since (retrying would fail the same way); new upstream data lets them run again."""
    rows = state.rows(key)
    newest_upstream = 0
    for parent in state.graph.parents(key):
        for row in state.rows(parent).values():
            newest_upstream = max(newest_upstream, row.data_version_event_id or row.event_id or 0)
    failed: dict[int, str] = {}
    for index, row in rows.items():
        if (
            row.failure_event_id is not None
            and row.failure_event_id > (row.event_id or -1)
            and row.failure_event_id > newest_upstream
            and wanted.contains_index(index)
        ):
            failed[index] = row.failure_run_id or "?"
    if not failed:
        return wanted, []
    hit = state.subset(key, failed)
    runs = sorted(set(failed.values()))
    what = "" if hit.partitions_def is UNPARTITIONED else f" {ranges_text(hit)}"
    note = (
        f"skipped{what}: last attempt failed in run {', '.join(r[:8] for r in runs[:3])}; "
        "waiting for new upstream data"
    )
    return wanted - hit, [note]


def drop_waiting(
    state: AssetState,
    key: AssetKey,
    wanted: PartitionsSubset,
    requested: Mapping[AssetKey, PartitionsSubset],
    covered: Mapping[AssetKey, Sequence[Covered]],
) -> tuple[PartitionsSubset, list[str]]:
    """Remove partitions whose upstream partitions are missing (and not requested this
    tick) or are being built by a run in flight: they would read old or no data."""
    notes: list[str] = []
    whole = state.pdef(key) is UNPARTITIONED
    for parent in state.graph.parents(key):
        if not wanted:
            break
        if state.graph.is_source(parent) and not state.rows(parent):
            continue  # a source never observed: its data is there, unversioned
        if (
            whole
            and parent in requested
            and parent not in covered
            and state.pdef(parent) is UNPARTITIONED
        ):
            continue  # the common case, decided without partition arithmetic
        reads = state.upstream(key, wanted, parent)
        requested_up = requested.get(parent, state.empty(parent))
        present = state.materialized(parent) | requested_up
        if (
            state.pdef(parent) is not UNPARTITIONED
            and not present
            and state.pdef(key) is UNPARTITIONED
        ):
            notes.append(f"waiting for upstream {parent} (no partition materialized yet)")
            return state.empty(key), notes
        for cover in covered.get(parent, ()):
            busy = (reads & cover.partitions) - requested_up
            present = present | cover.partitions
            if busy:
                hit = state.downstream(parent, busy, key) & wanted
                if hit:
                    wanted = wanted - hit
                    notes.append(
                        f"waiting: upstream {state.describe(parent, busy)} is being "
                        f"materialized by {cover.label}"
                    )
        absent = reads - present
        if absent and wanted:
            hit = state.downstream(parent, absent, key) & wanted
            if hit:
                wanted = wanted - hit
                what = "" if hit.partitions_def is UNPARTITIONED else f" {ranges_text(hit)}"
                notes.append(f"waiting{what}: upstream {state.describe(parent, absent)} is missing")
    return wanted, notes
