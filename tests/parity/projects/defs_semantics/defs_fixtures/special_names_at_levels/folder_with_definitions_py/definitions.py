# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/special_names_at_levels/folder_with_definitions_py/definitions.py
import dagster as dg


@dg.asset
def asset_in_definitions_py() -> None: ...
