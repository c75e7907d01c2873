# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/special_names_at_levels/folder_with_component_py/asset.py
import dagster as dg


@dg.asset
def asset_only_in_asset_py_with_component_py() -> None: ...
