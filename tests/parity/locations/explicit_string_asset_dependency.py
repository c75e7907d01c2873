# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/assets/explicit_string_asset_dependency.py
from dagster import AssetIn, AssetKey, asset


@asset
def upstream_asset():
    return [1, 2, 3]


@asset(ins={"upstream": AssetIn("upstream_asset")})
def downstream_asset(upstream):
    return upstream + [4]
