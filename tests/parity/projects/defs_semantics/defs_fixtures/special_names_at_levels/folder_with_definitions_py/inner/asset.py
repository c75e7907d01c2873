# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/special_names_at_levels/folder_with_definitions_py/inner/asset.py
# (not in the stored copy of the repository: an asset that definitions.py hides)
import dagster as dg


@dg.asset
def asset_in_inner() -> None: ...
