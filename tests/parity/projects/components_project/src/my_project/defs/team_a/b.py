# as `dg scaffold defs dagster.asset team_a/b.py` writes it (adding-attributes-to-assets guide)
import dagster as dg


@dg.asset
def b(context: dg.AssetExecutionContext) -> dg.MaterializeResult: ...
