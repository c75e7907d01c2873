"""Dagster's freshness checks: asset checks that pass while an asset is updated often enough.

``build_last_update_freshness_checks`` and ``build_time_partition_freshness_checks`` return
one check named ``freshness_check`` per asset; ``build_sensor_for_freshness_checks``
returns the sensor that evaluates them as time passes. As in Dagster:

- a check runs with its asset (here, in the asset's step, once the value is produced): the
  asset was just updated, so a last-update check passes, and a time-partition check passes
  when the step built the partition it expects;
- the sensor, while running (``assetgraph automate``), evaluates a check that was never
  evaluated, and a check whose last evaluation passed once that result expired (its
  ``dagster/fresh_until_timestamp``); a failed check waits for the next materialization.
  Its evaluations are recorded outside any run (run id ``__freshness__``).

Severity is ``WARN`` by default, so a stale asset is reported without failing anything.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from assetgraph.automation.requests import SkipReason
from assetgraph.automation.sensors import SensorDefinition, SensorEvaluationContext
from assetgraph.definitions.check_specs import checked_asset_keys
from assetgraph.definitions.checks import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
)
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.definitions.metadata import MetadataValue, normalize_metadata
from assetgraph.definitions.policies import next_tick, previous_tick
from assetgraph.errors import AssetgraphError, DefinitionError, UsageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition
from assetgraph.status.checks import check_evaluations
from assetgraph.storage.events import FRESHNESS_RUN_ID, CheckEvaluated
from assetgraph.storage.records import EventRecord

FRESHNESS_CHECK_NAME = "freshness_check"
FRESH_UNTIL = "dagster/fresh_until_timestamp"


@dataclass(frozen=True, slots=True)
class FreshnessRule:
    """What one freshness check requires of its asset.

    ``last_update``: the asset was materialized within ``lower_bound_delta`` of now or,
    with ``deadline_cron``, at or after the last deadline tick minus ``lower_bound_delta``.
    ``time_partition``: by the last tick of ``deadline_cron``, the latest time window that
    had ended then is materialized.
    """

    kind: str
    asset_key: AssetKey
    deadline_cron: str | None
    timezone: str
    lower_bound_delta: timedelta | None = None
    partitions_def: TimeWindowPartitionsDefinition | None = None

    def params(self) -> dict[str, Any]:
        """Dagster's ``dagster/freshness_params`` metadata."""
        params: dict[str, Any] = {"timezone": self.timezone}
        if self.lower_bound_delta is not None:
            params["lower_bound_delta_seconds"] = self.lower_bound_delta.total_seconds()
        if self.deadline_cron is not None:
            params["deadline_cron"] = self.deadline_cron
        return params

    def evaluate(
        self, now: float, updated: Mapping[str | None, float], severity: AssetCheckSeverity
    ) -> AssetCheckResult:
        """The result at ``now``, given when each partition (None: unpartitioned) was last
        materialized."""
        if self.kind == "time_partition":
            return self._time_partition(now, updated, severity)
        return self._last_update(now, max(updated.values(), default=None), severity)

    def _last_update(
        self, now: float, updated: float | None, severity: AssetCheckSeverity
    ) -> AssetCheckResult:
        assert self.lower_bound_delta is not None
        lower = self.lower_bound_delta.total_seconds()
        metadata: dict[str, Any] = {"dagster/freshness_params": MetadataValue.json(self.params())}
        if self.deadline_cron is None:
            required, fresh_until = now - lower, (updated or 0.0) + lower
        else:
            tick = float(previous_tick(self.deadline_cron, self.timezone, now))
            required = tick - lower
            fresh_until = float(next_tick(self.deadline_cron, self.timezone, now))
            metadata["dagster/latest_cron_tick_timestamp"] = MetadataValue.timestamp(tick)
        if updated is None:
            description = f"asset '{self.asset_key}' was never materialized"
            return _result(False, description, metadata, severity)
        metadata["dagster/last_updated_timestamp"] = MetadataValue.timestamp(updated)
        if updated >= required:
            metadata[FRESH_UNTIL] = MetadataValue.timestamp(fresh_until)
            return _result(True, f"asset '{self.asset_key}' is fresh", metadata, severity)
        metadata["dagster/overdue_seconds"] = MetadataValue.float(now - required)
        metadata["dagster/overdue_deadline_timestamp"] = MetadataValue.timestamp(required + lower)
        description = (
            f"asset '{self.asset_key}' was last updated {_ago(now - updated)} ago, before "
            f"{_when(required)}"
        )
        return _result(False, description, metadata, severity)

    def _time_partition(
        self, now: float, updated: Mapping[str | None, float], severity: AssetCheckSeverity
    ) -> AssetCheckResult:
        assert self.deadline_cron is not None and self.partitions_def is not None
        tick = float(previous_tick(self.deadline_cron, self.timezone, now))
        metadata: dict[str, Any] = {
            "dagster/freshness_params": MetadataValue.json(self.params()),
            "dagster/latest_cron_tick_timestamp": MetadataValue.timestamp(tick),
        }
        fresh_until = float(next_tick(self.deadline_cron, self.timezone, now))
        ended = self.partitions_def.count(datetime.fromtimestamp(tick, UTC))
        if ended == 0:
            metadata[FRESH_UNTIL] = MetadataValue.timestamp(fresh_until)
            description = f"no partition of asset '{self.asset_key}' had ended by the deadline"
            return _result(True, description, metadata, severity)
        expected = self.partitions_def.key_for_index(ended - 1)
        metadata["dagster/expected_partition_key"] = MetadataValue.text(expected)
        if expected in updated:
            metadata["dagster/last_updated_timestamp"] = MetadataValue.timestamp(updated[expected])
            metadata[FRESH_UNTIL] = MetadataValue.timestamp(fresh_until)
            description = f"partition '{expected}' of asset '{self.asset_key}' is materialized"
            return _result(True, description, metadata, severity)
        metadata["dagster/overdue_deadline_timestamp"] = MetadataValue.timestamp(tick)
        metadata["dagster/overdue_seconds"] = MetadataValue.float(now - tick)
        description = (
            f"partition '{expected}' of asset '{self.asset_key}' was not materialized by "
            f"{_when(tick)}"
        )
        return _result(False, description, metadata, severity)


def _result(
    passed: bool, description: str, metadata: dict[str, Any], severity: AssetCheckSeverity
) -> AssetCheckResult:
    return AssetCheckResult(
        passed=passed, description=description, metadata=metadata, severity=severity
    )


class FreshnessCheck(AssetChecksDefinition):
    """A freshness check: an ``AssetChecksDefinition`` with the rule the sensor evaluates."""

    def __init__(self, rule: FreshnessRule, severity: AssetCheckSeverity, blocking: bool) -> None:
        self.rule = rule
        self.severity = AssetCheckSeverity(severity)

        def freshness_check(context: Any) -> AssetCheckResult:
            return self.evaluate_in_step(context)

        super().__init__(
            fn=freshness_check,
            name=FRESHNESS_CHECK_NAME,
            asset_key=rule.asset_key,
            blocking=blocking,
            description=f"freshness of '{rule.asset_key}' ({_describe(rule)})",
            value_param=None,
            context_param="context",
        )

    def evaluate_in_step(self, context: Any) -> AssetCheckResult:
        """In the asset's step: what the instance has, plus the partitions built now."""
        now = time.time()
        updated = _updated_from(_instance_of(context), self.rule.asset_key)
        for partition in getattr(context, "partition_keys", None) or [None]:
            updated[partition] = now
        return self.rule.evaluate(now, updated, self.severity)

    def __reduce__(self) -> Any:
        return (FreshnessCheck, (self.rule, self.severity, self.blocking))


def build_last_update_freshness_checks(
    *,
    assets: Sequence[Any],
    lower_bound_delta: timedelta,
    deadline_cron: str | None = None,
    timezone: str = "UTC",
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    blocking: bool = False,
) -> list[AssetChecksDefinition]:
    """One check per asset (a definition, a spec, an ``AssetKey`` or ``"a/b"``): it passes
    when the asset (any partition) was materialized within ``lower_bound_delta`` of now
    or, with ``deadline_cron``, at or after the last deadline minus ``lower_bound_delta``."""
    if not isinstance(lower_bound_delta, timedelta) or lower_bound_delta <= timedelta(0):
        raise DefinitionError(
            "build_last_update_freshness_checks: lower_bound_delta must be a positive "
            f"timedelta, got {lower_bound_delta!r}."
        )
    _check_cron(deadline_cron, timezone, "build_last_update_freshness_checks")
    return [
        FreshnessCheck(
            FreshnessRule(
                "last_update", key, deadline_cron, timezone, lower_bound_delta=lower_bound_delta
            ),
            severity,
            blocking,
        )
        for key in checked_asset_keys(assets, "build_last_update_freshness_checks")
    ]


def build_time_partition_freshness_checks(
    *,
    assets: Sequence[Any],
    deadline_cron: str,
    timezone: str = "UTC",
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    blocking: bool = False,
) -> list[AssetChecksDefinition]:
    """One check per time-partitioned asset definition: it passes when, by the last tick of
    ``deadline_cron``, the latest time window that had ended then is materialized."""
    _check_cron(deadline_cron, timezone, "build_time_partition_freshness_checks")
    checks: list[AssetChecksDefinition] = []
    for asset in assets:
        keys = checked_asset_keys([asset], "build_time_partition_freshness_checks")
        pdef = getattr(asset, "partitions_def", None)
        if not isinstance(pdef, TimeWindowPartitionsDefinition):
            raise DefinitionError(
                f"build_time_partition_freshness_checks: asset '{keys[0]}' is not "
                "time-window partitioned; pass its definition (daily, hourly, ...), or use "
                "build_last_update_freshness_checks."
            )
        for key in keys:
            rule = FreshnessRule(
                "time_partition", key, deadline_cron, timezone, partitions_def=pdef
            )
            checks.append(FreshnessCheck(rule, severity, blocking))
    return checks


def build_sensor_for_freshness_checks(
    *,
    freshness_checks: Sequence[AssetChecksDefinition],
    minimum_interval_seconds: float | None = None,
    name: str = "freshness_checks_sensor",
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    tags: Mapping[str, str] | None = None,
) -> SensorDefinition:
    """The sensor that evaluates ``freshness_checks`` as time passes (see the module
    docstring); it launches no runs. ``tags`` are accepted for Dagster compatibility."""
    del tags
    checks = list(freshness_checks)
    others = [c for c in checks if not isinstance(c, FreshnessCheck)]
    if others:
        raise DefinitionError(
            f"build_sensor_for_freshness_checks({name!r}): {others[0]!r} is not a freshness "
            "check; pass what build_last_update_freshness_checks or "
            "build_time_partition_freshness_checks returned."
        )
    freshness = [c for c in checks if isinstance(c, FreshnessCheck)]

    def evaluate(context: SensorEvaluationContext) -> SkipReason:
        count = evaluate_freshness_checks(freshness, context.instance, context.now.timestamp())
        return SkipReason(f"evaluated {count} freshness check(s); no runs to launch")

    return SensorDefinition(
        name=name,
        evaluation_fn=evaluate,
        minimum_interval_seconds=minimum_interval_seconds,
        description="Evaluates freshness checks when their last result may have changed.",
        default_status=default_status,
    )


def evaluate_freshness_checks(checks: Iterable[FreshnessCheck], instance: Any, now: float) -> int:
    """Evaluate each check that is due at ``now`` and record its result; how many were."""
    if instance is None:
        raise UsageError(
            "Freshness checks need an instance to read materializations from: pass "
            "instance=... to build_sensor_context()."
        )
    storage = instance.storage
    events = []
    for check in checks:
        key = check.rule.asset_key
        if not _due(storage, key, now):
            continue
        result = check.rule.evaluate(now, _updated_from(instance, key), check.severity)
        body = CheckEvaluated(
            check_name=check.name,
            asset_key=key.to_string(),
            passed=result.passed,
            blocking=check.blocking,
            severity=AssetCheckSeverity(result.severity).value,
            description=result.description,
            metadata=normalize_metadata(result.metadata),
        )
        events.append(
            EventRecord(
                run_id=FRESHNESS_RUN_ID,
                event_type=body.kind,
                timestamp=now,
                asset_key=key.to_string(),
                message=result.description,
                payload=body.to_payload(),
            )
        )
    if events:
        storage.store_events(events)
    return len(events)


def _due(storage: Any, key: AssetKey, now: float) -> bool:
    """Never evaluated, or last passed and that result has expired."""
    latest = next(
        (
            r
            for r in check_evaluations(storage, key.to_string(), limit=100)
            if r.check_name == FRESHNESS_CHECK_NAME
        ),
        None,
    )
    if latest is None:
        return True
    if not latest.passed:
        return False
    fresh_until = latest.metadata.get(FRESH_UNTIL)
    value = fresh_until.get("value") if isinstance(fresh_until, dict) else fresh_until
    return value is None or float(value) <= now


def _instance_of(context: Any) -> Any:
    """The step's instance, or None where it has none (a worker of an ephemeral one)."""
    try:
        return context.instance
    except AssetgraphError:
        return None


def _updated_from(instance: Any, key: AssetKey) -> dict[str | None, float]:
    """Partition (None: unpartitioned) -> when it was last materialized (or observed)."""
    if instance is None:
        return {}
    records = instance.storage.latest_materializations([key.to_string()])
    return {partition: float(r.timestamp) for (_, partition), r in records.items()}


def _check_cron(deadline_cron: str | None, timezone: str, builder: str) -> None:
    if deadline_cron is None:
        return
    try:
        previous_tick(deadline_cron, timezone, time.time())
    except (ValueError, KeyError, DefinitionError, UsageError) as exc:
        raise DefinitionError(
            f"{builder}: deadline_cron={deadline_cron!r} (timezone {timezone!r}) is not a "
            f"valid cron schedule: {exc}"
        ) from exc


def _describe(rule: FreshnessRule) -> str:
    if rule.kind == "time_partition":
        return f"latest ended window materialized by each tick of '{rule.deadline_cron}'"
    assert rule.lower_bound_delta is not None
    within = _ago(rule.lower_bound_delta.total_seconds())
    if rule.deadline_cron is None:
        return f"updated within {within}"
    return f"updated within {within} before each tick of '{rule.deadline_cron}'"


def _ago(seconds: float) -> str:
    minutes = seconds / 60.0
    if minutes < 120:
        return f"{minutes:.0f} min"
    return f"{minutes / 60.0:.1f} h"


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")
