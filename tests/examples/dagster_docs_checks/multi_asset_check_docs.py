# Dagster's docs, "Defining multiple checks" (@multi_asset_check): only the import line is
# changed (`from dagster import` -> `from assetgraph import`).
from collections.abc import Iterable

from assetgraph import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    Definitions,
    asset,
    multi_asset_check,
)


@asset
def my_asset() -> None: ...


@multi_asset_check(
    specs=[
        AssetCheckSpec(name="asset_check_one", asset="my_asset"),
        AssetCheckSpec(name="asset_check_two", asset="my_asset"),
    ]
)
def the_check(context: AssetCheckExecutionContext) -> Iterable[AssetCheckResult]:
    yield AssetCheckResult(
        passed=False,
        severity=AssetCheckSeverity.WARN,
        description="The asset is over 0.5",
        asset_key="my_asset",
        check_name="asset_check_one",
    )

    yield AssetCheckResult(
        passed=True,
        description="The asset is fresh.",
        asset_key="my_asset",
        check_name="asset_check_two",
    )


defs = Definitions(assets=[my_asset], asset_checks=[the_check])
