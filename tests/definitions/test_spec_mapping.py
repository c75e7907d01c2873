"""``map_asset_specs``, ``Definitions.map_asset_specs`` and ``apply_freshness_policy``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assetgraph import (
    AssetSpec,
    Definitions,
    FreshnessPolicy,
    apply_freshness_policy,
    asset,
    map_asset_specs,
)
from assetgraph.errors import DefinitionError

DAILY = FreshnessPolicy.time_window(fail_window=timedelta(days=1))
HOURLY = FreshnessPolicy.time_window(fail_window=timedelta(hours=1))


@asset(group_name="raw")
def source() -> int:
    return 1


@asset(freshness_policy=HOURLY)
def derived(source: int) -> int:
    return source


def test_apply_freshness_policy_keeps_an_existing_one_only_when_asked() -> None:
    spec = AssetSpec("table", freshness_policy=HOURLY)
    assert apply_freshness_policy(spec, DAILY).freshness_policy == DAILY
    assert apply_freshness_policy(spec, DAILY, overwrite_existing=False) is spec
    assert apply_freshness_policy(AssetSpec("other"), DAILY, False).freshness_policy == DAILY


def test_map_asset_specs_changes_definitions_and_specs_alike() -> None:
    mapped = map_asset_specs(
        lambda spec: spec.replace_attributes(tags={"team": "data"}, group_name="core"),
        [source, AssetSpec("external")],
    )
    [new_source, external] = mapped
    assert new_source is not source and source.specs[0].group == "raw"
    assert (new_source.specs[0].group, dict(new_source.specs[0].tags)) == ("core", {"team": "data"})
    assert new_source() == 1, "the function is the same"
    assert (external.group_name, dict(external.tags)) == ("core", {"team": "data"})


def test_definitions_map_asset_specs_of_a_selection() -> None:
    defs = Definitions([source, derived])
    mapped = defs.map_asset_specs(
        lambda spec: apply_freshness_policy(spec, DAILY, overwrite_existing=False),
        selection="group:raw",
    )
    policies = {a.key.to_string(): a.specs[0].freshness_policy for a in mapped.assets}
    assert policies == {"source": DAILY, "derived": HOURLY}
    assert [a.specs[0].freshness_policy for a in defs.assets] == [None, HOURLY], "a copy"


def test_a_mapped_key_is_refused_naming_the_asset() -> None:
    with pytest.raises(DefinitionError, match="changed the key of asset 'source'"):
        map_asset_specs(lambda spec: spec.replace_attributes(key="renamed"), [source])
    with pytest.raises(DefinitionError, match="returned str for asset 'source'"):
        map_asset_specs(lambda spec: "nope", [source])  # type: ignore[arg-type,return-value]
