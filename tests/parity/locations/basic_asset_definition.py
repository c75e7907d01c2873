# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/assets/basic_asset_definition.py
import os
import json

from dagster import asset


@asset
def my_asset():
    os.makedirs("data", exist_ok=True)
    with open("data/my_asset.json", "w") as f:
        json.dump([1, 2, 3], f)
