"""assetgraph: assets from parameter names, partitioned materialization, staleness, freshness.

This module is the whole public API. Names are resolved on first use, so that
``import assetgraph`` stays cheap; anything not listed in ``__all__`` may change.
"""

from __future__ import annotations

import importlib
import sys
import types
import typing
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "AssetKey": "assetgraph.keys",
    "RetryPolicy": "assetgraph.definitions.retry",
    "Backoff": "assetgraph.definitions.retry",
    "Jitter": "assetgraph.definitions.retry",
    "ExecutionOptions": "assetgraph.execution.materialize",
    "stale_status": "assetgraph.status.staleness",
    "StaleCause": "assetgraph.status.staleness",
    "AssetStaleness": "assetgraph.status.staleness",
    "StalenessReport": "assetgraph.status.staleness",
    "asset": "assetgraph.definitions.asset_decorator",
    "multi_asset": "assetgraph.definitions.multi_assets",
    "AssetIn": "assetgraph.definitions.assets",
    "AssetOut": "assetgraph.definitions.assets",
    "AssetSpec": "assetgraph.definitions.specs",
    "apply_freshness_policy": "assetgraph.definitions.spec_mapping",
    "AssetDep": "assetgraph.definitions.specs",
    "build_asset_context": "assetgraph.context",
    "get_dagster_logger": "assetgraph.context",
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
    "launch_backfill": "assetgraph.automation.backfills",
    "get_backfill": "assetgraph.automation.backfills",
    "get_backfills": "assetgraph.automation.backfills",
    "cancel_backfill": "assetgraph.automation.backfills",
    "resume_backfill": "assetgraph.automation.backfills",
    "PartitionBackfill": "assetgraph.storage.backfill_store",
    "BulkActionStatus": "assetgraph.storage.backfill_store",
    "FreshnessPolicy": "assetgraph.definitions.policies",
    "FreshnessState": "assetgraph.definitions.policies",
    "LegacyFreshnessPolicy": "assetgraph.definitions.legacy_freshness",
    "freshness_policy_sensor": "assetgraph.automation.freshness_sensors",
    "FreshnessPolicySensorContext": "assetgraph.automation.freshness_sensors",
    "FreshnessPolicySensorDefinition": "assetgraph.automation.freshness_sensors",
    "AutomationCondition": "assetgraph.definitions.automation_condition",
    "AutomationContext": "assetgraph.definitions.automation_context",
    "AutomationResult": "assetgraph.definitions.automation_context",
    "AutomationPolicy": "assetgraph.definitions.policies",
    "ScheduleDefinition": "assetgraph.automation.schedules",
    "sensor": "assetgraph.automation.sensors",
    "SensorDefinition": "assetgraph.automation.sensors",
    "RunRequest": "assetgraph.automation.requests",
    "SkipReason": "assetgraph.automation.requests",
    "SensorEvaluationContext": "assetgraph.automation.sensors",
    "schedule": "assetgraph.automation.schedules",
    "ScheduleEvaluationContext": "assetgraph.automation.schedules",
    "build_schedule_context": "assetgraph.automation.schedules",
    "build_sensor_context": "assetgraph.automation.sensors",
    "SensorResult": "assetgraph.automation.requests",
    "AddDynamicPartitionsRequest": "assetgraph.partitions.dynamic_requests",
    "DeleteDynamicPartitionsRequest": "assetgraph.partitions.dynamic_requests",
    "DefaultScheduleStatus": "assetgraph.definitions.default_status",
    "DefaultSensorStatus": "assetgraph.definitions.default_status",
    "build_schedule_from_partitioned_job": "assetgraph.automation.partitioned_schedules",
    "asset_sensor": "assetgraph.automation.asset_sensors",
    "AssetSensorDefinition": "assetgraph.automation.asset_sensors",
    "run_status_sensor": "assetgraph.automation.run_status_sensors",
    "run_failure_sensor": "assetgraph.automation.run_status_sensors",
    "make_email_on_run_failure_sensor": "assetgraph.automation.email_alerts",
    "evaluate_automation_conditions": "assetgraph.automation.condition_testing",
    "EvaluateAutomationConditionsResult": "assetgraph.automation.condition_testing",
    "RunStatusSensorContext": "assetgraph.automation.run_status_sensors",
    "RunFailureSensorContext": "assetgraph.automation.run_status_sensors",
    "RunStatusSensorDefinition": "assetgraph.automation.run_status_sensors",
    "DagsterRunStatus": "assetgraph.automation.run_status_sensors",
    "EventLogEntry": "assetgraph.storage.event_entries",
    "Definitions": "assetgraph.definitions.definitions",
    "AssetSelection": "assetgraph.definitions.asset_selection",
    "define_asset_job": "assetgraph.definitions.jobs",
    "JobDefinition": "assetgraph.definitions.jobs",
    "UnresolvedAssetJobDefinition": "assetgraph.definitions.jobs",
    "AssetGraph": "assetgraph.graph",
    "load_definitions": "assetgraph.definitions.code_location",
    "Config": "assetgraph.definitions.config",
    "RunConfig": "assetgraph.definitions.config",
    "ConfigurableResource": "assetgraph.definitions.config",
    "Output": "assetgraph.definitions.outputs",
    "DataVersion": "assetgraph.definitions.outputs",
    "DataProvenance": "assetgraph.versions.provenance",
    "extract_data_version_from_entry": "assetgraph.versions.provenance",
    "create_test_asset_job": "assetgraph.definitions.job_testing",
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
    "PartitionSelection": "assetgraph.planning.request",
    "build_plan_for_targets": "assetgraph.planning.planner",
    "targets_for_selection": "assetgraph.planning.request",
    "materialize": "assetgraph.execution.materialize",
    "ExecuteInProcessResult": "assetgraph.execution.result",
    "MaterializeResult": "assetgraph.definitions.outputs",
    "AssetCheckSpec": "assetgraph.definitions.check_specs",
    "AssetCheckExecutionContext": "assetgraph.context",
    "multi_asset_check": "assetgraph.definitions.checks",
    "MetadataValue": "assetgraph.definitions.metadata",
    "TableColumn": "assetgraph.definitions.metadata",
    "TableRecord": "assetgraph.definitions.metadata",
    "TableSchema": "assetgraph.definitions.metadata",
    "TableMetadataSet": "assetgraph.definitions.metadata_sets",
    "Instance": "assetgraph.storage.instance",
    "DagsterInstance": "assetgraph.storage.instance",
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
    "EnvVar": "assetgraph.definitions.env_vars",
    "ResourceParam": "assetgraph.definitions.resource_params",
    "ConfigurableIOManager": "assetgraph.definitions.config",
    "FilesystemIOManager": "io_managers.filesystem",
    "InMemoryIOManager": "io_managers.memory",
    "load_assets_from_modules": "assetgraph.definitions.loading",
    "load_assets_from_package_module": "assetgraph.definitions.loading",
    "load_assets_from_package_name": "assetgraph.definitions.loading",
    "load_assets_from_current_module": "assetgraph.definitions.loading",
    "load_asset_checks_from_modules": "assetgraph.definitions.loading",
    "load_asset_checks_from_package_module": "assetgraph.definitions.loading",
    "AutoMaterializePolicy": "assetgraph.automation.legacy",
    "build_asset_reconciliation_sensor": "assetgraph.automation.legacy",
    "op": "assetgraph.definitions.ops",
    "OpDefinition": "assetgraph.definitions.ops",
    "graph_asset": "assetgraph.definitions.ops",
    "graph_multi_asset": "assetgraph.definitions.ops",
    "with_source_code_references": "assetgraph.definitions.code_references",
    "link_code_references_to_git": "assetgraph.definitions.code_references",
    "AnchorBasedFilePathMapping": "assetgraph.definitions.code_references",
    "resource": "assetgraph.definitions.resource_functions",
    "io_manager": "assetgraph.definitions.resource_functions",
    "ResourceDefinition": "assetgraph.definitions.resource_functions",
    "IOManagerDefinition": "assetgraph.definitions.resource_functions",
    "OpExecutionContext": "assetgraph.definitions.ops",
    # op-based jobs (docs/migration.md "Op jobs")
    "job": "assetgraph.definitions.op_graph",
    "graph": "assetgraph.definitions.op_graph",
    "GraphDefinition": "assetgraph.definitions.op_graph",
    "DependencyDefinition": "assetgraph.definitions.op_graph",
    "MultiDependencyDefinition": "assetgraph.definitions.op_graph",
    "NodeInvocation": "assetgraph.definitions.op_graph",
    "In": "assetgraph.definitions.op_io",
    "Out": "assetgraph.definitions.op_io",
    "DynamicOut": "assetgraph.definitions.op_io",
    "DynamicOutput": "assetgraph.definitions.op_io",
    "GraphIn": "assetgraph.definitions.op_io",
    "GraphOut": "assetgraph.definitions.op_io",
    "AssetMaterialization": "assetgraph.definitions.op_events",
    "ExpectationResult": "assetgraph.definitions.op_events",
    "RetryRequested": "assetgraph.errors",
    "build_op_context": "assetgraph.definitions.op_context",
    "in_process_executor": "assetgraph.definitions.executors",
    "multiprocess_executor": "assetgraph.definitions.executors",
    "ExecutorDefinition": "assetgraph.definitions.executors",
    "repository": "assetgraph.definitions.repository",
    "success_hook": "assetgraph.definitions.hooks",
    "failure_hook": "assetgraph.definitions.hooks",
    "HookContext": "assetgraph.definitions.hooks",
    "HookDefinition": "assetgraph.definitions.hooks",
    "build_hook_context": "assetgraph.definitions.hooks",
    "logger": "assetgraph.definitions.loggers",
    "LoggerDefinition": "assetgraph.definitions.loggers",
    "InitLoggerContext": "assetgraph.definitions.loggers",
    "build_init_logger_context": "assetgraph.definitions.loggers",
    "colored_console_logger": "assetgraph.definitions.builtin_loggers",
    "json_console_logger": "assetgraph.definitions.builtin_loggers",
    "validate_run_config": "assetgraph.definitions.op_jobs",
    "DagsterEventType": "assetgraph.storage.event_entries",
    "fs_io_manager": "io_managers.filesystem",
    "mem_io_manager": "io_managers.memory",
    # Dagster names that ported code locations use (docs/migration.md)
    "materialize_to_memory": "assetgraph.execution.in_memory",
    "instance_for_test": "assetgraph.storage.temporary_instance",
    "Failure": "assetgraph.errors",
    "AssetObservation": "assetgraph.definitions.asset_observation",
    "AssetCheckKey": "assetgraph.definitions.check_specs",
    "MultiPartitionMapping": "assetgraph.partitions.multi_mappings",
    "DimensionPartitionMapping": "assetgraph.partitions.multi_mappings",
    "SpecificPartitionsPartitionMapping": "assetgraph.partitions.specific_mapping",
    "build_last_update_freshness_checks": "assetgraph.automation.freshness_checks",
    "build_time_partition_freshness_checks": "assetgraph.automation.freshness_checks",
    "build_column_schema_change_checks": "assetgraph.definitions.metadata_checks",
    "build_metadata_bounds_checks": "assetgraph.definitions.metadata_checks",
    "build_sensor_for_freshness_checks": "assetgraph.automation.freshness_checks",
    # Sensors, instance queries and partitioned config (parity: automation)
    "multi_asset_sensor": "assetgraph.automation.multi_asset_sensors",
    "MultiAssetSensorDefinition": "assetgraph.automation.multi_asset_sensors",
    "MultiAssetSensorEvaluationContext": "assetgraph.automation.multi_asset_sensors",
    "build_multi_asset_sensor_context": "assetgraph.automation.multi_asset_sensors",
    "RunsFilter": "assetgraph.storage.dagster_runs",
    "DagsterRun": "assetgraph.storage.dagster_runs",
    "EventRecordsFilter": "assetgraph.storage.event_queries",
    "AssetRecordsFilter": "assetgraph.storage.event_queries",
    "EventLogRecord": "assetgraph.storage.event_queries",
    "PartitionedConfig": "assetgraph.definitions.partitioned_config",
    "static_partitioned_config": "assetgraph.definitions.partitioned_config",
    "dynamic_partitioned_config": "assetgraph.definitions.partitioned_config",
    "time_window_partitioned_config": "assetgraph.definitions.partitioned_config",
    "hourly_partitioned_config": "assetgraph.definitions.partitioned_config",
    "daily_partitioned_config": "assetgraph.definitions.partitioned_config",
    "weekly_partitioned_config": "assetgraph.definitions.partitioned_config",
    "monthly_partitioned_config": "assetgraph.definitions.partitioned_config",
    "PipesSubprocessClient": "assetgraph.pipes.subprocess_client",
    "PipesClientCompletedInvocation": "assetgraph.pipes.subprocess_client",
    "AutomationConditionSensorDefinition": "assetgraph.automation.condition_sensors",
    "build_run_status_sensor_context": "assetgraph.automation.run_status_sensors",
    # Dagster names of assets, IO managers, resources, config and metadata (docs/migration.md)
    "DagsterError": "assetgraph.errors",
    "DagsterInvalidDefinitionError": "assetgraph.errors",
    "DagsterInvariantViolationError": "assetgraph.errors",
    "DagsterInvalidInvocationError": "assetgraph.errors",
    "DagsterInvalidConfigError": "assetgraph.errors",
    "DagsterExecutionStepExecutionError": "assetgraph.errors",
    "DagsterTypeCheckDidNotPass": "assetgraph.errors",
    "DagsterUnknownResourceError": "assetgraph.errors",
    "Field": "assetgraph.definitions.config_schema",
    "Int": "assetgraph.definitions.config_schema",
    "String": "assetgraph.definitions.config_schema",
    "Bool": "assetgraph.definitions.config_schema",
    "Float": "assetgraph.definitions.config_schema",
    "Any": "assetgraph.definitions.config_schema",
    "Array": "assetgraph.definitions.config_schema",
    "Shape": "assetgraph.definitions.config_schema",
    "Permissive": "assetgraph.definitions.config_schema",
    "Noneable": "assetgraph.definitions.config_schema",
    "Map": "assetgraph.definitions.config_schema",
    "Enum": "assetgraph.definitions.config_schema",
    "EnumValue": "assetgraph.definitions.config_schema",
    "Selector": "assetgraph.definitions.config_schema",
    "StringSource": "assetgraph.definitions.config_schema",
    "IntSource": "assetgraph.definitions.config_schema",
    "BoolSource": "assetgraph.definitions.config_schema",
    "make_values_resource": "assetgraph.definitions.resource_functions",
    "InitResourceContext": "assetgraph.definitions.resource_functions",
    "build_init_resource_context": "assetgraph.definitions.resource_functions",
    "input_manager": "assetgraph.definitions.resource_functions",
    "with_resources": "assetgraph.definitions.resource_functions",
    "build_input_context": "assetgraph.definitions.io_contexts",
    "build_output_context": "assetgraph.definitions.io_contexts",
    "InputManager": "assetgraph.io",
    "definitions": "assetgraph.definitions.lazy_definitions",  # the package calls it too
    "file_relative_path": "assetgraph.definitions.lazy_definitions",
    "script_relative_path": "assetgraph.definitions.lazy_definitions",
    "Nothing": "assetgraph.definitions.dagster_types",
    "DagsterType": "assetgraph.definitions.dagster_types",
    "TypeCheck": "assetgraph.definitions.dagster_types",
    "TextMetadataValue": "assetgraph.definitions.metadata",
    "IntMetadataValue": "assetgraph.definitions.metadata",
    "FloatMetadataValue": "assetgraph.definitions.metadata",
    "BoolMetadataValue": "assetgraph.definitions.metadata",
    "JsonMetadataValue": "assetgraph.definitions.metadata",
    "MarkdownMetadataValue": "assetgraph.definitions.metadata",
    "UrlMetadataValue": "assetgraph.definitions.metadata",
    "PathMetadataValue": "assetgraph.definitions.metadata",
    "NotebookMetadataValue": "assetgraph.definitions.metadata",
    "TimestampMetadataValue": "assetgraph.definitions.metadata",
    "TableMetadataValue": "assetgraph.definitions.metadata",
    "TableSchemaMetadataValue": "assetgraph.definitions.metadata",
    "TableColumnLineageMetadataValue": "assetgraph.definitions.metadata",
    "NullMetadataValue": "assetgraph.definitions.metadata",
    "TableColumnConstraints": "assetgraph.definitions.metadata",
    "TableColumnLineage": "assetgraph.definitions.metadata",
    "TableColumnDep": "assetgraph.definitions.metadata",
    "AssetValueLoader": "assetgraph.execution.value_loader",
    "ConfigurableIOManagerFactory": "assetgraph.definitions.config",
    "UPathIOManager": "io_managers.upath",
    "PermissiveConfig": "assetgraph.definitions.config",
    "external_asset_from_spec": "assetgraph.definitions.external_assets",
    "external_assets_from_specs": "assetgraph.definitions.external_assets",
    "build_resources": "assetgraph.execution.built_resources",
    "ConfigurableResourceFactory": "assetgraph.definitions.resource_adapters",
    "ConfigurableLegacyResourceAdapter": "assetgraph.definitions.resource_adapters",
    "ConfigurableLegacyIOManagerAdapter": "assetgraph.definitions.resource_adapters",
    "ResourceDependency": "assetgraph.definitions.resource_adapters",
    "Resource": "assetgraph.definitions.resource_params",
    "PartialResource": "assetgraph.definitions.config",
    # dbt (the dbt extra; dbt itself is imported only when a project is parsed or run)
    "dbt_assets": "assetgraph.dbt.decorator",
    "DbtProject": "assetgraph.dbt.project",
    "DbtCliResource": "assetgraph.dbt.resource",
    "DbtCliInvocation": "assetgraph.dbt.resource",
    "DagsterDbtTranslator": "assetgraph.dbt.translator",
    "DagsterDbtTranslatorSettings": "assetgraph.dbt.translator",
    "get_asset_key_for_model": "assetgraph.dbt.lookups",
    "get_asset_key_for_source": "assetgraph.dbt.lookups",
    # components and the defs/ folder (Dagster >= 1.10 project layout)
    "components": "assetgraph.components",
    "Component": "assetgraph.components.component",
    "component_instance": "assetgraph.components.component",
    "template_var": "assetgraph.components.component",
    "ComponentLoadContext": "assetgraph.components.context",
    "DefsFolderComponent": "assetgraph.components.yaml_components",
    "DefinitionsComponent": "assetgraph.components.yaml_components",
    "build_defs_for_component": "assetgraph.components.defs_folder",
    "load_defs": "assetgraph.components.defs_folder",
    "load_from_defs_folder": "assetgraph.components.defs_folder",
    "Model": "assetgraph.components.resolution",
    "Resolvable": "assetgraph.components.resolution",
    "ResolutionContext": "assetgraph.components.resolution",
    "ResolvedAssetKey": "assetgraph.components.resolution",
    "ResolvedAssetSpec": "assetgraph.components.resolution",
    "Resolver": "assetgraph.components.resolution",
    "map_asset_specs": "assetgraph.definitions.spec_mapping",
    "PythonScriptComponent": "assetgraph.pipes.script_component",
    "DbtProjectComponent": "assetgraph.components.dbt_project",
    # Dagster's integration packages: dagster_duckdb(_pandas, _polars), dagster_pandas,
    # dagster_pandera
    # (duckdb, polars and pandera are imported only when used)
    "DbClient": "assetgraph.integrations.db_io_manager",
    "DbIOManager": "assetgraph.integrations.db_io_manager",
    "DbTypeHandler": "assetgraph.integrations.db_io_manager",
    "TablePartitionDimension": "assetgraph.integrations.db_io_manager",
    "TableSlice": "assetgraph.integrations.db_io_manager",
    "DuckDBIOManager": "assetgraph.integrations.duckdb_io_manager",
    "DuckDbClient": "assetgraph.integrations.duckdb_io_manager",
    "build_duckdb_io_manager": "assetgraph.integrations.duckdb_io_manager",
    "DuckDBPandasIOManager": "assetgraph.integrations.duckdb_pandas",
    "DuckDBPandasTypeHandler": "assetgraph.integrations.duckdb_pandas",
    "duckdb_pandas_io_manager": "assetgraph.integrations.duckdb_pandas",
    "DuckDBPolarsIOManager": "assetgraph.integrations.duckdb_polars",
    "DuckDBPolarsTypeHandler": "assetgraph.integrations.duckdb_polars",
    "duckdb_polars_io_manager": "assetgraph.integrations.duckdb_polars",
    "DuckDBResource": "assetgraph.integrations.duckdb_resource",
    "CategoricalColumnConstraint": "assetgraph.integrations.pandas_constraints",
    "ColumnConstraint": "assetgraph.integrations.pandas_constraints",
    "ColumnConstraintViolationException": "assetgraph.integrations.pandas_constraints",
    "ColumnDTypeFnConstraint": "assetgraph.integrations.pandas_constraints",
    "ColumnDTypeInSetConstraint": "assetgraph.integrations.pandas_constraints",
    "ConstraintViolationException": "assetgraph.integrations.pandas_constraints",
    "DataFrameConstraint": "assetgraph.integrations.pandas_constraints",
    "DataFrameConstraintViolationException": "assetgraph.integrations.pandas_constraints",
    "InRangeColumnConstraint": "assetgraph.integrations.pandas_constraints",
    "MaxValueColumnConstraint": "assetgraph.integrations.pandas_constraints",
    "MinValueColumnConstraint": "assetgraph.integrations.pandas_constraints",
    "NonNullableColumnConstraint": "assetgraph.integrations.pandas_constraints",
    "RowCountConstraint": "assetgraph.integrations.pandas_constraints",
    "StrictColumnsConstraint": "assetgraph.integrations.pandas_constraints",
    "UniqueColumnConstraint": "assetgraph.integrations.pandas_constraints",
    "PandasColumn": "assetgraph.integrations.pandas_types",
    "create_dagster_pandas_dataframe_type": "assetgraph.integrations.pandas_types",
    "validate_constraints": "assetgraph.integrations.pandas_types",
    "pandera_schema_to_dagster_type": "assetgraph.integrations.pandera_types",
}

__all__ = [
    "AddDynamicPartitionsRequest",
    "AllPartitionMapping",
    "AnchorBasedFilePathMapping",
    "Any",
    "Array",
    "AssetCheckExecutionContext",
    "AssetCheckKey",
    "AssetCheckResult",
    "AssetCheckSeverity",
    "AssetCheckSpec",
    "AssetChecksDefinition",
    "AssetDep",
    "AssetExecutionContext",
    "AssetGraph",
    "AssetIn",
    "AssetKey",
    "AssetMaterialization",
    "AssetObservation",
    "AssetOut",
    "AssetRecordsFilter",
    "AssetSelection",
    "AssetSensorDefinition",
    "AssetSpec",
    "AssetStaleness",
    "AssetValueLoader",
    "AssetgraphError",
    "AssetsDefinition",
    "AutoMaterializePolicy",
    "AutomationCondition",
    "AutomationConditionSensorDefinition",
    "AutomationContext",
    "AutomationPolicy",
    "AutomationResult",
    "BackfillPolicy",
    "Backoff",
    "Bool",
    "BoolMetadataValue",
    "BoolSource",
    "BulkActionStatus",
    "CategoricalColumnConstraint",
    "CodeLocationLoadError",
    "ColumnConstraint",
    "ColumnConstraintViolationException",
    "ColumnDTypeFnConstraint",
    "ColumnDTypeInSetConstraint",
    "Component",
    "ComponentLoadContext",
    "Config",
    "ConfigurableIOManager",
    "ConfigurableIOManagerFactory",
    "ConfigurableLegacyIOManagerAdapter",
    "ConfigurableLegacyResourceAdapter",
    "ConfigurableResource",
    "ConfigurableResourceFactory",
    "ConstraintViolationException",
    "DagsterDbtTranslator",
    "DagsterDbtTranslatorSettings",
    "DagsterError",
    "DagsterEventType",
    "DagsterExecutionStepExecutionError",
    "DagsterInstance",
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvalidInvocationError",
    "DagsterInvariantViolationError",
    "DagsterRun",
    "DagsterRunStatus",
    "DagsterType",
    "DagsterTypeCheckDidNotPass",
    "DagsterUnknownResourceError",
    "DailyPartitionsDefinition",
    "DataFrameConstraint",
    "DataFrameConstraintViolationException",
    "DataProvenance",
    "DataVersion",
    "DbClient",
    "DbIOManager",
    "DbTypeHandler",
    "DbtCliInvocation",
    "DbtCliResource",
    "DbtProject",
    "DbtProjectComponent",
    "DefaultScheduleStatus",
    "DefaultSensorStatus",
    "DefinitionError",
    "Definitions",
    "DefinitionsComponent",
    "DefsFolderComponent",
    "DeleteDynamicPartitionsRequest",
    "DependencyDefinition",
    "DimensionPartitionMapping",
    "DuckDBIOManager",
    "DuckDBPandasIOManager",
    "DuckDBPandasTypeHandler",
    "DuckDBPolarsIOManager",
    "DuckDBPolarsTypeHandler",
    "DuckDBResource",
    "DuckDbClient",
    "DynamicOut",
    "DynamicOutput",
    "DynamicPartitionsDefinition",
    "Enum",
    "EnumValue",
    "EnvVar",
    "EvaluateAutomationConditionsResult",
    "EventLogEntry",
    "EventLogRecord",
    "EventRecordsFilter",
    "ExecuteInProcessResult",
    "ExecutionOptions",
    "ExecutionPlan",
    "ExecutorDefinition",
    "ExpectationResult",
    "Failure",
    "Field",
    "FilesystemIOManager",
    "Float",
    "FloatMetadataValue",
    "FreshnessPolicy",
    "FreshnessPolicySensorContext",
    "FreshnessPolicySensorDefinition",
    "FreshnessState",
    "GraphDefinition",
    "GraphIn",
    "GraphOut",
    "HookContext",
    "HookDefinition",
    "HourlyPartitionsDefinition",
    "IOManager",
    "IOManagerDefinition",
    "IdentityPartitionMapping",
    "In",
    "InMemoryIOManager",
    "InRangeColumnConstraint",
    "InitLoggerContext",
    "InitResourceContext",
    "InputContext",
    "InputManager",
    "Instance",
    "Int",
    "IntMetadataValue",
    "IntSource",
    "Jitter",
    "JobDefinition",
    "JsonMetadataValue",
    "LastPartitionMapping",
    "LegacyFreshnessPolicy",
    "LoggerDefinition",
    "Map",
    "MarkdownMetadataValue",
    "MaterializeResult",
    "MaxValueColumnConstraint",
    "MetadataValue",
    "MinValueColumnConstraint",
    "Model",
    "MonthlyPartitionsDefinition",
    "MultiAssetSensorDefinition",
    "MultiAssetSensorEvaluationContext",
    "MultiDependencyDefinition",
    "MultiPartitionKey",
    "MultiPartitionMapping",
    "MultiPartitionsDefinition",
    "MultiToSingleDimensionPartitionMapping",
    "NodeInvocation",
    "NonNullableColumnConstraint",
    "Noneable",
    "NotebookMetadataValue",
    "Nothing",
    "NullMetadataValue",
    "ObservationRun",
    "ObserveResult",
    "OpDefinition",
    "OpExecutionContext",
    "Out",
    "Output",
    "OutputContext",
    "PandasColumn",
    "PartialResource",
    "PartitionBackfill",
    "PartitionKeyRange",
    "PartitionMapping",
    "PartitionSelection",
    "PartitionedConfig",
    "PartitionsDefinition",
    "PartitionsSubset",
    "PathMetadataValue",
    "Permissive",
    "PermissiveConfig",
    "PipesClientCompletedInvocation",
    "PipesSubprocessClient",
    "PythonScriptComponent",
    "ResolutionContext",
    "Resolvable",
    "ResolvedAssetKey",
    "ResolvedAssetSpec",
    "Resolver",
    "Resource",
    "ResourceDefinition",
    "ResourceDependency",
    "ResourceError",
    "ResourceParam",
    "RetryPolicy",
    "RetryRequested",
    "RowCountConstraint",
    "RunConfig",
    "RunConfigError",
    "RunFailure",
    "RunFailureSensorContext",
    "RunRequest",
    "RunStatus",
    "RunStatusSensorContext",
    "RunStatusSensorDefinition",
    "RunsFilter",
    "ScheduleDefinition",
    "ScheduleEvaluationContext",
    "SelectionError",
    "Selector",
    "SensorDefinition",
    "SensorEvaluationContext",
    "SensorResult",
    "Shape",
    "SkipReason",
    "SourceAsset",
    "SpecificPartitionsPartitionMapping",
    "StaleCause",
    "StalenessReport",
    "StaticPartitionMapping",
    "StaticPartitionsDefinition",
    "StepFailure",
    "StorageError",
    "StrictColumnsConstraint",
    "String",
    "StringSource",
    "TableColumn",
    "TableColumnConstraints",
    "TableColumnDep",
    "TableColumnLineage",
    "TableColumnLineageMetadataValue",
    "TableMetadataSet",
    "TableMetadataValue",
    "TablePartitionDimension",
    "TableRecord",
    "TableSchema",
    "TableSchemaMetadataValue",
    "TableSlice",
    "TextMetadataValue",
    "TimeWindow",
    "TimeWindowPartitionMapping",
    "TimeWindowPartitionsDefinition",
    "TimestampMetadataValue",
    "TypeCheck",
    "UPathIOManager",
    "UniqueColumnConstraint",
    "UnresolvedAssetJobDefinition",
    "UrlMetadataValue",
    "UsageError",
    "WeeklyPartitionsDefinition",
    "apply_freshness_policy",
    "asset",
    "asset_check",
    "asset_sensor",
    "build_asset_context",
    "build_asset_reconciliation_sensor",
    "build_column_schema_change_checks",
    "build_defs_for_component",
    "build_duckdb_io_manager",
    "build_hook_context",
    "build_init_logger_context",
    "build_init_resource_context",
    "build_input_context",
    "build_last_update_freshness_checks",
    "build_metadata_bounds_checks",
    "build_multi_asset_sensor_context",
    "build_op_context",
    "build_output_context",
    "build_plan_for_targets",
    "build_resources",
    "build_run_status_sensor_context",
    "build_schedule_context",
    "build_schedule_from_partitioned_job",
    "build_sensor_context",
    "build_sensor_for_freshness_checks",
    "build_time_partition_freshness_checks",
    "cancel_backfill",
    "colored_console_logger",
    "component_instance",
    "components",
    "create_dagster_pandas_dataframe_type",
    "create_test_asset_job",
    "daily_partitioned_config",
    "dbt_assets",
    "define_asset_job",
    "definitions",
    "duckdb_pandas_io_manager",
    "duckdb_polars_io_manager",
    "dynamic_partitioned_config",
    "evaluate_automation_conditions",
    "external_asset_from_spec",
    "external_assets_from_specs",
    "extract_data_version_from_entry",
    "failure_hook",
    "file_relative_path",
    "freshness_policy_sensor",
    "fs_io_manager",
    "get_asset_key_for_model",
    "get_asset_key_for_source",
    "get_backfill",
    "get_backfills",
    "get_dagster_logger",
    "graph",
    "graph_asset",
    "graph_multi_asset",
    "hourly_partitioned_config",
    "in_process_executor",
    "input_manager",
    "instance_for_test",
    "io_manager",
    "job",
    "json_console_logger",
    "launch_backfill",
    "link_code_references_to_git",
    "load_asset_checks_from_modules",
    "load_asset_checks_from_package_module",
    "load_assets_from_current_module",
    "load_assets_from_modules",
    "load_assets_from_package_module",
    "load_assets_from_package_name",
    "load_definitions",
    "load_defs",
    "load_from_defs_folder",
    "logger",
    "make_email_on_run_failure_sensor",
    "make_values_resource",
    "map_asset_specs",
    "materialize",
    "materialize_to_memory",
    "mem_io_manager",
    "monthly_partitioned_config",
    "multi_asset",
    "multi_asset_check",
    "multi_asset_sensor",
    "multiprocess_executor",
    "observable_source_asset",
    "observe",
    "op",
    "pandera_schema_to_dagster_type",
    "repository",
    "resource",
    "resume_backfill",
    "run_failure_sensor",
    "run_status_sensor",
    "schedule",
    "script_relative_path",
    "select_assets",
    "sensor",
    "stale_status",
    "static_partitioned_config",
    "success_hook",
    "targets_for_selection",
    "template_var",
    "time_window_partitioned_config",
    "validate_constraints",
    "validate_run_config",
    "weekly_partitioned_config",
    "with_resources",
    "with_source_code_references",
]


def __getattr__(name: str) -> typing.Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assetgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _PublicAPI(types.ModuleType):
    """This package, whose public names win over submodules of the same name.

    ``assetgraph.graph`` is Dagster's ``@graph`` decorator (a public name), while the module
    ``assetgraph/graph.py`` holds the asset graph: importing that module must not replace
    the public name, so it is reached only as ``from assetgraph.graph import ...``.
    """

    def __setattr__(self, name: str, value: typing.Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType) and not callable(value):
            return  # a submodule being imported; it stays in sys.modules
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _PublicAPI


if TYPE_CHECKING:
    from assetgraph.automation.asset_sensors import (
        AssetSensorDefinition as AssetSensorDefinition,
        asset_sensor as asset_sensor,
    )
    from assetgraph.automation.backfills import (
        cancel_backfill as cancel_backfill,
        get_backfill as get_backfill,
        get_backfills as get_backfills,
        launch_backfill as launch_backfill,
        resume_backfill as resume_backfill,
    )
    from assetgraph.automation.condition_sensors import (
        AutomationConditionSensorDefinition as AutomationConditionSensorDefinition,
    )
    from assetgraph.automation.condition_testing import (
        EvaluateAutomationConditionsResult as EvaluateAutomationConditionsResult,
        evaluate_automation_conditions as evaluate_automation_conditions,
    )
    from assetgraph.automation.email_alerts import (
        make_email_on_run_failure_sensor as make_email_on_run_failure_sensor,
    )
    from assetgraph.automation.freshness_checks import (
        build_last_update_freshness_checks as build_last_update_freshness_checks,
        build_sensor_for_freshness_checks as build_sensor_for_freshness_checks,
        build_time_partition_freshness_checks as build_time_partition_freshness_checks,
    )
    from assetgraph.automation.freshness_sensors import (
        FreshnessPolicySensorContext as FreshnessPolicySensorContext,
        FreshnessPolicySensorDefinition as FreshnessPolicySensorDefinition,
        freshness_policy_sensor as freshness_policy_sensor,
    )

    # managers (FilesystemIOManager, InMemoryIOManager) are left out here on purpose: the
    # core imports nothing of io_managers/, not even for type checking.
    from assetgraph.automation.legacy import (
        AutoMaterializePolicy as AutoMaterializePolicy,
        build_asset_reconciliation_sensor as build_asset_reconciliation_sensor,
    )
    from assetgraph.automation.multi_asset_sensors import (
        MultiAssetSensorDefinition as MultiAssetSensorDefinition,
        MultiAssetSensorEvaluationContext as MultiAssetSensorEvaluationContext,
        build_multi_asset_sensor_context as build_multi_asset_sensor_context,
        multi_asset_sensor as multi_asset_sensor,
    )
    from assetgraph.automation.partitioned_schedules import (
        build_schedule_from_partitioned_job as build_schedule_from_partitioned_job,
    )
    from assetgraph.automation.requests import (
        RunRequest as RunRequest,
        SensorResult as SensorResult,
        SkipReason as SkipReason,
    )
    from assetgraph.automation.run_status_sensors import (
        DagsterRunStatus as DagsterRunStatus,
        RunFailureSensorContext as RunFailureSensorContext,
        RunStatusSensorContext as RunStatusSensorContext,
        RunStatusSensorDefinition as RunStatusSensorDefinition,
        build_run_status_sensor_context as build_run_status_sensor_context,
        run_failure_sensor as run_failure_sensor,
        run_status_sensor as run_status_sensor,
    )
    from assetgraph.automation.schedules import (
        ScheduleDefinition as ScheduleDefinition,
        ScheduleEvaluationContext as ScheduleEvaluationContext,
        build_schedule_context as build_schedule_context,
        schedule as schedule,
    )
    from assetgraph.automation.sensors import (
        SensorDefinition as SensorDefinition,
        SensorEvaluationContext as SensorEvaluationContext,
        build_sensor_context as build_sensor_context,
        sensor as sensor,
    )
    from assetgraph.components.component import (
        Component as Component,
        component_instance as component_instance,
        template_var as template_var,
    )
    from assetgraph.components.context import (
        ComponentLoadContext as ComponentLoadContext,
    )
    from assetgraph.components.dbt_project import (
        DbtProjectComponent as DbtProjectComponent,
    )
    from assetgraph.components.defs_folder import (
        build_defs_for_component as build_defs_for_component,
        load_defs as load_defs,
        load_from_defs_folder as load_from_defs_folder,
    )
    from assetgraph.components.resolution import (
        Model as Model,
        ResolutionContext as ResolutionContext,
        Resolvable as Resolvable,
        ResolvedAssetKey as ResolvedAssetKey,
        ResolvedAssetSpec as ResolvedAssetSpec,
        Resolver as Resolver,
    )
    from assetgraph.components.yaml_components import (
        DefinitionsComponent as DefinitionsComponent,
        DefsFolderComponent as DefsFolderComponent,
    )
    from assetgraph.context import (
        AssetCheckExecutionContext as AssetCheckExecutionContext,
        AssetExecutionContext as AssetExecutionContext,
        build_asset_context as build_asset_context,
        get_dagster_logger as get_dagster_logger,
    )
    from assetgraph.dbt.decorator import dbt_assets as dbt_assets
    from assetgraph.dbt.lookups import (
        get_asset_key_for_model as get_asset_key_for_model,
        get_asset_key_for_source as get_asset_key_for_source,
    )
    from assetgraph.dbt.project import DbtProject as DbtProject
    from assetgraph.dbt.resource import (
        DbtCliInvocation as DbtCliInvocation,
        DbtCliResource as DbtCliResource,
    )
    from assetgraph.dbt.translator import (
        DagsterDbtTranslator as DagsterDbtTranslator,
        DagsterDbtTranslatorSettings as DagsterDbtTranslatorSettings,
    )
    from assetgraph.definitions.asset_decorator import asset as asset
    from assetgraph.definitions.asset_observation import (
        AssetObservation as AssetObservation,
    )
    from assetgraph.definitions.asset_selection import (
        AssetSelection as AssetSelection,
    )
    from assetgraph.definitions.assets import (
        AssetIn as AssetIn,
        AssetOut as AssetOut,
        AssetsDefinition as AssetsDefinition,
    )
    from assetgraph.definitions.automation_condition import (
        AutomationCondition as AutomationCondition,
    )
    from assetgraph.definitions.automation_context import (
        AutomationContext as AutomationContext,
        AutomationResult as AutomationResult,
    )
    from assetgraph.definitions.backfill import (
        BackfillPolicy as BackfillPolicy,
    )
    from assetgraph.definitions.builtin_loggers import (
        colored_console_logger as colored_console_logger,
        json_console_logger as json_console_logger,
    )
    from assetgraph.definitions.check_specs import (
        AssetCheckKey as AssetCheckKey,
        AssetCheckSpec as AssetCheckSpec,
    )
    from assetgraph.definitions.checks import (
        AssetCheckResult as AssetCheckResult,
        AssetChecksDefinition as AssetChecksDefinition,
        AssetCheckSeverity as AssetCheckSeverity,
        asset_check as asset_check,
        multi_asset_check as multi_asset_check,
    )
    from assetgraph.definitions.code_location import (
        load_definitions as load_definitions,
    )
    from assetgraph.definitions.code_references import (
        AnchorBasedFilePathMapping as AnchorBasedFilePathMapping,
        link_code_references_to_git as link_code_references_to_git,
        with_source_code_references as with_source_code_references,
    )
    from assetgraph.definitions.config import (
        Config as Config,
        ConfigurableIOManager as ConfigurableIOManager,
        ConfigurableIOManagerFactory as ConfigurableIOManagerFactory,
        ConfigurableResource as ConfigurableResource,
        PartialResource as PartialResource,
        RunConfig as RunConfig,
    )
    from assetgraph.definitions.config_schema import (
        Any as Any,
        Array as Array,
        Bool as Bool,
        BoolSource as BoolSource,
        Enum as Enum,
        EnumValue as EnumValue,
        Field as Field,
        Float as Float,
        Int as Int,
        IntSource as IntSource,
        Map as Map,
        Noneable as Noneable,
        Permissive as Permissive,
        Selector as Selector,
        Shape as Shape,
        String as String,
        StringSource as StringSource,
    )
    from assetgraph.definitions.dagster_types import (
        DagsterType as DagsterType,
        Nothing as Nothing,
        TypeCheck as TypeCheck,
    )
    from assetgraph.definitions.default_status import (
        DefaultScheduleStatus as DefaultScheduleStatus,
        DefaultSensorStatus as DefaultSensorStatus,
    )
    from assetgraph.definitions.definitions import (
        Definitions as Definitions,
    )
    from assetgraph.definitions.env_vars import EnvVar as EnvVar
    from assetgraph.definitions.executors import (
        ExecutorDefinition as ExecutorDefinition,
        in_process_executor as in_process_executor,
        multiprocess_executor as multiprocess_executor,
    )
    from assetgraph.definitions.external_assets import (
        external_asset_from_spec as external_asset_from_spec,
        external_assets_from_specs as external_assets_from_specs,
    )
    from assetgraph.definitions.hooks import (
        HookContext as HookContext,
        HookDefinition as HookDefinition,
        build_hook_context as build_hook_context,
        failure_hook as failure_hook,
        success_hook as success_hook,
    )
    from assetgraph.definitions.io_contexts import (
        build_input_context as build_input_context,
        build_output_context as build_output_context,
    )
    from assetgraph.definitions.job_testing import (
        create_test_asset_job as create_test_asset_job,
    )
    from assetgraph.definitions.jobs import (
        JobDefinition as JobDefinition,
        UnresolvedAssetJobDefinition as UnresolvedAssetJobDefinition,
        define_asset_job as define_asset_job,
    )
    from assetgraph.definitions.lazy_definitions import (
        definitions as definitions,
        file_relative_path as file_relative_path,
        script_relative_path as script_relative_path,
    )
    from assetgraph.definitions.legacy_freshness import (
        LegacyFreshnessPolicy as LegacyFreshnessPolicy,
    )
    from assetgraph.definitions.loading import (
        load_asset_checks_from_modules as load_asset_checks_from_modules,
        load_asset_checks_from_package_module as load_asset_checks_from_package_module,
        load_assets_from_current_module as load_assets_from_current_module,
        load_assets_from_modules as load_assets_from_modules,
        load_assets_from_package_module as load_assets_from_package_module,
        load_assets_from_package_name as load_assets_from_package_name,
    )
    from assetgraph.definitions.loggers import (
        InitLoggerContext as InitLoggerContext,
        LoggerDefinition as LoggerDefinition,
        build_init_logger_context as build_init_logger_context,
        logger as logger,
    )
    from assetgraph.definitions.metadata import (
        BoolMetadataValue as BoolMetadataValue,
        FloatMetadataValue as FloatMetadataValue,
        IntMetadataValue as IntMetadataValue,
        JsonMetadataValue as JsonMetadataValue,
        MarkdownMetadataValue as MarkdownMetadataValue,
        MetadataValue as MetadataValue,
        NotebookMetadataValue as NotebookMetadataValue,
        NullMetadataValue as NullMetadataValue,
        PathMetadataValue as PathMetadataValue,
        TableColumn as TableColumn,
        TableColumnConstraints as TableColumnConstraints,
        TableColumnDep as TableColumnDep,
        TableColumnLineage as TableColumnLineage,
        TableColumnLineageMetadataValue as TableColumnLineageMetadataValue,
        TableMetadataValue as TableMetadataValue,
        TableRecord as TableRecord,
        TableSchema as TableSchema,
        TableSchemaMetadataValue as TableSchemaMetadataValue,
        TextMetadataValue as TextMetadataValue,
        TimestampMetadataValue as TimestampMetadataValue,
        UrlMetadataValue as UrlMetadataValue,
    )
    from assetgraph.definitions.metadata_checks import (
        build_column_schema_change_checks as build_column_schema_change_checks,
        build_metadata_bounds_checks as build_metadata_bounds_checks,
    )
    from assetgraph.definitions.metadata_sets import (
        TableMetadataSet as TableMetadataSet,
    )
    from assetgraph.definitions.multi_assets import (
        multi_asset as multi_asset,
    )
    from assetgraph.definitions.op_context import build_op_context as build_op_context
    from assetgraph.definitions.op_events import (
        AssetMaterialization as AssetMaterialization,
        ExpectationResult as ExpectationResult,
    )
    from assetgraph.definitions.op_graph import (
        DependencyDefinition as DependencyDefinition,
        GraphDefinition as GraphDefinition,
        MultiDependencyDefinition as MultiDependencyDefinition,
        NodeInvocation as NodeInvocation,
        graph as graph,
        job as job,
    )
    from assetgraph.definitions.op_io import (
        DynamicOut as DynamicOut,
        DynamicOutput as DynamicOutput,
        GraphIn as GraphIn,
        GraphOut as GraphOut,
        In as In,
        Out as Out,
    )
    from assetgraph.definitions.op_jobs import validate_run_config as validate_run_config
    from assetgraph.definitions.ops import (
        OpDefinition as OpDefinition,
        OpExecutionContext as OpExecutionContext,
        graph_asset as graph_asset,
        graph_multi_asset as graph_multi_asset,
        op as op,
    )
    from assetgraph.definitions.outputs import (
        DataVersion as DataVersion,
        MaterializeResult as MaterializeResult,
        Output as Output,
    )
    from assetgraph.definitions.partitioned_config import (
        PartitionedConfig as PartitionedConfig,
        daily_partitioned_config as daily_partitioned_config,
        dynamic_partitioned_config as dynamic_partitioned_config,
        hourly_partitioned_config as hourly_partitioned_config,
        monthly_partitioned_config as monthly_partitioned_config,
        static_partitioned_config as static_partitioned_config,
        time_window_partitioned_config as time_window_partitioned_config,
        weekly_partitioned_config as weekly_partitioned_config,
    )
    from assetgraph.definitions.policies import (
        AutomationPolicy as AutomationPolicy,
        FreshnessPolicy as FreshnessPolicy,
        FreshnessState as FreshnessState,
    )
    from assetgraph.definitions.repository import repository as repository
    from assetgraph.definitions.resource_adapters import (
        ConfigurableLegacyIOManagerAdapter as ConfigurableLegacyIOManagerAdapter,
        ConfigurableLegacyResourceAdapter as ConfigurableLegacyResourceAdapter,
        ConfigurableResourceFactory as ConfigurableResourceFactory,
        ResourceDependency as ResourceDependency,
    )
    from assetgraph.definitions.resource_functions import (
        InitResourceContext as InitResourceContext,
        IOManagerDefinition as IOManagerDefinition,
        ResourceDefinition as ResourceDefinition,
        build_init_resource_context as build_init_resource_context,
        input_manager as input_manager,
        io_manager as io_manager,
        make_values_resource as make_values_resource,
        resource as resource,
        with_resources as with_resources,
    )
    from assetgraph.definitions.resource_params import (
        Resource as Resource,
        ResourceParam as ResourceParam,
    )
    from assetgraph.definitions.retry import (
        Backoff as Backoff,
        Jitter as Jitter,
        RetryPolicy as RetryPolicy,
    )
    from assetgraph.definitions.source_assets import (
        ObserveResult as ObserveResult,
        SourceAsset as SourceAsset,
        observable_source_asset as observable_source_asset,
    )
    from assetgraph.definitions.spec_mapping import (
        apply_freshness_policy as apply_freshness_policy,
        map_asset_specs as map_asset_specs,
    )
    from assetgraph.definitions.specs import (
        AssetDep as AssetDep,
        AssetSpec as AssetSpec,
    )

    # Dagster names of assets, IO managers, resources, config and metadata
    from assetgraph.errors import (
        AssetgraphError as AssetgraphError,
        CodeLocationLoadError as CodeLocationLoadError,
        DagsterError as DagsterError,
        DagsterExecutionStepExecutionError as DagsterExecutionStepExecutionError,
        DagsterInvalidConfigError as DagsterInvalidConfigError,
        DagsterInvalidDefinitionError as DagsterInvalidDefinitionError,
        DagsterInvalidInvocationError as DagsterInvalidInvocationError,
        DagsterInvariantViolationError as DagsterInvariantViolationError,
        DagsterTypeCheckDidNotPass as DagsterTypeCheckDidNotPass,
        DagsterUnknownResourceError as DagsterUnknownResourceError,
        DefinitionError as DefinitionError,
        Failure as Failure,
        ResourceError as ResourceError,
        RetryRequested as RetryRequested,
        RunConfigError as RunConfigError,
        RunFailure as RunFailure,
        SelectionError as SelectionError,
        StepFailure as StepFailure,
        StorageError as StorageError,
        UsageError as UsageError,
    )
    from assetgraph.execution.built_resources import (
        build_resources as build_resources,
    )
    from assetgraph.execution.in_memory import (
        materialize_to_memory as materialize_to_memory,
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
        ExecuteInProcessResult as ExecuteInProcessResult,
    )
    from assetgraph.execution.value_loader import (
        AssetValueLoader as AssetValueLoader,
    )
    from assetgraph.graph import (
        AssetGraph as AssetGraph,
    )
    from assetgraph.integrations.db_io_manager import (
        DbClient as DbClient,
        DbIOManager as DbIOManager,
        DbTypeHandler as DbTypeHandler,
        TablePartitionDimension as TablePartitionDimension,
        TableSlice as TableSlice,
    )
    from assetgraph.integrations.duckdb_io_manager import (
        DuckDbClient as DuckDbClient,
        DuckDBIOManager as DuckDBIOManager,
        build_duckdb_io_manager as build_duckdb_io_manager,
    )
    from assetgraph.integrations.duckdb_pandas import (
        DuckDBPandasIOManager as DuckDBPandasIOManager,
        DuckDBPandasTypeHandler as DuckDBPandasTypeHandler,
        duckdb_pandas_io_manager as duckdb_pandas_io_manager,
    )
    from assetgraph.integrations.duckdb_polars import (
        DuckDBPolarsIOManager as DuckDBPolarsIOManager,
        DuckDBPolarsTypeHandler as DuckDBPolarsTypeHandler,
        duckdb_polars_io_manager as duckdb_polars_io_manager,
    )
    from assetgraph.integrations.duckdb_resource import (
        DuckDBResource as DuckDBResource,
    )
    from assetgraph.integrations.pandas_constraints import (
        CategoricalColumnConstraint as CategoricalColumnConstraint,
        ColumnConstraint as ColumnConstraint,
        ColumnConstraintViolationException as ColumnConstraintViolationException,
        ColumnDTypeFnConstraint as ColumnDTypeFnConstraint,
        ColumnDTypeInSetConstraint as ColumnDTypeInSetConstraint,
        ConstraintViolationException as ConstraintViolationException,
        DataFrameConstraint as DataFrameConstraint,
        DataFrameConstraintViolationException as DataFrameConstraintViolationException,
        InRangeColumnConstraint as InRangeColumnConstraint,
        MaxValueColumnConstraint as MaxValueColumnConstraint,
        MinValueColumnConstraint as MinValueColumnConstraint,
        NonNullableColumnConstraint as NonNullableColumnConstraint,
        RowCountConstraint as RowCountConstraint,
        StrictColumnsConstraint as StrictColumnsConstraint,
        UniqueColumnConstraint as UniqueColumnConstraint,
    )
    from assetgraph.integrations.pandas_types import (
        PandasColumn as PandasColumn,
        create_dagster_pandas_dataframe_type as create_dagster_pandas_dataframe_type,
        validate_constraints as validate_constraints,
    )
    from assetgraph.integrations.pandera_types import (
        pandera_schema_to_dagster_type as pandera_schema_to_dagster_type,
    )
    from assetgraph.io import (
        InputContext as InputContext,
        InputManager as InputManager,
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
    from assetgraph.partitions.dynamic_requests import (
        AddDynamicPartitionsRequest as AddDynamicPartitionsRequest,
        DeleteDynamicPartitionsRequest as DeleteDynamicPartitionsRequest,
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
    from assetgraph.partitions.multi_mappings import (
        DimensionPartitionMapping as DimensionPartitionMapping,
        MultiPartitionMapping as MultiPartitionMapping,
    )
    from assetgraph.partitions.specific_mapping import (
        SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
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
    from assetgraph.pipes.script_component import (
        PythonScriptComponent as PythonScriptComponent,
    )
    from assetgraph.pipes.subprocess_client import (
        PipesClientCompletedInvocation as PipesClientCompletedInvocation,
        PipesSubprocessClient as PipesSubprocessClient,
    )
    from assetgraph.planning.planner import (
        ExecutionPlan as ExecutionPlan,
        build_plan_for_targets as build_plan_for_targets,
    )
    from assetgraph.planning.request import (
        PartitionSelection as PartitionSelection,
        targets_for_selection as targets_for_selection,
    )
    from assetgraph.selection import (
        select_assets as select_assets,
    )
    from assetgraph.storage.backfill_store import (
        BulkActionStatus as BulkActionStatus,
        PartitionBackfill as PartitionBackfill,
    )
    from assetgraph.storage.dagster_runs import (
        DagsterRun as DagsterRun,
        RunsFilter as RunsFilter,
    )
    from assetgraph.storage.event_entries import (
        EventLogEntry as EventLogEntry,
    )
    from assetgraph.storage.event_queries import (
        AssetRecordsFilter as AssetRecordsFilter,
        DagsterEventType as DagsterEventType,
        EventLogRecord as EventLogRecord,
        EventRecordsFilter as EventRecordsFilter,
    )
    from assetgraph.storage.instance import (
        DagsterInstance as DagsterInstance,
        Instance as Instance,
    )
    from assetgraph.storage.records import (
        RunStatus as RunStatus,
    )
    from assetgraph.storage.temporary_instance import (
        instance_for_test as instance_for_test,
    )
    from assetgraph.versions.provenance import (
        DataProvenance as DataProvenance,
        extract_data_version_from_entry as extract_data_version_from_entry,
    )
    from io_managers.upath import (
        UPathIOManager as UPathIOManager,
    )
