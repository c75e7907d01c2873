"""The conditions an asset's policies test, each a function of one tick's ``AssetState``.

Each returns the partitions for which the condition is true (a ``PartitionsSubset`` of the
asset; unpartitioned assets have one pseudo-partition) and the words that explain it, as
recorded in the tick: "missing partition 2025-01-04 whose window ended", "upstream
cleaned_orders[2025-01-03] has newer data", "skipped: already requested by run R".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from assetgraph.automation.retries import RetryVerdict
from assetgraph.automation.state import AssetState, ranges_text
from assetgraph.definitions.policies import AutomationPolicy
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.automation_store import IndexRow


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


def missing(state: AssetState, key: AssetKey, first_eligible: int) -> PartitionsSubset:
    """Every missing partition from ``first_eligible`` on (the catch-up horizon); for an
    unpartitioned asset, its pseudo-partition when it was never materialized."""
    everything = state.all(key)
    if state.pdef(key) is UNPARTITIONED:
        return state.empty(key) if state.materialized(key) else everything
    eligible = everything
    if state.time_def(key) is not None and first_eligible > 0:
        eligible = everything & state.ranges_subset(key, [range(first_eligible, len(everything))])
    return eligible - state.materialized(key)


def cap_missing(
    state: AssetState,
    key: AssetKey,
    wanted: PartitionsSubset,
    todo: PartitionsSubset,
    policy: AutomationPolicy | None,
    others: PartitionsSubset,
) -> tuple[PartitionsSubset, Finding, Finding | None]:
    """Keep at most the policy's ``max_materializations_per_tick`` of the missing partitions
    that are ready (``wanted & todo``, less what another finding wants anyway), in its fill
    order; the rest of ``wanted`` stays.

    Returns what is left, the finding that explains the missing partitions chosen, and the
    note on those left for later ticks (None when the cap kept none back).
    """
    ready = (wanted & todo) - others
    cap = policy.max_materializations_per_tick if policy is not None else None
    if not ready:
        return wanted, Finding(todo, _missing_words(state, key, todo)), None
    chosen = ready
    if cap is not None and len(ready) > cap:
        newest = policy is not None and policy.fill_order == "newest"
        chosen = _first(state, key, ready, cap, newest=newest)
    reason = _missing_words(state, key, chosen)
    if len(chosen) < len(todo):
        assert policy is not None
        reason += f" ({len(chosen)} of {len(todo)} this tick"
        if chosen is not ready:
            reason += f": max_materializations_per_tick={cap}, {policy.fill_order} first"
        reason += ")"
    later = None
    if chosen is not ready:
        left = ready - chosen
        later = Finding(
            left,
            f"left for later ticks: {len(left)} missing "
            f"partition{'s' if len(left) > 1 else ''} {ranges_text(left)} "
            f"(max_materializations_per_tick={cap})",
        )
    return (wanted - ready) | chosen, Finding(chosen, reason), later


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
    oldest = state.oldest_materialization(key)
    if oldest is None:
        return []
    findings: list[Finding] = []
    for parent in state.graph.parents(key):
        # Only rows materialized after the oldest build of ``key`` can be newer than it.
        changed = {
            i: changed_at
            for i, row in state.rows_after(parent, oldest).items()
            if row.event_id is not None
            and (changed_at := row.data_version_event_id or row.event_id) > oldest
        }
        if not changed:
            continue
        hits: list[int] = []
        culprits: set[int] = set()
        if state.pdef(key) is UNPARTITIONED and state.pdef(parent) is UNPARTITIONED:
            own = state.rows(key)[0].event_id
            if own is not None and changed[0] > own:
                hits, culprits = [0], {0}
        else:
            changed_subset = state.subset(parent, changed)
            candidates = state.downstream(parent, changed_subset, key)
            own_rows = state.rows_at(key, candidates)
            for index in candidates.indices():
                own_row = own_rows.get(index)
                if own_row is None or own_row.event_id is None:
                    continue
                reads = state.upstream(key, state.subset(key, [index]), parent)
                newer = [
                    u for u in (reads & changed_subset).indices() if changed[u] > own_row.event_id
                ]
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
) -> tuple[PartitionsSubset, list[Finding]]:
    """Remove what runs in flight already build."""
    notes: list[Finding] = []
    for cover in covered:
        hit = wanted & cover.partitions
        if hit:
            wanted = wanted - hit
            what = "" if hit.partitions_def is UNPARTITIONED else f" {ranges_text(hit)}"
            notes.append(Finding(hit, f"skipped{what}: already requested by {cover.label}"))
    return wanted, notes


class RetryJudge(Protocol):
    """Judges, under a retry policy, failed partitions that nothing new would make succeed."""

    def __call__(
        self, key: AssetKey, blocked: Mapping[int, tuple[IndexRow, int]]
    ) -> dict[int, RetryVerdict]:
        """Partition index -> verdict, for ``blocked``: index -> (its index row, the newest
        data event among the upstream partitions it reads)."""
        ...


def drop_failed(
    state: AssetState,
    key: AssetKey,
    wanted: PartitionsSubset,
    *,
    code_changed: bool = False,
    retries: RetryJudge | None = None,
) -> tuple[PartitionsSubset, list[Finding], list[Finding]]:
    """Remove partitions whose last attempt failed, unless something that could make a new
    attempt succeed changed since: an upstream partition it reads has newer data, or its
    code version changed (``code_changed``); or ``retries`` (the asset's retry policy)
    allows another attempt now.

    Returns what is left, the notes on what is held back, and the reasons for retries.
    """
    failed_now = state.failed(key)
    if not failed_now or not failed_now & wanted:
        return wanted, [], []
    failed = {
        index: row for index, row in state.failed_rows(key).items() if wanted.contains_index(index)
    }
    if not failed:
        return wanted, [], []
    if code_changed:
        hit = state.subset(key, failed)
        return wanted, [], [Finding(hit, f"retrying {_what(hit)}after a failure: its code changed")]
    newest = _newest_upstream(state, key, failed)
    retry: list[int] = []
    blocked: dict[int, tuple[IndexRow, int]] = {}
    for index, row in failed.items():
        assert row.failure_event_id is not None
        if newest[index] > row.failure_event_id:
            retry.append(index)
        else:
            blocked[index] = (row, newest[index])
    notes: list[Finding] = []
    retried: list[Finding] = []
    if retry:
        hit = state.subset(key, retry)
        retried.append(Finding(hit, f"retrying {_what(hit)}after a failure: new upstream data"))
    verdicts = retries(key, blocked) if retries is not None and blocked else {}
    by_words: dict[tuple[bool, str], list[int]] = {}
    plain = {i: row.failure_run_id or "?" for i, (row, _) in blocked.items() if i not in verdicts}
    if plain:
        runs = ", ".join(r[:8] for r in sorted(set(plain.values()))[:3])
        by_words[(False, f"last attempt failed in run {runs}; {NOTHING_NEW}")] = list(plain)
    for index, found in verdicts.items():
        by_words.setdefault((found.now, found.words), []).append(index)
    for (now, words), indices in by_words.items():
        hit = state.subset(key, indices)
        if now:
            retried.append(Finding(hit, f"retrying {_what(hit)}after a failure: {words}"))
        else:
            notes.append(Finding(hit, f"skipped{_what(hit, ' ')}: {words}"))
            wanted = wanted - hit
    return wanted, notes, retried


NOTHING_NEW = "waiting for new upstream data or a code change"


def _what(subset: PartitionsSubset, lead: str = "") -> str:
    if subset.partitions_def is UNPARTITIONED:
        return ""
    text = ranges_text(subset)
    return f"{lead}{text}" if lead else f"{text} "


def _newest_upstream(
    state: AssetState, key: AssetKey, failed: Mapping[int, IndexRow]
) -> dict[int, int]:
    """Per failed partition index, the newest data event among the upstream partitions it
    reads (0 when none has data); one read of the upstream rows per parent."""
    newest = dict.fromkeys(failed, 0)
    whole = state.pdef(key) is UNPARTITIONED
    every = state.subset(key, failed)
    for parent in state.graph.parents(key):
        unpartitioned = whole or state.pdef(parent) is UNPARTITIONED
        rows = state.rows_at(parent, state.upstream(key, every, parent))
        if not rows:
            continue
        for index in failed:
            reads: Iterable[int] = (
                rows.keys()
                if unpartitioned
                else state.upstream(key, state.subset(key, [index]), parent).indices()
            )
            for i in reads:
                row = rows.get(i)
                if row is not None:
                    changed = row.data_version_event_id or row.event_id or 0
                    newest[index] = max(newest[index], changed)
    return newest


WAIT_DETAIL_LIMIT = 500
"""Waiting partitions explained one by one (grouped by what they wait for); beyond it, the
rest of an asset's waiting partitions share one summary line."""


def drop_waiting(
    state: AssetState,
    key: AssetKey,
    wanted: PartitionsSubset,
    requested: Mapping[AssetKey, PartitionsSubset],
    covered: Mapping[AssetKey, Sequence[Covered]],
) -> tuple[PartitionsSubset, list[Finding]]:
    """Remove partitions whose upstream partitions are missing (and not requested this
    tick) or are being built by a run in flight: they would read old or no data.

    Each note says exactly what its partitions wait for: "waiting 2025-01-02: for 22 of 24
    upstream readings partitions; 20 requested this tick".
    """
    notes: list[Finding] = []
    whole = state.pdef(key) is UNPARTITIONED
    for parent in state.graph.parents(key):
        if not wanted:
            break
        if state.graph.is_source(parent) and not state.recorded(parent):
            continue  # a source never observed: its data is there, unversioned
        if (
            state.pdef(parent) is UNPARTITIONED
            and parent not in covered
            and ((whole and parent in requested) or state.materialized(parent))
        ):
            continue  # the common cases, decided without partition arithmetic
        reads = state.upstream(key, wanted, parent)
        requested_up = requested.get(parent, state.empty(parent))
        have = state.materialized(parent)
        if whole and state.pdef(parent) is not UNPARTITIONED and not (have | requested_up):
            # An unpartitioned asset reading a partitioned one waits for its first partition
            # (before any window ends there is nothing to read, not an empty input).
            notes.append(
                Finding(wanted, f"waiting for upstream {parent} (no partition materialized yet)")
            )
            return state.empty(key), notes
        busy = state.empty(parent)
        labels: list[str] = []
        for cover in covered.get(parent, ()):
            hit = (reads & cover.partitions) - requested_up
            if hit:
                busy = busy | hit
                labels.append(cover.label)
        blocked = ((reads - have) - requested_up) | busy
        if not blocked:
            continue
        hit = state.downstream(parent, blocked, key) & wanted
        if not hit:
            continue
        wanted = wanted - hit
        waits = _Waits(state, key, parent, have, requested_up, busy, labels)
        notes.extend(waits.explain(hit))
    return wanted, notes


@dataclass(slots=True)
class _Waits:
    """Explains what partitions of ``key`` wait for on one ``parent``, partition by
    partition, grouping those that wait for the same counts."""

    state: AssetState
    key: AssetKey
    parent: AssetKey
    have: PartitionsSubset
    requested: PartitionsSubset
    busy: PartitionsSubset
    labels: list[str]

    def explain(self, hit: PartitionsSubset) -> list[Finding]:
        state = self.state
        if hit.partitions_def is UNPARTITIONED:
            reads = state.all(self.parent)
            return [Finding(hit, "waiting " + self._words(self._signature(reads), reads))]
        detailed = list(islice(hit.indices(), WAIT_DETAIL_LIMIT))
        groups: dict[tuple[int, int, int, int], list[int]] = {}
        if state.is_identity(self.key, self.parent):
            have, requested, busy = self.have, self.requested, self.busy
            for index in detailed:
                sig = (
                    1,
                    int(not have.contains_index(index)),
                    int(requested.contains_index(index)),
                    int(busy.contains_index(index)),
                )
                groups.setdefault(sig, []).append(index)
        else:
            for index in detailed:
                reads = state.upstream(self.key, state.subset(self.key, [index]), self.parent)
                groups.setdefault(self._signature(reads), []).append(index)
        notes: list[Finding] = []
        for sig, members in groups.items():
            subset = state.subset(self.key, members)
            text = self._words(sig, state.upstream(self.key, subset, self.parent))
            if len(members) > 1 and sig[0] > 1:
                text = text.replace("for ", "each for ", 1)
            notes.append(Finding(subset, f"waiting {ranges_text(subset)}: {text}"))
        if len(hit) > len(detailed):
            rest = hit - state.subset(self.key, detailed)
            reads = state.upstream(self.key, rest, self.parent)
            notes.append(
                Finding(
                    rest,
                    f"waiting {ranges_text(rest)} ({len(rest)} more partitions): upstream "
                    f"{state.describe(self.parent, (reads - self.have) | self.busy)} is "
                    "missing or being materialized",
                )
            )
        return notes

    def _signature(self, reads: PartitionsSubset) -> tuple[int, int, int, int]:
        """(partitions read, of them not materialized, requested this tick, in flight)."""
        return (
            len(reads),
            len(reads - self.have),
            len(reads & self.requested),
            len(reads & self.busy),
        )

    def _words(self, sig: tuple[int, int, int, int], reads: PartitionsSubset) -> str:
        """What partitions with counts ``sig`` wait for; ``reads``: all that they read."""
        state = self.state
        total, absent, requested, busy = sig
        name = self.parent.to_string()
        by = ", ".join(self.labels[:3])
        if state.pdef(self.parent) is UNPARTITIONED:
            if busy:
                return f"upstream {name} is being materialized by {by}"
            return f"upstream {name} is missing"
        if total == 1:
            if busy:
                what = state.describe(self.parent, reads & self.busy)
                return f"upstream {what} is being materialized by {by}"
            what = state.describe(self.parent, (reads - self.have) - self.requested)
            return f"upstream {what} is missing"
        if not absent and busy:
            return f"for {busy} of {total} upstream {name} partitions being materialized by {by}"
        text = f"for {absent} of {total} upstream {name} partitions"
        if requested:
            text += f"; {requested} requested this tick"
        if busy:
            text += f"; {busy} being materialized by {by}"
        return text
