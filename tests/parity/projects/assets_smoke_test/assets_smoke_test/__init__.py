# From dagster-io/dagster examples/assets_smoke_test/assets_smoke_test/ (package marker)
