"""The JSON the backfills and automation pages read (documented at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assetgraph.ui.models import RunSummary


class BackfillAssetOut(BaseModel):
    """How far a backfill is with one asset, in partitions (1 for an unpartitioned one)."""

    asset: str
    target: int
    done: int
    failed: int
    in_progress: int
    remaining: int
    target_ranges: list[str] = Field(description="The partitions it builds, as key ranges.")
    failed_ranges: list[str] = Field(description="Its partitions that failed, as key ranges.")


class BackfillTotalsOut(BaseModel):
    target: int = 0
    done: int = 0
    failed: int = 0
    in_progress: int = 0
    remaining: int = 0


class BackfillOut(BaseModel):
    """One stored backfill: its request, status and progress per asset."""

    backfill_id: str
    status: str = Field(
        description="requested, canceling, canceled, completed_success, completed_failed or failed."
    )
    created_at: float
    updated_at: float
    selection: str = Field(description="The request: selection and partition options.")
    tags: dict[str, str]
    max_concurrent_runs: int | None
    runs_in_flight: list[str]
    error: str | None
    totals: BackfillTotalsOut
    assets: list[BackfillAssetOut]
    can_cancel: bool
    can_resume: bool


class BackfillDetailOut(BackfillOut):
    """A backfill with the runs it launched, newest first."""

    runs: list[RunSummary]


class InstigatorTickOut(BaseModel):
    """What one daemon tick did with one schedule or sensor."""

    tick_id: int
    timestamp: float = Field(description="The tick's time (its ``now``).")
    status: str = Field(description="requested, skipped or failure.")
    note: str = Field(description="The tick's one-line summary for this schedule or sensor.")
    run_ids: list[str]
    run_requests: list[dict[str, Any]] = Field(
        description="Per run asked for: run_key, assets and how many partitions."
    )
    skip_reasons: list[str]
    error: str | None
    notes: list[str] = Field(description="Other things it did (dynamic partitions added).")
    cursor: str | None = Field(None, description="The cursor a sensor left (truncated).")
    scheduled_for: float | None = Field(None, description="The cron tick a schedule ran for.")


class InstigatorOut(BaseModel):
    """One schedule or sensor: its state, when it runs, and its latest tick."""

    kind: str = Field(description="schedule or sensor.")
    name: str
    status: str = Field(description="running or stopped.")
    default_status: str
    set_by_user: bool = Field(description="Whether someone started or stopped it.")
    description: str | None
    job: str | None
    target: str | None = Field(description="The asset selection it runs, when not a job.")
    cron_schedule: str | None
    execution_timezone: str | None
    minimum_interval_seconds: float | None
    last_tick: InstigatorTickOut | None
    next_tick: float | None = Field(
        description="When it is next due (a sensor: not before; the daemon's next tick "
        "after that evaluates it); null when stopped."
    )


class InstigatorDetailOut(InstigatorOut):
    ticks: list[InstigatorTickOut]


class InstigatorStatusIn(BaseModel):
    status: str = Field(pattern="^(running|stopped)$", description="running or stopped.")


class AutomationTickOut(BaseModel):
    """One daemon tick: when, its status, runs, how many assets it requested or not."""

    tick_id: int
    timestamp: float = Field(description="The tick's time (its ``now``).")
    started_at: float
    ended_at: float | None
    status: str = Field(description="started, success, skipped or failure.")
    run_ids: list[str]
    requested: list[str] = Field(description="Assets it requested.")
    waiting: list[str] = Field(description="Assets that wait for upstream partitions.")
    skipped: list[str] = Field(description="Assets it looked at and did not request.")
    instigators: dict[str, str] = Field(description="schedule:NAME or sensor:NAME -> result.")
    errors: list[str]
    evaluation_ms: float | None


class AssetDecisionOut(BaseModel):
    """What one tick decided for one asset, and why."""

    asset: str
    decision: str = Field(description="requested, waiting or skipped.")
    requested: list[str] | None = Field(
        description="Partition ranges requested ([] for an unpartitioned asset); null: none."
    )
    requested_count: int
    reasons: list[str]
    skipped: list[str] = Field(description="What it left out and why (waiting, in flight).")
    run_ids: list[str]
    condition: dict[str, Any] | None = Field(
        description="The evaluated AutomationCondition tree: per node name, label, true "
        "(partitions it holds for), total, partitions; initial or same_as."
    )


class AutomationTickDetailOut(AutomationTickOut):
    decisions: list[AssetDecisionOut]
    runs: list[dict[str, Any]] = Field(
        description="Per run: request_id, origin, run_id, error, targets."
    )


class AssetEvaluationOut(BaseModel):
    """One recent tick's decision for one asset (``automate why``)."""

    tick_id: int
    timestamp: float
    evaluated: bool
    decision: str | None = Field(description="requested, waiting, skipped; null: not evaluated.")
    requested: list[str] | None
    reasons: list[str]
    skipped: list[str]
    run_ids: list[str]
    condition: dict[str, Any] | None


class AssetAutomationOut(BaseModel):
    """The automation panel of one asset: what drives it and what the daemon decided."""

    key: str
    policy: str | None = Field(description="Its AutomationPolicy, described.")
    condition: dict[str, Any] | None = Field(
        description="Its AutomationCondition as a tree of name, label and children."
    )
    freshness: dict[str, Any] | None = Field(
        description="The freshness policy: lag, deadline, overdue partitions, state."
    )
    sensors: list[str] = Field(description="Sensors and schedules that target it.")
    latest: AssetEvaluationOut | None = Field(description="The latest tick that evaluated it.")
    evaluations: list[AssetEvaluationOut]
