"""Which self-dependencies an asset may declare: its own earlier time partitions only.

As in Dagster, a time-partitioned asset may read its own partitions through a
``TimeWindowPartitionMapping`` whose offsets are both negative (each partition reads
strictly earlier ones, so the partitions still form a chain without cycles). Any other
self-dependency is a definition error.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assetgraph.errors import DefinitionError
from assetgraph.partitions.definitions import PartitionsDefinition
from assetgraph.partitions.mappings import TimeWindowPartitionMapping
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition


def self_dependency_mapping(
    asset: str, where: str, partitions_def: PartitionsDefinition | None, mapping: Any
) -> TimeWindowPartitionMapping:
    """The mapping by which ``asset`` reads its own earlier partitions, or a
    DefinitionError that says what a self-dependency needs.

    The result reads only the earlier partitions that exist: the first partition reads
    none (its input is None), as in Dagster.
    """
    problem = _problem(partitions_def, mapping)
    if problem is not None:
        raise DefinitionError(
            f"Asset '{asset}' ({where}) depends on itself, but {problem}. An asset may read "
            "only its own earlier partitions: give it a time-window partitions_def (e.g. "
            "DailyPartitionsDefinition) and that input partition_mapping="
            "TimeWindowPartitionMapping(start_offset=-1, end_offset=-1) (any negative "
            "offsets); otherwise remove the dependency on itself."
        )
    assert isinstance(mapping, TimeWindowPartitionMapping)
    return replace(mapping, allow_nonexistent_upstream_partitions=True)


def _problem(partitions_def: PartitionsDefinition | None, mapping: Any) -> str | None:
    if not isinstance(partitions_def, TimeWindowPartitionsDefinition):
        if partitions_def is None:
            return "it is not partitioned"
        return f"its partitions_def {partitions_def!r} is not a time-window one"
    if mapping is None:
        return "it gives no partition_mapping (each partition would read itself)"
    if not isinstance(mapping, TimeWindowPartitionMapping):
        return f"its partition_mapping is {mapping!r}, not a TimeWindowPartitionMapping"
    if mapping.start_offset >= 0 or mapping.end_offset >= 0:
        return (
            f"its {mapping!r} reads the current or later partitions (both offsets must be negative)"
        )
    return None
