# as `dg scaffold defs dagster.asset team_a/subproject/a.py` writes it (adding-attributes-to-assets guide)
import dagster as dg


@dg.asset
def a(context: dg.AssetExecutionContext) -> dg.MaterializeResult: ...
