# From dagster-io/dagster examples/docs_beta_snippets/docs_beta_snippets/guides/data-modeling/metadata/runtime-metadata.py
from dagster import asset, MetadataValue, MaterializeResult

@asset
def my_asset():
    # Asset logic goes here
    return MaterializeResult(
        metadata={
            # file_size_kb will be rendered as a time series
            "file_size_kb": MetadataValue.int(...)
        }
    )
