# From dagster-io/dagster examples/docs_snippets/docs_snippets/guides/build/assets/asset_w_context.py
# start_w_context
from dagster import AssetExecutionContext, asset


@asset
def context_asset(context: AssetExecutionContext):
    context.log.info(f"My run ID is {context.run.run_id}")
    ...


# end_w_context
