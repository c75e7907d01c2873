# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/definitions_object_relative_imports/some_file.py
import dagster as dg


@dg.asset
def asset_in_some_file() -> None: ...


@dg.asset
def asset_that_isnt_included() -> None: ...
