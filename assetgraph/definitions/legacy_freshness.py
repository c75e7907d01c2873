"""Dagster's ``LegacyFreshnessPolicy`` (its name, since 1.11, for the freshness policy of
``maximum_lag_minutes``) and the ``legacy_freshness_policy=`` argument of ``@asset`` and
``AssetSpec``: both give assetgraph's ``FreshnessPolicy`` of kind ``lag``."""

from __future__ import annotations

from typing import Any

from assetgraph.definitions.policies import FreshnessPolicy
from assetgraph.errors import DefinitionError


def LegacyFreshnessPolicy(
    maximum_lag_minutes: float,
    cron_schedule: str | None = None,
    cron_schedule_timezone: str | None = None,
) -> FreshnessPolicy:
    """The asset's data may be at most ``maximum_lag_minutes`` old (at each tick of
    ``cron_schedule``, in ``cron_schedule_timezone``, when given)."""
    return FreshnessPolicy(
        maximum_lag_minutes=maximum_lag_minutes,
        cron_schedule=cron_schedule,
        cron_timezone=cron_schedule_timezone or "UTC",
    )


def one_freshness_policy(freshness_policy: Any, legacy_freshness_policy: Any, where: str) -> Any:
    """The policy of ``freshness_policy=`` or ``legacy_freshness_policy=`` (not both)."""
    if legacy_freshness_policy is None:
        return freshness_policy
    if freshness_policy is not None:
        raise DefinitionError(
            f"{where}: give freshness_policy= or legacy_freshness_policy=, not both."
        )
    if not isinstance(legacy_freshness_policy, FreshnessPolicy) or (
        legacy_freshness_policy.kind != "lag"
    ):
        raise DefinitionError(
            f"{where}: legacy_freshness_policy= takes a LegacyFreshnessPolicy("
            f"maximum_lag_minutes=...), got {legacy_freshness_policy!r}."
        )
    return legacy_freshness_policy
