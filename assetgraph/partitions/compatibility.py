"""Which partition mapping joins two assets by default, and whether a mapping fits them."""

from __future__ import annotations

from assetgraph.errors import DefinitionError
from assetgraph.partitions.definitions import PartitionsDefinition
from assetgraph.partitions.mappings import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    MultiToSingleDimensionPartitionMapping,
    PartitionMapping,
    TimeWindowPartitionMapping,
)
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition


def _default_or_problem(
    upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
) -> PartitionMapping | str | None:
    if upstream_def is None and downstream_def is None:
        return None
    if upstream_def is None or downstream_def is None:
        return AllPartitionMapping()
    if upstream_def == downstream_def:
        return IdentityPartitionMapping()
    if isinstance(upstream_def, TimeWindowPartitionsDefinition) and isinstance(
        downstream_def, TimeWindowPartitionsDefinition
    ):
        return TimeWindowPartitionMapping()
    up_multi = isinstance(upstream_def, MultiPartitionsDefinition)
    if up_multi != isinstance(downstream_def, MultiPartitionsDefinition):
        mapping = MultiToSingleDimensionPartitionMapping()
        problem = mapping.problem(upstream_def, downstream_def)
        return mapping if problem is None else problem
    return f"{upstream_def!r} and {downstream_def!r} differ and no default mapping joins them"


def default_partition_mapping(
    upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
) -> PartitionMapping | None:
    """The mapping used when an input names none; None when neither asset is partitioned.

    Upstream partitioned and downstream not (or the reverse): ``AllPartitionMapping`` (an
    unpartitioned upstream is read whole). Equal definitions: identity. Two time-window
    definitions: ``TimeWindowPartitionMapping()`` (overlapping windows). Multi and one of its
    dimensions: ``MultiToSingleDimensionPartitionMapping``. Otherwise ``DefinitionError``.
    """
    found = _default_or_problem(upstream_def, downstream_def)
    if isinstance(found, str):
        raise DefinitionError(f"No default partition mapping: {found}.")
    return found


def check_compatible(
    upstream_name: str,
    upstream_def: PartitionsDefinition | None,
    downstream_name: str,
    downstream_def: PartitionsDefinition | None,
    mapping: PartitionMapping | None = None,
) -> PartitionMapping | None:
    """The mapping to use between two assets; ``DefinitionError`` naming both if none fits."""
    if mapping is None:
        found = _default_or_problem(upstream_def, downstream_def)
        if not isinstance(found, str):
            return found
        problem = found
        hint = (
            " Give the input a partition_mapping (StaticPartitionMapping, "
            "TimeWindowPartitionMapping, AllPartitionMapping, ...)."
        )
    else:
        problem_or_none = mapping.problem(upstream_def, downstream_def)
        if problem_or_none is None:
            return mapping
        problem, hint = problem_or_none, ""
    raise DefinitionError(
        f"Asset {downstream_name!r} (partitions: {downstream_def!r}) reads asset "
        f"{upstream_name!r} (partitions: {upstream_def!r}), but their partitions do not "
        f"match: {problem}.{hint}"
    )
