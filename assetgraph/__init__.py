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
    "RetryPolicy": "assetgraph.definitions.retry",
    "ExecutionOptions": "assetgraph.execution.materialize",
    "stale_status": "assetgraph.status.staleness",
    "StaleCause": "assetgraph.status.staleness",
    "AssetStaleness": "assetgraph.status.staleness",
    "StalenessReport": "assetgraph.status.staleness",
    "asset": "assetgraph.definitions.assets",
    "multi_asset": "assetgraph.definitions.assets",
    "AssetIn": "assetgraph.definitions.assets",
    "AssetOut": "assetgraph.definitions.assets",
    "AssetSpec": "assetgraph.definitions.assets",
    "AssetsDefinition": "assetgraph.definitions.assets",
    "SourceAsset": "assetgraph.definitions.source_assets",
    "observable_source_asset": "assetgraph.definitions.source_assets",
    "ObserveResult": "assetgraph.definitions.source_assets",
    "observe": "assetgraph.execution.observe",
    "ObservationRun": "assetgraph.execution.observe",
    "asset_check": "assetgraph.definitions.checks",
    "AssetCheckResult": "assetgraph.definitions.checks",
    "AssetCheckSeverity": "assetgraph.definitions.checks",
    "AssetChecksDefinition": "assetgraph.definitions.checks",
    "BackfillPolicy": "assetgraph.definitions.backfill",
    "FreshnessPolicy": "assetgraph.automation.policies",
    "AutomationPolicy": "assetgraph.automation.policies",
    "ScheduleDefinition": "assetgraph.automation.schedules",
    "sensor": "assetgraph.automation.sensors",
    "SensorDefinition": "assetgraph.automation.sensors",
    "RunRequest": "assetgraph.automation.sensors",
    "SkipReason": "assetgraph.automation.sensors",
    "SensorEvaluationContext": "assetgraph.automation.sensors",
    "Definitions": "assetgraph.definitions.definitions",
    "AssetGraph": "assetgraph.graph",
    "load_definitions": "assetgraph.definitions.code_location",
    "Config": "assetgraph.definitions.config",
    "ConfigurableResource": "assetgraph.definitions.config",
    "Output": "assetgraph.definitions.outputs",
    "DataVersion": "assetgraph.definitions.outputs",
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
    "ExecutionPlan": "assetgraph.planning.planner",
    "PartitionSelection": "assetgraph.planning.planner",
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
    from assetgraph.context import (
        AssetExecutionContext as AssetExecutionContext,
    )
    from assetgraph.definitions.assets import (
        AssetIn as AssetIn,
        AssetOut as AssetOut,
        AssetsDefinition as AssetsDefinition,
        AssetSpec as AssetSpec,
        asset as asset,
        multi_asset as multi_asset,
    )
    from assetgraph.definitions.backfill import (
        BackfillPolicy as BackfillPolicy,
    )
    from assetgraph.definitions.checks import (
        AssetCheckResult as AssetCheckResult,
        AssetChecksDefinition as AssetChecksDefinition,
        AssetCheckSeverity as AssetCheckSeverity,
        asset_check as asset_check,
    )
    from assetgraph.definitions.code_location import (
        load_definitions as load_definitions,
    )
    from assetgraph.definitions.config import (
        Config as Config,
        ConfigurableResource as ConfigurableResource,
    )
    from assetgraph.definitions.definitions import (
        Definitions as Definitions,
    )
    from assetgraph.definitions.outputs import (
        DataVersion as DataVersion,
        Output as Output,
    )
    from assetgraph.definitions.retry import RetryPolicy as RetryPolicy
    from assetgraph.definitions.source_assets import (
        ObserveResult as ObserveResult,
        SourceAsset as SourceAsset,
        observable_source_asset as observable_source_asset,
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
    from assetgraph.execution.observe import (
        ObservationRun as ObservationRun,
        observe as observe,
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
    from assetgraph.planning.planner import (
        ExecutionPlan as ExecutionPlan,
        PartitionSelection as PartitionSelection,
    )
    from assetgraph.selection import (
        select_assets as select_assets,
    )
    from assetgraph.storage.instance import (
        Instance as Instance,
    )
    from assetgraph.storage.records import (
        RunStatus as RunStatus,
    )
