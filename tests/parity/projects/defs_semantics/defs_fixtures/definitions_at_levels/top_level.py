# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/definitions_at_levels/top_level.py
import dagster as dg


@dg.asset
def top_level() -> None: ...
