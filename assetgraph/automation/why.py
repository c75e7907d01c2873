"""``automate why``: what the recorded ticks concluded for one asset, or one partition.

Each tick records, per asset it looked at, what it requested, the reasons and the notes on
what it left out, and (for partitioned assets) which partitions each reason or note is
about. For one partition, only the lines that concern it are kept, so a roll-up partition
shows exactly what it waits for ("waiting 2025-01-02: for 22 of 24 upstream readings
partitions; 20 requested this tick").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.storage.automation_store import AutomationStore, TickRow


def why_rows(
    store: AutomationStore,
    asset: str,
    *,
    limit: int = 5,
    partition: str | None = None,
    defs: Definitions | None = None,
) -> list[dict[str, Any]]:
    """One row per recent tick (newest first): evaluated, requested, reasons, skip notes,
    runs; with ``partition`` (which needs ``defs``), only what concerns that partition."""
    key = AssetKey.from_user(asset)
    name = key.to_string()
    if partition is not None:
        _check_partition(defs, key, partition)
    rows = []
    for tick in store.list_ticks(limit):
        entry = tick.payload.get("assets", {}).get(name)
        runs = [r for r in tick.payload.get("runs", []) if name in (r.get("targets") or {})]
        row: dict[str, Any] = {
            "tick_id": tick.tick_id,
            "evaluated_at": datetime.fromtimestamp(tick.evaluated_at, tz=UTC).isoformat(),
            "evaluated": entry is not None,
            "requested": None if entry is None else entry.get("requested"),
            "reasons": [] if entry is None else entry.get("reasons", []),
            "skipped": [] if entry is None else entry.get("skipped", []),
            "runs": [r.get("run_id") or r.get("request_id") for r in runs],
            "condition": None if entry is None else entry.get("condition"),
        }
        if partition is not None and entry is not None:
            assert defs is not None
            _keep_partition(row, entry, runs, _Member(defs, store, key, tick), partition)
        rows.append(row)
    return rows


def full_condition(
    store: AutomationStore,
    name: str,
    recorded: dict[str, Any] | None,
    holders: dict[float, TickRow | None] | None = None,
) -> dict[str, Any] | None:
    """Asset ``name``'s recorded condition tree; one a tick stored as "same as the tick at
    T" (to keep ticks small) is read from that tick. ``holders`` keeps the ticks read, by
    time, for a caller that resolves many trees (each tick is read once)."""
    if not recorded or "same_as" not in recorded:
        return recorded
    at = float(recorded["same_as"])
    holders = {} if holders is None else holders
    if at not in holders:
        holders[at] = store.latest_tick_evaluated_at(at)
    holder = holders[at]
    found = None if holder is None else holder.payload.get("assets", {}).get(name, {})
    tree = None if found is None else found.get("condition")
    if not tree or "tree" not in tree:
        return {**recorded, "missing": "the tick that recorded it is no longer kept"}
    return {**tree, "initial": False, "same_as": recorded["same_as"]}


def _check_partition(defs: Definitions | None, key: AssetKey, partition: str) -> None:
    if defs is None:
        raise UsageError("--partition needs the definitions: pass -f FILE or -m MODULE.")
    if not defs.graph.has(key):
        raise UsageError(f"Unknown asset '{key}': see 'assetgraph list' for the asset keys.")
    if defs.graph.partitions_def(key) is None:
        raise UsageError(f"Asset '{key}' is not partitioned: leave out --partition.")


class _Member:
    """Whether a partition key is in a recorded list of ranges, as the tick saw them."""

    def __init__(
        self, defs: Definitions, store: AutomationStore, key: AssetKey, tick: TickRow
    ) -> None:
        from assetgraph.automation.state import AssetState

        self.key = key
        self.state = AssetState(
            defs.graph, store, datetime.fromtimestamp(tick.evaluated_at, tz=UTC)
        )

    def contains(self, ranges: list[str], partition: str) -> bool:
        from assetgraph.automation.state import subset_from_json

        return partition in subset_from_json(self.state, self.key, ranges)


def _keep_partition(
    row: dict[str, Any],
    entry: dict[str, Any],
    runs: list[dict[str, Any]],
    member: _Member,
    partition: str,
) -> None:
    about: dict[str, list[str]] = entry.get("partitions", {})

    def concerns(text: str) -> bool:
        ranges = about.get(text)
        return ranges is None or member.contains(ranges, partition)

    requested = row["requested"]
    row["partition"] = partition
    row["requested"] = (
        [partition] if requested is not None and member.contains(requested, partition) else None
    )
    row["reasons"] = [text for text in row["reasons"] if concerns(text)]
    row["skipped"] = [text for text in row["skipped"] if concerns(text)]
    row["runs"] = [
        r.get("run_id") or r.get("request_id")
        for r in runs
        if member.contains(r["targets"][member.key.to_string()], partition)
    ]
