"""The JSON the launchpad's API accepts and returns (``/api/launchpad/...``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assetgraph.ui.models import PartitionRangeIn


class LaunchpadIn(BaseModel):
    """What to launch: a selection in the selection language, its partitions, run config."""

    selection: str = Field(
        description="As the CLI's --select: 'key', '+key', 'key+', '2+key', 'group:NAME', "
        "'tag:K=V', '*'; space = union, comma = intersection."
    )
    exclude: str | None = Field(default=None, description="As the CLI's --exclude.")
    partition: str | None = Field(default=None, description="One partition key.")
    partition_range: PartitionRangeIn | None = None
    all_partitions: bool = False
    missing: bool = Field(
        default=False,
        description="Only partitions never materialized (alone, or within the range).",
    )
    stale: bool = Field(
        default=False, description="Only stale partitions (with missing: those too)."
    )
    run_config: str | None = Field(
        default=None,
        description="YAML or JSON: asset key -> its Config fields (or Dagster's "
        "ops: {ASSET: {config: {...}}}).",
        max_length=1_000_000,
    )
    tags: dict[str, str] = Field(
        default_factory=dict, description="Tags of the run (or of every run of the backfill)."
    )
    as_backfill: bool = Field(
        default=False, description="Store a backfill for the daemon instead of starting one run."
    )
    confirmed_steps: int | None = Field(
        default=None,
        description="A launch above the confirmation threshold must repeat the step count "
        "the preview showed.",
    )


class PlanAssetOut(BaseModel):
    """What the plan does for one asset definition."""

    name: str
    keys: list[str]
    steps: int
    partitions: int
    first: str | None
    last: str | None


class UpstreamWarningOut(BaseModel):
    """Steps that read upstream partitions that are neither materialized nor planned."""

    asset: str
    upstream: str
    steps: int = Field(description="Steps of the asset that read a missing upstream partition.")
    missing_upstream: int = Field(description="Upstream partitions missing (1: unpartitioned).")
    missing_ranges: list[str] = Field(description="The first missing upstream ranges.")
    message: str


class InFlightOut(BaseModel):
    """A queued or started run that already builds some of the planned partitions."""

    run_id: str
    status: str
    partitions: dict[str, int] = Field(
        description="Asset -> how many of its planned partitions the run builds (1 for an "
        "unpartitioned asset)."
    )
    message: str


class ConfigFieldOut(BaseModel):
    """One field of an asset's ``Config`` model."""

    asset: str
    field: str
    type: str
    required: bool
    default: Any = None
    description: str | None = None


class PlanPreviewOut(BaseModel):
    """The plan of a request, or the error that keeps it from launching (``error``: the
    same message a launch would answer with 422)."""

    selection: str
    error: str | None = Field(
        default=None, description="What is wrong with the request (selection, partitions, config)."
    )
    asset_keys: list[str] = Field(
        default_factory=list, description="The assets the selection names."
    )
    assets: list[PlanAssetOut] = []
    steps: int = 0
    partitions: int = 0
    warnings: list[UpstreamWarningOut] = []
    in_flight: list[InFlightOut] = Field(
        default_factory=list,
        description="Runs queued or started that already build some of these partitions.",
    )
    include_upstream: str | None = Field(
        default=None,
        description="The selection with the missing upstreams added (null: none missing).",
    )
    config_fields: list[ConfigFieldOut] = []
    config_template: str | None = Field(
        default=None,
        description="YAML run config with every field of the planned assets at its default.",
    )
    needs_confirmation: bool = False
    confirm_reason: str | None = None
    backfill_note: str | None = Field(
        default=None, description="Why this request cannot launch as a backfill (null: it can)."
    )


class LaunchpadOut(BaseModel):
    run_id: str | None = None
    backfill_id: str | None = None
    url: str = Field(description="The page of the run or of the backfill.")
    steps: int
    partitions: int
    message: str
