"""Data time: how old the data of an asset is (``freshness`` judges the policies on it).

The data time of an asset is the oldest root-source time its latest materialization
incorporates:

- a time-partitioned asset: the end of the contiguous run of materialized partitions from
  its first partition (so the latest windows must exist; backfilling an old partition does
  not make it look fresh);
- an asset without upstream assets (or a source asset): the time of its latest
  materialization or observation (for runs launched by automation, the tick's time, so
  replays with ``--now`` are consistent);
- any other asset: the oldest data time among the upstream data its latest
  materialization read, each upstream as it was when read (the materialization before,
  from the event log, when the upstream was rebuilt since; for a time-partitioned upstream,
  the partitions it recorded reading).

A data time depends only on the materialization it is computed for, so it is computed
once per materialization and kept in the cursor ``automation/data_times``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from assetgraph.automation.state import AssetState
from assetgraph.automation.tags import TIME_TAG
from assetgraph.keys import AssetKey
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.events import Materialized

DATA_TIMES_CURSOR = "automation/data_times"


class DataTimes:
    """Data times of assets for one tick, memoized per materialization event."""

    def __init__(self, state: AssetState, cache: dict[str, list[Any]] | None = None) -> None:
        self.state = state
        self.graph = state.graph
        # Asset key string -> [event id, data time] of materializations computed before.
        self.cache: dict[str, list[Any]] = dict(cache or {})
        self._memo: dict[tuple[AssetKey, int], float | None] = {}
        self._tick_times: dict[str, float | None] = {}
        self._payloads: dict[int, dict[str, Any]] = {}

    @classmethod
    def from_cursor(cls, state: AssetState, text: str | None) -> DataTimes:
        cache: dict[str, list[Any]] = {}
        if text:
            try:
                loaded = json.loads(text)
                cache = loaded.get("assets", {}) if isinstance(loaded, dict) else {}
            except ValueError:
                cache = {}
        return cls(state, cache)

    def to_cursor(self) -> str:
        return json.dumps({"v": 1, "assets": self.cache}, separators=(",", ":"))

    # -- current data times ---------------------------------------------------------------

    def current(self, key: AssetKey) -> float | None:
        """The data time of the asset's current materialization(s); None: no data."""
        pdef = self.state.pdef(key)
        if isinstance(pdef, TimeWindowPartitionsDefinition):
            return _contiguous_end(pdef, self.state.materialized(key).key_ranges)
        rows = self.state.rows(key)
        if pdef is UNPARTITIONED:
            row = rows.get(0)
            if row is None or row.event_id is None:
                return None
            return self.of_event(key, row.event_id, row.run_id, row.timestamp)
        # Other partitioned assets: every partition must exist; the oldest one counts.
        if len(self.state.materialized(key)) < len(self.state.all(key)) or not rows:
            return None
        oldest = min(
            (row for row in rows.values() if row.event_id is not None),
            key=lambda row: row.event_id or 0,
        )
        return self.of_event(key, oldest.event_id or 0, oldest.run_id, oldest.timestamp)

    def of_event(
        self, key: AssetKey, event_id: int, run_id: str | None, timestamp: float | None
    ) -> float | None:
        """The data time of one materialization of an unpartitioned (or non-time) asset."""
        memo = self._memo.get((key, event_id), math.nan)
        if memo is None or not math.isnan(memo):
            return memo
        name = key.to_string()
        cached = self.cache.get(name)
        if cached is not None and cached[0] == event_id:
            result: float | None = cached[1]
        else:
            result = self._compute(key, event_id, run_id, timestamp)
            self.cache[name] = [event_id, result]
        self._memo[(key, event_id)] = result
        return result

    def _compute(
        self, key: AssetKey, event_id: int, run_id: str | None, timestamp: float | None
    ) -> float | None:
        parents = list(self.graph.parents(key))
        if not parents or self.graph.is_source(key):
            tick_time = self.tick_time(run_id)
            return tick_time if tick_time is not None else timestamp
        self.state.load(parents)
        oldest = math.inf
        for parent in parents:
            read = self._read_time(parent, key, event_id)
            if read is None:
                return None
            oldest = min(oldest, read)
        return oldest

    def _read_time(self, parent: AssetKey, child: AssetKey, child_event: int) -> float | None:
        """The data time of ``parent`` as the materialization ``child_event`` read it."""
        pdef = self.state.pdef(parent)
        if isinstance(pdef, TimeWindowPartitionsDefinition):
            read = self._partitions_read(parent, child_event)
            if read is None:  # not recorded: the partitions materialized before it
                read = [
                    i
                    for i, row in self.state.rows(parent).items()
                    if row.event_id is not None and row.event_id < child_event
                ]
            return _contiguous_end(pdef, self.state.subset(parent, read).key_ranges)
        if pdef is not UNPARTITIONED:
            return self.current(parent)
        row = self.state.rows(parent).get(0)
        if row is not None and row.event_id is not None and row.event_id < child_event:
            return self.of_event(parent, row.event_id, row.run_id, row.timestamp)
        before = self.state.store.materialization_before(parent.to_string(), child_event)
        if before is None:
            return None
        return self.of_event(parent, before.event_id, before.run_id, before.timestamp)

    def _partitions_read(self, parent: AssetKey, child_event: int) -> list[int] | None:
        payload = self._payloads.get(child_event)
        if payload is None:
            payload = self.state.store.event_payloads([child_event]).get(child_event, {})
            self._payloads[child_event] = payload
        versions = Materialized.from_payload(payload).read_partitions(parent.to_string())
        if versions is None:
            return None
        keys = [key for key in versions if key]
        pdef = self.state.pdef(parent)
        indices: list[int] = []
        for partition in keys:
            index = getattr(pdef, "index_for_key", lambda _k: None)(partition)
            if index is not None:
                indices.append(index)
        return indices

    def tick_time(self, run_id: str | None) -> float | None:
        """The tick time of an automation run (its tag), read for many runs at once."""
        if run_id is None:
            return None
        if run_id not in self._tick_times:
            wanted = {run_id}
            for key, rows in self.state._rows.items():
                if not list(self.graph.parents(key)):
                    wanted.update(row.run_id for row in rows.values() if row.run_id)
            wanted -= set(self._tick_times)
            found = self.state.store.tag_values(wanted, TIME_TAG)
            for rid in wanted:
                text = found.get(rid)
                self._tick_times[rid] = float(text) if text else None
        return self._tick_times[run_id]


def _contiguous_end(
    pdef: TimeWindowPartitionsDefinition, ranges: tuple[range, ...]
) -> float | None:
    """The end of the run of partitions from the first one (None: the first is missing)."""
    if not ranges or ranges[0].start > 0:
        return None
    return float(pdef.start_ts(ranges[0].stop))
