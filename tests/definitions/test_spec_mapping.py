"""map_asset_specs over specs, asset definitions and Definitions."""

from __future__ import annotations

from datetime import timedelta

import pytest

import assetgraph as dg
from assetgraph import (
    AssetSpec,
    DefinitionError,
    Definitions,
    FreshnessPolicy,
    apply_freshness_policy,
    asset,
)


@dg.asset
def upstream() -> int:
    return 1


@dg.asset(kinds={"python"})
def downstream() -> int:
    return 2


def test_map_asset_specs_changes_specs_and_definitions_alike() -> None:
    spec = dg.AssetSpec("external")
    mapped_spec, mapped_asset = dg.map_asset_specs(
        lambda s: s.replace_attributes(group_name="mapped"), [spec, downstream]
    )

    assert mapped_spec.group_name == "mapped"
    (only,) = dg.Definitions([mapped_asset]).resolve_all_asset_specs()
    assert (only.group_name, only.kinds) == ("mapped", frozenset({"python"}))
    assert downstream.specs[0].group == "default"  # the original is untouched


def test_definitions_map_asset_specs_with_a_selection_and_added_deps() -> None:
    defs = dg.Definitions([upstream, downstream])

    mapped = defs.map_asset_specs(
        func=lambda s: s.merge_attributes(deps=[upstream], tags={"t": "1"}),
        selection="key:downstream",
    )

    specs = {s.key.to_user_string(): s for s in mapped.resolve_all_asset_specs()}
    assert [d.asset_key for d in specs["downstream"].deps] == [dg.AssetKey("upstream")]
    assert specs["downstream"].tags == {"t": "1"}
    assert specs["upstream"].tags == {}
    result = dg.materialize(mapped.assets)
    assert result.success


def test_changing_a_key_or_returning_something_else_is_refused() -> None:
    with pytest.raises(DefinitionError, match=r"changed the key of asset 'upstream' to 'other'"):
        dg.map_asset_specs(lambda s: s.replace_attributes(key="other"), [upstream])
    with pytest.raises(DefinitionError, match=r"returned NoneType for asset 'upstream'"):
        dg.map_asset_specs(lambda s: None, [upstream])  # type: ignore[arg-type,return-value]


def test_resolve_assets_def_finds_the_definition_or_suggests() -> None:
    defs = dg.Definitions([upstream, downstream])
    assert defs.resolve_assets_def("upstream") is upstream
    assert defs.get_assets_def(dg.AssetKey("downstream")) is downstream
    with pytest.raises(dg.UsageError, match=r"No asset 'upstrem'.*'upstream'"):
        defs.resolve_assets_def("upstrem")


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


def test_definitions_map_asset_specs_of_a_selection() -> None:
    defs = Definitions([source, derived])
    mapped = defs.map_asset_specs(
        func=lambda spec: apply_freshness_policy(spec, DAILY, overwrite_existing=False),
        selection="group:raw",
    )
    policies = {a.key.to_string(): a.specs[0].freshness_policy for a in mapped.assets}
    assert policies == {"source": DAILY, "derived": HOURLY}
    assert [a.specs[0].freshness_policy for a in defs.assets] == [None, HOURLY], "a copy"
