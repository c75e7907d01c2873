"""assetgraph: assets from parameter names, partitioned materialization, staleness, freshness.

This module is the whole public API. Names are resolved on first use, so that
``import assetgraph`` stays cheap; anything not listed in ``__all__`` may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "AssetKey": "assetgraph.keys",
    "RetryPolicy": "assetgraph.retry",
    "ExecutionOptions": "assetgraph.execution.materialize",
    "stale_status": "assetgraph.staleness",
    "StaleCause": "assetgraph.staleness",
    "AssetStaleness": "assetgraph.staleness",
    "StalenessReport": "assetgraph.staleness",
    "asset": "assetgraph.assets",
    "multi_asset": "assetgraph.assets",
    "AssetIn": "assetgraph.assets",
    "AssetOut": "assetgraph.assets",
    "AssetSpec": "assetgraph.assets",
    "AssetsDefinition": "assetgraph.assets",
    "SourceAsset": "assetgraph.source_assets",
    "observable_source_asset": "assetgraph.source_assets",
    "ObserveResult": "assetgraph.source_assets",
    "observe": "assetgraph.observe",
    "ObservationRun": "assetgraph.observe",
    "asset_check": "assetgraph.checks",
    "AssetCheckResult": "assetgraph.checks",
    "AssetCheckSeverity": "assetgraph.checks",
    "AssetChecksDefinition": "assetgraph.checks",
    "BackfillPolicy": "assetgraph.backfill",
    "FreshnessPolicy": "assetgraph.automation.policies",
    "AutomationPolicy": "assetgraph.automation.policies",
    "ScheduleDefinition": "assetgraph.automation.schedules",
    "sensor": "assetgraph.automation.sensors",
    "SensorDefinition": "assetgraph.automation.sensors",
    "RunRequest": "assetgraph.automation.sensors",
    "SkipReason": "assetgraph.automation.sensors",
    "SensorEvaluationContext": "assetgraph.automation.sensors",
    "Definitions": "assetgraph.definitions",
    "AssetGraph": "assetgraph.graph",
    "load_definitions": "assetgraph.code_location",
    "Config": "assetgraph.config",
    "ConfigurableResource": "assetgraph.config",
    "Output": "assetgraph.outputs",
    "DataVersion": "assetgraph.outputs",
    "AssetExecutionContext": "assetgraph.context",
    "IOManager": "assetgraph.io",
    "InputContext": "assetgraph.io",
    "OutputContext": "assetgraph.io",
    "PartitionsDefinition": "assetgraph.partitions.definitions",
    "StaticPartitionsDefinition": "assetgraph.partitions.definitions",
    "DynamicPartitionsDefinition": "assetgraph.partitions.definitions",
    "TimeWindowPartitionsDefinition": "assetgraph.partitions.time_window",
    "HourlyPartitionsDefinition": "assetgraph.partitions.time_window",
    "DailyPartitionsDefinition": "assetgraph.partitions.time_window",
    "WeeklyPartitionsDefinition": "assetgraph.partitions.time_window",
    "MonthlyPartitionsDefinition": "assetgraph.partitions.time_window",
    "TimeWindow": "assetgraph.partitions.time_window",
    "MultiPartitionsDefinition": "assetgraph.partitions.multi",
    "MultiPartitionKey": "assetgraph.partitions.multi",
    "PartitionKeyRange": "assetgraph.partitions.key_range",
    "PartitionsSubset": "assetgraph.partitions.subset",
    "PartitionMapping": "assetgraph.partitions.mappings",
    "IdentityPartitionMapping": "assetgraph.partitions.mappings",
    "TimeWindowPartitionMapping": "assetgraph.partitions.mappings",
    "AllPartitionMapping": "assetgraph.partitions.mappings",
    "LastPartitionMapping": "assetgraph.partitions.mappings",
    "StaticPartitionMapping": "assetgraph.partitions.mappings",
    "MultiToSingleDimensionPartitionMapping": "assetgraph.partitions.mappings",
    "select_assets": "assetgraph.selection",
    "ExecutionPlan": "assetgraph.planner",
    "PartitionSelection": "assetgraph.planner",
    "materialize": "assetgraph.execution.materialize",
    "MaterializeResult": "assetgraph.execution.result",
    "Instance": "assetgraph.storage.instance",
    "RunStatus": "assetgraph.storage.records",
    "AssetgraphError": "assetgraph.errors",
    "DefinitionError": "assetgraph.errors",
    "CodeLocationLoadError": "assetgraph.errors",
    "UsageError": "assetgraph.errors",
    "SelectionError": "assetgraph.errors",
    "RunConfigError": "assetgraph.errors",
    "ResourceError": "assetgraph.errors",
    "StepFailure": "assetgraph.errors",
    "RunFailure": "assetgraph.errors",
    "StorageError": "assetgraph.errors",
}

__all__ = [
    "AllPartitionMapping",
    "AssetCheckResult",
    "AssetCheckSeverity",
    "AssetChecksDefinition",
    "AssetExecutionContext",
    "AssetGraph",
    "AssetIn",
    "AssetKey",
    "AssetOut",
    "AssetSpec",
    "AssetStaleness",
    "AssetgraphError",
    "AssetsDefinition",
    "AutomationPolicy",
    "BackfillPolicy",
    "CodeLocationLoadError",
    "Config",
    "ConfigurableResource",
    "DailyPartitionsDefinition",
    "DataVersion",
    "DefinitionError",
    "Definitions",
    "DynamicPartitionsDefinition",
    "ExecutionOptions",
    "ExecutionPlan",
    "FreshnessPolicy",
    "HourlyPartitionsDefinition",
    "IOManager",
    "IdentityPartitionMapping",
    "InputContext",
    "Instance",
    "LastPartitionMapping",
    "MaterializeResult",
    "MonthlyPartitionsDefinition",
    "MultiPartitionKey",
    "MultiPartitionsDefinition",
    "MultiToSingleDimensionPartitionMapping",
    "ObservationRun",
    "ObserveResult",
    "Output",
    "OutputContext",
    "PartitionKeyRange",
    "PartitionMapping",
    "PartitionSelection",
    "PartitionsDefinition",
    "PartitionsSubset",
    "ResourceError",
    "RetryPolicy",
    "RunConfigError",
    "RunFailure",
    "RunRequest",
    "RunStatus",
    "ScheduleDefinition",
    "SelectionError",
    "SensorDefinition",
    "SensorEvaluationContext",
    "SkipReason",
    "SourceAsset",
    "StaleCause",
    "StalenessReport",
    "StaticPartitionMapping",
    "StaticPartitionsDefinition",
    "StepFailure",
    "StorageError",
    "TimeWindow",
    "TimeWindowPartitionMapping",
    "TimeWindowPartitionsDefinition",
    "UsageError",
    "WeeklyPartitionsDefinition",
    "asset",
    "asset_check",
    "load_definitions",
    "materialize",
    "multi_asset",
    "observable_source_asset",
    "observe",
    "select_assets",
    "sensor",
    "stale_status",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assetgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from assetgraph.assets import (
        AssetIn as AssetIn,
        AssetOut as AssetOut,
        AssetsDefinition as AssetsDefinition,
        AssetSpec as AssetSpec,
        asset as asset,
        multi_asset as multi_asset,
    )
    from assetgraph.automation.policies import (
        AutomationPolicy as AutomationPolicy,
        FreshnessPolicy as FreshnessPolicy,
    )
    from assetgraph.automation.schedules import (
        ScheduleDefinition as ScheduleDefinition,
    )
    from assetgraph.automation.sensors import (
        RunRequest as RunRequest,
        SensorDefinition as SensorDefinition,
        SensorEvaluationContext as SensorEvaluationContext,
        SkipReason as SkipReason,
        sensor as sensor,
    )
    from assetgraph.backfill import (
        BackfillPolicy as BackfillPolicy,
    )
    from assetgraph.checks import (
        AssetCheckResult as AssetCheckResult,
        AssetChecksDefinition as AssetChecksDefinition,
        AssetCheckSeverity as AssetCheckSeverity,
        asset_check as asset_check,
    )
    from assetgraph.code_location import (
        load_definitions as load_definitions,
    )
    from assetgraph.config import (
        Config as Config,
        ConfigurableResource as ConfigurableResource,
    )
    from assetgraph.context import (
        AssetExecutionContext as AssetExecutionContext,
    )
    from assetgraph.definitions import (
        Definitions as Definitions,
    )
    from assetgraph.errors import (
        AssetgraphError as AssetgraphError,
        CodeLocationLoadError as CodeLocationLoadError,
        DefinitionError as DefinitionError,
        ResourceError as ResourceError,
        RunConfigError as RunConfigError,
        RunFailure as RunFailure,
        SelectionError as SelectionError,
        StepFailure as StepFailure,
        StorageError as StorageError,
        UsageError as UsageError,
    )
    from assetgraph.execution.materialize import (
        ExecutionOptions as ExecutionOptions,
        materialize as materialize,
    )
    from assetgraph.execution.result import (
        MaterializeResult as MaterializeResult,
    )
    from assetgraph.graph import (
        AssetGraph as AssetGraph,
    )
    from assetgraph.io import (
        InputContext as InputContext,
        IOManager as IOManager,
        OutputContext as OutputContext,
    )
    from assetgraph.keys import (
        AssetKey as AssetKey,
    )
    from assetgraph.observe import (
        ObservationRun as ObservationRun,
        observe as observe,
    )
    from assetgraph.outputs import (
        DataVersion as DataVersion,
        Output as Output,
    )
    from assetgraph.partitions.definitions import (
        DynamicPartitionsDefinition as DynamicPartitionsDefinition,
        PartitionsDefinition as PartitionsDefinition,
        StaticPartitionsDefinition as StaticPartitionsDefinition,
    )
    from assetgraph.partitions.key_range import (
        PartitionKeyRange as PartitionKeyRange,
    )
    from assetgraph.partitions.mappings import (
        AllPartitionMapping as AllPartitionMapping,
        IdentityPartitionMapping as IdentityPartitionMapping,
        LastPartitionMapping as LastPartitionMapping,
        MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
        PartitionMapping as PartitionMapping,
        StaticPartitionMapping as StaticPartitionMapping,
        TimeWindowPartitionMapping as TimeWindowPartitionMapping,
    )
    from assetgraph.partitions.multi import (
        MultiPartitionKey as MultiPartitionKey,
        MultiPartitionsDefinition as MultiPartitionsDefinition,
    )
    from assetgraph.partitions.subset import (
        PartitionsSubset as PartitionsSubset,
    )
    from assetgraph.partitions.time_window import (
        DailyPartitionsDefinition as DailyPartitionsDefinition,
        HourlyPartitionsDefinition as HourlyPartitionsDefinition,
        MonthlyPartitionsDefinition as MonthlyPartitionsDefinition,
        TimeWindow as TimeWindow,
        TimeWindowPartitionsDefinition as TimeWindowPartitionsDefinition,
        WeeklyPartitionsDefinition as WeeklyPartitionsDefinition,
    )
    from assetgraph.planner import (
        ExecutionPlan as ExecutionPlan,
        PartitionSelection as PartitionSelection,
    )
    from assetgraph.retry import RetryPolicy as RetryPolicy
    from assetgraph.selection import (
        select_assets as select_assets,
    )
    from assetgraph.source_assets import (
        ObserveResult as ObserveResult,
        SourceAsset as SourceAsset,
        observable_source_asset as observable_source_asset,
    )
    from assetgraph.storage.instance import (
        Instance as Instance,
    )
    from assetgraph.storage.records import (
        RunStatus as RunStatus,
    )
