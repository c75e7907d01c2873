# From dagster-io/dagster examples/docs_snippets/docs_snippets/guides/automate/declarative_automation/eager/basic_check.py
import dagster as dg


@dg.asset_check(
    asset="upstream",
    automation_condition=dg.AutomationCondition.eager(),
)
def eager_asset_check() -> dg.AssetCheckResult: ...
