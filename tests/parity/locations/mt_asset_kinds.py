# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/metadata-tags/asset_kinds.py
from dagster import asset


@asset(kinds={"python", "snowflake"})
def my_asset():
    pass
