# From dagster-io/dagster examples/docs_snippets/docs_snippets/guides/automate/declarative_automation/on_cron/basic.py
import dagster as dg


@dg.asset(
    deps=["upstream"],
    automation_condition=dg.AutomationCondition.on_cron("@hourly"),
)
def hourly_asset() -> None: ...
