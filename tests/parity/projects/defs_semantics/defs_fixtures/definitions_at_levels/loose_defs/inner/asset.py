# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/definitions_at_levels/loose_defs/inner/asset.py
import dagster as dg


@dg.asset
def inner() -> None: ...
