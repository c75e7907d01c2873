"""``PartitionKeyRange``: the first and last key of a contiguous run of partitions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PartitionKeyRange:
    """The partitions from ``start`` to ``end``, both included, in definition order."""

    start: str
    end: str

    def __str__(self) -> str:
        return f"{self.start}...{self.end}"
