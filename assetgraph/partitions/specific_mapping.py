"""``SpecificPartitionsPartitionMapping``: every downstream partition reads the same few
upstream partitions, named by key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from assetgraph.errors import DefinitionError
from assetgraph.partitions.definitions import (
    DynamicPartitionsStore,
    PartitionsDefinition,
    StaticPartitionsDefinition,
)
from assetgraph.partitions.mappings import PartitionMapping, _context
from assetgraph.partitions.subset import PartitionsSubset


@dataclass(frozen=True, slots=True, init=False)
class SpecificPartitionsPartitionMapping(PartitionMapping):
    """Each downstream partition reads the upstream partitions ``partition_keys``.

    As in Dagster: a change to any of those upstream partitions affects every downstream
    partition; the other upstream partitions affect none.
    """

    partition_keys: tuple[str, ...]

    def __init__(self, partition_keys: Sequence[str]) -> None:
        if isinstance(partition_keys, str) or not partition_keys:
            raise DefinitionError(
                "SpecificPartitionsPartitionMapping(partition_keys=...) takes a non-empty list "
                f"of upstream partition keys, got {partition_keys!r}."
            )
        keys = tuple(dict.fromkeys(str(k) for k in partition_keys))
        object.__setattr__(self, "partition_keys", keys)

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """The upstream must be partitioned; static upstream keys must exist."""
        if upstream_def is None:
            return f"{self!r} needs the upstream asset to be partitioned"
        if isinstance(upstream_def, StaticPartitionsDefinition):
            unknown = [k for k in self.partition_keys if k not in upstream_def._index]
            if unknown:
                return f"upstream keys {unknown[:5]} of the mapping are not in {upstream_def!r}"
        return None

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The named upstream partitions, if any downstream partition is asked for."""
        now, store = _context(downstream_subset, current_time, dynamic_partitions_store)
        if not downstream_subset:
            return PartitionsSubset.empty(upstream_def)
        return upstream_def.subset_for_keys(self.partition_keys, now, store)

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Every downstream partition when a named upstream partition is in the subset."""
        now, store = _context(upstream_subset, current_time, dynamic_partitions_store)
        if any(key in upstream_subset for key in self.partition_keys):
            return PartitionsSubset.all(downstream_def, now, store)
        return PartitionsSubset.empty(downstream_def)
