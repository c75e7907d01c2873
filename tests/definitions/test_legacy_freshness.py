"""``LegacyFreshnessPolicy`` and ``legacy_freshness_policy=`` on ``@asset`` / ``AssetSpec``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assetgraph import AssetSpec, FreshnessPolicy, LegacyFreshnessPolicy, asset
from assetgraph.errors import DefinitionError


def test_the_legacy_policy_is_a_lag_policy_on_assets_and_specs() -> None:
    policy = LegacyFreshnessPolicy(maximum_lag_minutes=60, cron_schedule="0 9 * * *")
    assert policy == FreshnessPolicy(maximum_lag_minutes=60, cron_schedule="0 9 * * *")

    @asset(legacy_freshness_policy=policy)
    def report() -> int:
        return 1

    assert report.specs[0].freshness_policy == policy
    assert AssetSpec("table", legacy_freshness_policy=policy).freshness_policy == policy
    zoned = LegacyFreshnessPolicy(30, "0 9 * * *", cron_schedule_timezone="Europe/Paris")
    assert zoned.cron_timezone == "Europe/Paris"


def test_both_spellings_at_once_or_a_new_policy_as_legacy_are_refused() -> None:
    window = FreshnessPolicy.time_window(fail_window=timedelta(hours=1))
    with pytest.raises(DefinitionError, match="AssetSpec\\('t'\\): give freshness_policy="):
        AssetSpec("t", freshness_policy=window, legacy_freshness_policy=LegacyFreshnessPolicy(5))
    with pytest.raises(DefinitionError, match="@asset 'bad': legacy_freshness_policy= takes"):

        @asset(legacy_freshness_policy=window)
        def bad() -> int:
            return 1
