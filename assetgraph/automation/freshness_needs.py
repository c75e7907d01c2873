"""What must be built for a freshness policy to hold: the asset, and the upstream data
(lazy or eager assets) too old for it.

The walk starts at the asset with the policy and a target data time ``T`` and goes
upstream. A time-partitioned asset needs its missing partitions from its first one up to
the window that ends at or after ``T`` (only those that exist); any other asset whose data
time is older than ``T`` needs rebuilding, and so do, in turn, its upstreams that are older
than ``T``. Only assets with an eager or lazy policy (and the asset with the policy itself)
are built; any other asset in the way is reported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from assetgraph.automation.data_time import DataTimes
from assetgraph.automation.state import AssetState
from assetgraph.definitions.policies import AutomationPolicy
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.status.staleness import UNPARTITIONED


class FreshnessNeeds:
    """One walk upstream from an asset whose freshness policy needs newer data."""

    def __init__(
        self,
        state: AssetState,
        data_times: DataTimes,
        policies: Mapping[AssetKey, AutomationPolicy | None],
        root: AssetKey,
        target: float,
    ) -> None:
        self.state = state
        self.data_times = data_times
        self.policies = policies
        self.root = root
        self.target = target
        self.wanted: dict[AssetKey, PartitionsSubset] = {}
        self.notes: list[str] = []
        self._visited: set[AssetKey] = set()

    def run(self, force: PartitionsSubset | None = None) -> PartitionsSubset | None:
        """Walk; returns the root's partitions to build (None if nothing can help).
        ``force``: build these partitions of the root whatever its data time (a deadline
        policy), and walk upstream from them."""
        if force is not None:
            self._visited.add(self.root)
            self._request(self.root, force)
        else:
            self._visit(self.root)
        return self.wanted.get(self.root)

    def _visit(self, key: AssetKey) -> None:
        if key in self._visited:
            return
        self._visited.add(key)
        state = self.state
        tdef = state.time_def(key)
        if tdef is not None:
            existing = len(state.all(key))
            upto = min(tdef.ceil_index(math.ceil(self.target)), existing)
            needed = state.ranges_subset(key, [range(0, upto)]) - state.materialized(key)
            if needed:
                self._request(key, needed)
            elif (key == self.root or upto < tdef.ceil_index(math.ceil(self.target))) and (
                self.data_times.current(key) or 0
            ) < self.target:
                self.notes.append(
                    f"waiting: no window of {key} ending at or after {_when(self.target)} has "
                    "ended yet"
                )
            return
        data_time = self.data_times.current(key)
        if data_time is not None and data_time >= self.target:
            return
        self._request(key, state.all(key))

    def _request(self, key: AssetKey, needed: PartitionsSubset) -> None:
        state = self.state
        have = self.wanted.get(key)
        if have is not None and not (needed - have):
            return
        if not self._buildable(key):
            why = "a source asset" if state.graph.is_source(key) else "no eager or lazy policy"
            self.notes.append(
                f"upstream {state.describe(key, needed)} is too old and has {why}: automation "
                "cannot refresh it"
            )
            return
        policy = self.policies.get(key)
        cap = policy.max_materializations_per_tick if policy is not None else None
        if cap is not None and len(needed) > cap:
            from assetgraph.automation.conditions import _first

            needed = _first(
                state, key, needed, cap, newest=policy is not None and policy.fill_order == "newest"
            )
        self.wanted[key] = needed if have is None else have | needed
        unpartitioned = state.pdef(key) is UNPARTITIONED
        for parent in state.graph.parents(key):
            if unpartitioned:
                self._visit(parent)
                continue
            up_missing = state.upstream(key, needed, parent) - state.materialized(parent)
            if up_missing:
                self._request(parent, up_missing)

    def _buildable(self, key: AssetKey) -> bool:
        if self.state.graph.is_source(key):
            return False
        if key == self.root:
            return True
        policy = self.policies.get(key)
        return policy is not None and policy.kind in ("eager", "lazy")


def _when(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
