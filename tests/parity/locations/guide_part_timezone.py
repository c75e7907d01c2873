# From dagster-io/dagster examples/docs_snippets/docs_snippets/guides/build/partitions_backfills/partition_with_timezone.py
from dagster import DailyPartitionsDefinition

daily_partition = DailyPartitionsDefinition(
    start_date="2024-05-20", timezone="America/Los_Angeles"
)
