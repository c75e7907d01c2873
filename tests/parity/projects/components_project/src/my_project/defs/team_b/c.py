# as `dg scaffold defs dagster.asset team_b/c.py` writes it (adding-attributes-to-assets guide)
import dagster as dg


@dg.asset
def c(context: dg.AssetExecutionContext) -> dg.MaterializeResult: ...
