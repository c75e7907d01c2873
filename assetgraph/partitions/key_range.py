"""``PartitionKeyRange``: the first and last key of a contiguous run of partitions."""

from __future__ import annotations

from typing import NamedTuple


class PartitionKeyRange(NamedTuple):
    """The partitions from ``start`` to ``end``, both included, in definition order.

    A named tuple, as Dagster's is: ``start, end = context.partition_key_range`` works.
    """

    start: str
    end: str

    def __str__(self) -> str:
        return f"{self.start}...{self.end}"
