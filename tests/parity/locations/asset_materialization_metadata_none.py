# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/assets/asset_materialization_metadata_none.py
from dagster import Output, asset


@asset
def table1() -> Output[None]:
    ...  # write out some data to table1
    return Output(None, metadata={"num_rows": 25})
