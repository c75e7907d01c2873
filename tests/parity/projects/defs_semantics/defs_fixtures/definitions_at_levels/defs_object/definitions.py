# python_modules/dagster/dagster_tests/components_tests/integration_tests/integration_test_defs/definitions/definitions_at_levels/defs_object/definitions.py
import dagster as dg

from .asset import defs_obj_outer  # noqa
from .inner.asset import defs_obj_inner  # noqa

defs = dg.Definitions(assets=[defs_obj_inner, defs_obj_outer])
