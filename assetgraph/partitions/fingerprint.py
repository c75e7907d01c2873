"""Fingerprints of the index space of a partitions definition.

Partition status is kept in the metadata database as ranges of partition indices. Those
indices mean something only for the definition that numbered them: the fingerprint names
what fixes the position of every key, so that another fingerprint means "recompute the
ranges" and the same fingerprint means "the stored indices still point at the same keys".

What the index of a key depends on:

- time windows: the cron schedule, the time zone, the key format and the first window
  (from ``start``); not ``end`` nor ``end_offset``, which only change how many exist;
- static: the keys, in order;
- dynamic: the name and its generation; keys are added at the end, and deleting a key
  (which moves the later ones down) bumps the generation;
- multi-dimensional: indices are row-major over the dimension sizes, so each dimension's
  fingerprint and its current size (a dimension that grows moves every index).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from assetgraph.partitions.definitions import (
    DynamicPartitionsDefinition,
    DynamicPartitionsStore,
    PartitionsDefinition,
    StaticPartitionsDefinition,
    now_utc,
)
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition

_VERSION = 1
"""Bumped whenever the numbering of a kind of definition changes."""


def status_fingerprint(
    pdef: PartitionsDefinition,
    current_time: datetime | None = None,
    store: DynamicPartitionsStore | None = None,
) -> str:
    """A 64-character hex digest that changes whenever a key of ``pdef`` may change index.

    ``current_time`` and ``store`` matter only for multi-dimensional definitions, whose
    dimension sizes are part of their numbering.
    """
    identity = [_VERSION, _identity(pdef, current_time or now_utc(), store)]
    text = json.dumps(identity, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _identity(
    pdef: PartitionsDefinition, current_time: datetime, store: DynamicPartitionsStore | None
) -> list[Any]:
    if isinstance(pdef, TimeWindowPartitionsDefinition):
        found: list[Any] = ["time", pdef.cron_schedule, pdef.tz.key, pdef.fmt, pdef.start_ts(0)]
        if pdef.exclusions:  # kept ticks are numbered: an exclusion moves later keys
            found.append([e if isinstance(e, str) else e.isoformat() for e in pdef.exclusions])
        return found
    if isinstance(pdef, StaticPartitionsDefinition):
        return ["static", list(pdef.keys)]
    if isinstance(pdef, DynamicPartitionsDefinition):
        generation = getattr(store, "dynamic_partitions_generation", None)
        return ["dynamic", pdef.name, int(generation(pdef.name)) if callable(generation) else 0]
    if isinstance(pdef, MultiPartitionsDefinition):
        return [
            "multi",
            [
                [name, _identity(dimension, current_time, store), size]
                for (name, dimension), size in zip(
                    pdef.partitions_defs.items(),
                    pdef.radices(current_time, store),
                    strict=True,
                )
            ],
        ]
    # A definition of another kind: nothing says what fixes its numbering, so any change
    # of its description or of its size starts over.
    kind = type(pdef)
    return [
        "other",
        kind.__module__,
        kind.__qualname__,
        repr(pdef),
        pdef.count(current_time, store),
    ]
