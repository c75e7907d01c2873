# From dagster-io/dagster examples/quickstart_etl/src/quickstart_etl/defs/ (package marker)
