# From dagster-io/dagster examples/project_fully_featured/project_fully_featured/assets/__init__.py: only its package marker (the asset groups it builds need Snowflake)
