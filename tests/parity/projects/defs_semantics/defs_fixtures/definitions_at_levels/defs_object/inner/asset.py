# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/definitions_at_levels/defs_object/inner/asset.py
# (not in the stored copy of the repository: written as definitions.py imports it)
import dagster as dg


@dg.asset
def defs_obj_inner() -> None: ...
