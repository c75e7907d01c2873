# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/metadata-tags/asset_owners.py
from dagster import asset


@asset(owners=["richard.hendricks@hooli.com", "team:data-eng"])
def leads():
    ...
