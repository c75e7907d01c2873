# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/assets/explicit_asset_dependency_asset_keys.py
from dagster import AssetIn, AssetKey, asset

# One way of providing explicit asset keys:


@asset(ins={"upstream": AssetIn(asset_key="upstream_asset")})
def downstream_asset(upstream):
    return upstream + [4]


# Another way:


@asset(ins={"upstream": AssetIn(asset_key=AssetKey("upstream_asset"))})
def another_downstream_asset(upstream):
    return upstream + [10]
