# From dagster-io/dagster examples/docs_snippets/docs_snippets/guides/automate/declarative_automation/eager/allow_dependencies.py and on_cron/ignore_dependencies.py (two one-line snippets)
import dagster as dg

condition = dg.AutomationCondition.eager().allow(dg.AssetSelection.groups("abc"))

condition = dg.AutomationCondition.on_cron("@hourly").ignore(
    dg.AssetSelection.assets("foo")
)
