# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/definitions_at_levels/defs_object/asset.py
import dagster as dg


@dg.asset
def defs_obj_outer() -> None: ...


@dg.asset
def not_included() -> None: ...
