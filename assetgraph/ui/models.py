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


class AssetDetail(BaseModel):
    summary: AssetSummary
    code_version: str
    io_manager_key: str
    metadata: dict[str, Any] = Field(description="Definition metadata of the asset.")
    partitions_def: dict[str, Any] | None
    upstream: list[UpstreamOut]
    downstream: list[str]
    checks: list[str] = Field(description="Asset checks (none are defined yet).")


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


class LineageNode(BaseModel):
    key: str
    group: str
    status: str
    partitioned: bool


class LineageEdge(BaseModel):
    source: str
    target: str
    partition_mapping: str | None


class LineageOut(BaseModel):
    nodes: list[LineageNode]
    edges: list[LineageEdge]
    groups: list[str]
    statuses: list[StatusStyle]


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


class TickOut(BaseModel):
    """One evaluation of the automation policies: its time, runs launched and reasons."""

    tick_id: str
    timestamp: float
    status: str
    run_ids: list[str]
    reasons: dict[str, str] = Field(description="Asset key -> why it was (not) requested.")
