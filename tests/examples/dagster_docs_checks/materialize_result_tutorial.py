# The shape of Dagster's tutorial ("Hacker News" assets with MaterializeResult): assets write
# their own files, depend on each other with deps=, and report metadata. Only the import
# lines are changed; the stories come from a local list instead of the HN API (no network
# in tests), and the preview uses DataFrame.to_string (to_markdown needs tabulate).
import json
import os

import pandas as pd

from assetgraph import AssetExecutionContext, Definitions, MaterializeResult, MetadataValue, asset

STORIES = [{"id": i, "title": f"Story {i}", "score": i * 10} for i in range(1, 8)]


@asset
def topstory_ids() -> None:
    top_new_story_ids = [story["id"] for story in STORIES][:5]

    os.makedirs("data", exist_ok=True)
    with open("data/topstory_ids.json", "w") as f:
        json.dump(top_new_story_ids, f)


@asset(deps=[topstory_ids])
def topstories(context: AssetExecutionContext) -> MaterializeResult:
    with open("data/topstory_ids.json") as f:
        topstory_ids = json.load(f)

    results = []
    for item_id in topstory_ids:
        item = next(story for story in STORIES if story["id"] == item_id)
        results.append(item)

        if len(results) % 20 == 0:
            context.log.info(f"Got {len(results)} items so far.")

    df = pd.DataFrame(results)
    df.to_csv("data/topstories.csv")

    return MaterializeResult(
        metadata={
            "num_records": len(df),  # Metadata can be any key-value pair
            "preview": MetadataValue.md(df.head().to_string()),
            # The `MetadataValue` class has useful static methods to build Metadata
        }
    )


defs = Definitions(assets=[topstory_ids, topstories])
