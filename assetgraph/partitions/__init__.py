"""Partitions definitions, partition keys, key ranges and subsets, and partition mappings.

Everything here is a leaf of assetgraph: it imports the standard library, ``zoneinfo``,
``assetgraph.errors`` and (lazily, for unusual cron schedules) ``cronsim``.
"""

from assetgraph.partitions.compatibility import check_compatible, default_partition_mapping
from assetgraph.partitions.definitions import (
    DynamicPartitionsDefinition,
    DynamicPartitionsStore,
    InMemoryDynamicPartitionsStore,
    PartitionsDefinition,
    StaticPartitionsDefinition,
    validate_partition_key,
)
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.mappings import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    LastPartitionMapping,
    MultiToSingleDimensionPartitionMapping,
    PartitionMapping,
    StaticPartitionMapping,
    TimeWindowPartitionMapping,
)
from assetgraph.partitions.multi import MultiPartitionKey, MultiPartitionsDefinition
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.partitions.time_window import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    TimeWindow,
    TimeWindowPartitionsDefinition,
    WeeklyPartitionsDefinition,
)

__all__ = [
    "AllPartitionMapping",
    "DailyPartitionsDefinition",
    "DynamicPartitionsDefinition",
    "DynamicPartitionsStore",
    "HourlyPartitionsDefinition",
    "IdentityPartitionMapping",
    "InMemoryDynamicPartitionsStore",
    "LastPartitionMapping",
    "MonthlyPartitionsDefinition",
    "MultiPartitionKey",
    "MultiPartitionsDefinition",
    "MultiToSingleDimensionPartitionMapping",
    "PartitionKeyRange",
    "PartitionMapping",
    "PartitionsDefinition",
    "PartitionsSubset",
    "StaticPartitionMapping",
    "StaticPartitionsDefinition",
    "TimeWindow",
    "TimeWindowPartitionMapping",
    "TimeWindowPartitionsDefinition",
    "WeeklyPartitionsDefinition",
    "check_compatible",
    "default_partition_mapping",
    "validate_partition_key",
]
