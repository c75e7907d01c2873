# From dagster-io/dagster examples/project_fully_featured/project_fully_featured/__init__.py: only its package marker (its definitions need Snowflake, S3, Slack, dbt on Snowflake)
