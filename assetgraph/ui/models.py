"""The JSON the UI's API returns and accepts: pydantic models, so OpenAPI documents them.

Statuses are plain strings drawn from ``assetgraph.status.assets.STATUSES`` (assets) and
``RunStatus`` (runs), so a new status (``stale``) needs no change here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class PartitionCountsOut(BaseModel):
    total: int
    materialized: int
    failed: int
    missing: int
    stale: int = Field(0, description="Materialized partitions that are out of date.")


class AssetSummary(BaseModel):
    """One row of the catalog."""

    key: str
    group: str
    description: str | None
    tags: dict[str, str]
    owners: list[str]
    partitioned: bool
    status: str = Field(description="Summary status: one of /api/statuses.")
    last_materialized_at: float | None = Field(description="Unix seconds, any partition.")
    last_run_id: str | None
    partitions: PartitionCountsOut | None
    source: bool = Field(
        False, description="A source asset: read by its downstream, never materialized here."
    )


class StatusStyle(BaseModel):
    status: str
    fill: str
    stroke: str


class CatalogOut(BaseModel):
    assets: list[AssetSummary]
    groups: list[str]
    tags: list[str] = Field(description="Every tag of any asset, as KEY=VALUE.")
    statuses: list[StatusStyle]
    version: str = Field(default="", description="The state version the statuses were read at.")


class UpstreamOut(BaseModel):
    key: str
    partition_mapping: str | None


class MaterializationOut(BaseModel):
    event_id: int
    run_id: str
    timestamp: float
    partition_key: str | None
    code_version: str | None
    data_version: str | None
    duration: float | None
    metadata: dict[str, Any]


class ConditionOut(BaseModel):
    name: str
    label: str | None
    children: list[ConditionOut]


class AssetDetail(BaseModel):
    summary: AssetSummary
    code_version: str
    io_manager_key: str
    metadata: dict[str, Any] = Field(description="Definition metadata of the asset.")
    partitions_def: dict[str, Any] | None
    upstream: list[UpstreamOut]
    downstream: list[str]
    checks: list[str] = Field(description="The names of the asset's checks (see /api/checks/).")
    freshness_policy: str | None = Field(None, description="The freshness policy, in words.")
    automation_policy: str | None = Field(None, description="The automation policy, in words.")
    automation_condition: ConditionOut | None = Field(
        None, description="The automation condition as a tree (Dagster's AutomationCondition)."
    )


class StatusRangeOut(BaseModel):
    status: str
    first: str
    last: str
    count: int


class PartitionsOut(BaseModel):
    key: str
    partitioned: bool
    total: int
    ranges: list[StatusRangeOut] = Field(description="Runs of equal status, definition order.")


class CheckStateOut(BaseModel):
    status: str = Field(description="passed, failed or not_evaluated (no result yet).")
    total: int = Field(description="Checks defined or evaluated.")
    passed: int
    failed: int


class LineageNode(BaseModel):
    key: str
    group: str
    status: str
    partitioned: bool
    last_materialized_at: float | None = Field(None, description="Unix seconds, any partition.")
    partitions: PartitionCountsOut | None = None
    checks: CheckStateOut | None = Field(None, description="None: the asset has no checks.")


class LineageEdge(BaseModel):
    source: str
    target: str
    partition_mapping: str | None


class LineageOut(BaseModel):
    nodes: list[LineageNode]
    edges: list[LineageEdge]
    groups: list[str]
    statuses: list[StatusStyle]
    selection: str | None = Field(None, description="The selection the graph is limited to.")
    version: str = Field("", description="The state version these statuses were read at.")


class RunSummary(BaseModel):
    run_id: str
    status: str
    selection: str
    asset_keys: list[str]
    partitions: str = Field(
        description="The partitions the run builds, short ('' when none is partitioned)."
    )
    targets: dict[str, list[str | list[str]] | None] | None = Field(
        description="Asset -> the partitions the run builds: keys and [first, last] ranges "
        "(null: unpartitioned); null for a run recorded before targets were kept."
    )
    tags: dict[str, str]
    launched_by: str = Field(
        "cli",
        description="automation, schedule:NAME, sensor:NAME, backfill, re-execution, ui or cli.",
    )
    created_at: float
    started_at: float | None
    ended_at: float | None
    duration: float | None = Field(description="Seconds; null while the run is unfinished.")
    error: str | None


class StepOut(BaseModel):
    step_key: str
    asset_key: str | None
    partition_key: str | None
    status: str = Field(description="running, success, failure or skipped.")
    started_at: float | None
    ended_at: float | None


class RunDetail(BaseModel):
    run: RunSummary
    steps: list[StepOut]


class EventOut(BaseModel):
    event_id: int
    event_type: str
    timestamp: float
    step_key: str | None
    asset_key: str | None
    partition_key: str | None
    message: str | None
    level: str | None
    error: str | None = Field(description="The traceback of a failure.")
    metadata: dict[str, Any] | None = Field(
        None, description="A materialization's or observation's metadata, as stored."
    )


class PartitionRangeIn(BaseModel):
    first: str
    last: str


class MaterializeIn(BaseModel):
    """What to materialize: one asset, or a job (``define_asset_job``), and for partitioned
    assets which partitions."""

    asset_key: str | None = None
    job: str | None = Field(None, description="A job of the code location, instead of asset_key.")
    partition: str | None = None
    partition_range: PartitionRangeIn | None = None
    missing: bool = Field(False, description="Only partitions never materialized.")


class MaterializeOut(BaseModel):
    run_id: str
    request_id: str


class CheckEvaluationOut(BaseModel):
    check_name: str
    run_id: str
    timestamp: float
    partition_keys: list[str] = Field(description="The partitions evaluated (empty: none).")
    passed: bool
    blocking: bool
    severity: str = Field(description="ERROR or WARN.")
    description: str | None
    metadata: dict[str, Any]
    error: str | None = Field(description="The exception the check raised, if it raised.")


class CheckPartitionOut(BaseModel):
    partition_key: str | None
    passed: bool
    severity: str
    run_id: str
    timestamp: float
    description: str | None


class CheckOut(BaseModel):
    name: str
    description: str | None
    blocking: bool
    defined: bool = Field(description="False for a check only seen in the event log.")
    status: str = Field(description="passed, failed, warning (failed at WARN) or not_evaluated.")
    evaluated_partitions: int
    failing_partitions: int
    latest: list[CheckPartitionOut] = Field(
        description="The latest result per partition, failing first (at most 500)."
    )
    history: list[CheckEvaluationOut] = Field(description="The latest evaluations, newest first.")


class ChecksOut(BaseModel):
    key: str
    checks: list[CheckOut]


class StaleCauseOut(BaseModel):
    cause: str = Field(
        description="code_changed, upstream_changed, upstream_stale or upstream_missing."
    )
    text: str
    partitions: list[str] = Field(
        description="The stale partitions' ranges (empty: unpartitioned)."
    )
    upstream: str | None
    detail: str


class FailureOut(BaseModel):
    run_id: str
    step_key: str | None
    partition_key: str | None
    timestamp: float
    error: str | None
    error_type: str | None
    latest_attempt_failed: bool = Field(description="Whether no materialization followed it.")


class WhyOut(BaseModel):
    key: str
    status: str = Field(description="The staleness status: fresh, stale or missing.")
    missing: list[str] = Field(description="Missing partitions' ranges (at most 50).")
    missing_count: int
    causes: list[StaleCauseOut]
    root_causes: list[str] = Field(description="Where the chains of stale upstreams start.")
    root_assets: list[str] = Field(description="The assets those root causes name.")
    last_failure: FailureOut | None
    freshness: dict[str, Any] | None = Field(
        description="The freshness policy's lag, deadline and whether it is violated."
    )


class EventLogOut(BaseModel):
    events: list[EventOut]
    total: int = Field(description="How many events match the filters in all.")
    offset: int
    steps: list[str] = Field(description="Every step of the run, in the order they started.")
    kinds: list[str] = Field(description="Every event kind the run has.")


class ReexecuteIn(BaseModel):
    from_failure: bool = Field(
        False, description="Only the steps that failed, were skipped or never ran."
    )


class RunActionOut(BaseModel):
    run_id: str
    status: str
    message: str


class PartitionDetailOut(BaseModel):
    key: str
    partition_key: str | None
    status: str = Field(
        description="materialized, stale, failed or missing (the health strip's statuses)."
    )
    stale_causes: list[str] = Field(description="Why it is stale, as 'status' says it.")
    materialization_run_id: str | None
    materialized_at: float | None
    code_version: str | None
    data_version: str | None
    duration: float | None
    metadata: dict[str, Any] | None
    failure_run_id: str | None
    failed_at: float | None
    error: str | None


class VersionOut(BaseModel):
    version: str = Field(description="Changes whenever runs, events or dynamic partitions do.")


class GridDimensionOut(BaseModel):
    name: str
    keys: list[str]


class PartitionGridOut(BaseModel):
    key: str
    dimensions: list[GridDimensionOut] = Field(
        description="Rows, then columns; more than two dimensions: the columns are the others "
        "combined ('a|b' keys)."
    )
    cells: str = Field(
        description="One character per partition, row after row: see 'codes' for the status."
    )
    codes: dict[str, str] = Field(description="Cell character -> partition status.")


class SelectionOut(BaseModel):
    selection: str
    keys: list[str] = Field(description="The assets selected, in topological order.")
    error: str | None = Field(description="What is wrong with the selection (keys is empty).")
