"""Each policy kind, driven tick by tick with an injected clock; reasons asserted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assetgraph import (
    AutomationPolicy,
    DailyPartitionsDefinition,
    DefinitionError,
    Definitions,
    FreshnessPolicy,
    Instance,
    asset,
)
from assetgraph.automation.evaluator import EvaluationSettings
from tests.automation.conftest import at, entry, record, targets, tick


def eager_pair() -> Definitions:
    @asset(automation_policy=AutomationPolicy.eager())
    def a() -> int:
        return 1

    @asset(automation_policy=AutomationPolicy.eager())
    def b(a: int) -> int:
        return a + 1

    return Definitions([a, b])


def test_eager_builds_missing_assets_then_follows_new_upstream_data(instance: Instance) -> None:
    defs = eager_pair()
    first = tick(defs, instance, at(1))
    assert targets(first) == [{"a": [], "b": []}]
    assert entry(first, "a")["reasons"] == ["missing: never materialized"]
    assert entry(first, "b")["reasons"] == [
        "missing: never materialized",
        "upstream a is requested this tick",
    ]

    settle = tick(defs, instance, at(2))  # sees the run's materializations: up to date
    assert targets(settle) == []
    quiet = tick(defs, instance, at(2.5))
    assert quiet.payload["assets"] == {}, "nothing changed, so nothing is evaluated"

    record(instance, "a", at(3), data_version="new")
    again = tick(defs, instance, at(3))
    assert targets(again) == [{"b": []}]
    assert entry(again, "b")["reasons"] == ["upstream a has newer data"]
    assert entry(again, "a")["reasons"] == [
        "eager: up to date (nothing missing, no newer upstream data)"
    ]


def test_a_policy_added_between_ticks_of_one_process_is_evaluated(instance: Instance) -> None:
    @asset
    def a() -> int:
        return 1

    first = tick(Definitions([a]), instance, at(1))
    assert targets(first) == [], "no policy: nothing requested"
    quiet = tick(Definitions([a]), instance, at(1.5))
    assert quiet.payload["assets"] == {}, "same definitions, nothing changed: nothing evaluated"

    @asset(name="a", automation_policy=AutomationPolicy.eager())
    def eager_a() -> int:
        return 1

    # Reloaded definitions with a policy: the tick sees that they changed (what they
    # declare is derived once per graph, never carried over from the previous one).
    second = tick(Definitions([eager_a]), instance, at(2))
    assert targets(second) == [{"a": []}]
    assert entry(second, "a")["reasons"] == ["missing: never materialized"]


def test_eager_ignores_a_rebuild_that_keeps_the_data_version(instance: Instance) -> None:
    defs = eager_pair()
    tick(defs, instance, at(1))
    version = instance.storage.latest_materializations(["a"])[("a", None)].data_version
    record(instance, "a", at(2), data_version=version)
    outcome = tick(defs, instance, at(2))
    assert targets(outcome) == []
    assert entry(outcome, "b")["requested"] is None


def lazy_chain(lag: float = 60) -> Definitions:
    @asset(automation_policy=AutomationPolicy.lazy())
    def source_data() -> int:
        return 1

    @asset(automation_policy=AutomationPolicy.lazy())
    def middle(source_data: int) -> int:
        return source_data

    @asset(freshness_policy=FreshnessPolicy(maximum_lag_minutes=lag))
    def top(middle: int) -> int:
        return middle

    @asset(automation_policy=AutomationPolicy.lazy())
    def unrelated(source_data: int) -> int:
        return source_data

    return Definitions([source_data, middle, top, unrelated])


def test_lazy_assets_are_built_only_when_a_freshness_policy_needs_them(instance: Instance) -> None:
    defs = lazy_chain()
    for key in ("source_data", "middle", "top", "unrelated"):
        record(instance, key, at(0))
    fresh = tick(defs, instance, at(0.5))
    assert targets(fresh) == []
    assert entry(fresh, "top")["reasons"] == ["freshness: lag 30 min <= 60 min"]
    assert entry(fresh, "middle")["reasons"] == ["lazy: no freshness policy needs it now"]

    late = tick(defs, instance, at(1.25))
    assert targets(late) == [{"source_data": [], "middle": [], "top": []}]
    assert entry(late, "top")["reasons"] == ["freshness: lag 75 min > 60 min"]
    assert entry(late, "source_data")["reasons"] == [
        "needed by the freshness policy of top (freshness: lag 75 min > 60 min)"
    ]
    assert "unrelated" not in [key for run in targets(late) for key in run]

    after = tick(defs, instance, at(1.5))
    assert targets(after) == []
    assert entry(after, "top")["reasons"] == ["freshness: lag 15 min <= 60 min"]


def test_freshness_only_rebuilds_what_is_too_old(instance: Instance) -> None:
    defs = lazy_chain()
    record(instance, "source_data", at(0))
    record(instance, "middle", at(0.1))
    record(instance, "top", at(0.2))
    record(instance, "source_data", at(1.0))  # new root data, middle not rebuilt yet
    outcome = tick(defs, instance, at(1.1))
    # top's data time is source_data's as middle read it (hour 0): too old; middle must
    # be rebuilt, source_data is recent enough.
    assert targets(outcome) == [{"middle": [], "top": []}]
    assert entry(outcome, "top")["reasons"] == ["freshness: lag 66 min > 60 min"]


def test_freshness_with_cron_must_hold_at_each_tick(instance: Instance) -> None:
    policy = FreshnessPolicy(maximum_lag_minutes=60, cron_schedule="0 9 * * *")

    @asset(automation_policy=AutomationPolicy.lazy())
    def feed() -> int:
        return 1

    @asset(freshness_policy=policy)
    def board(feed: int) -> int:
        return feed

    defs = Definitions([feed, board])
    record(instance, "feed", at(0))
    record(instance, "board", at(0))
    early = tick(defs, instance, at(7.5))
    assert targets(early) == [], "09:00 needs data from 08:00, which cannot exist before 08:00"
    due = tick(defs, instance, at(8))
    assert targets(due) == [{"feed": [], "board": []}]
    assert entry(due, "board")["reasons"] == [
        "freshness: the cron tick 2025-01-01 09:00 UTC needs data from 2025-01-01 08:00 UTC or "
        "later, has data from 2025-01-01 00:00 UTC (lag 480 min, max 60 min)"
    ]
    assert tick(defs, instance, at(8.5)).runs == []


def test_on_cron_builds_at_each_tick_when_behind(instance: Instance) -> None:
    @asset(automation_policy=AutomationPolicy.eager())
    def upstream() -> int:
        return 1

    @asset(automation_policy=AutomationPolicy.on_cron("0 6 * * *"))
    def report(upstream: int) -> int:
        return upstream

    defs = Definitions([upstream, report])
    first = tick(defs, instance, at(5))
    assert targets(first) == [{"upstream": []}]
    assert entry(first, "report")["reasons"] == ["on_cron: next tick 2025-01-01 06:00 UTC"]
    six = tick(defs, instance, at(6))
    assert targets(six) == [{"report": []}]
    assert entry(six, "report")["reasons"] == [
        "cron tick 2025-01-01 06:00 UTC passed; missing: never materialized"
    ]
    assert targets(tick(defs, instance, at(7))) == []
    next_day = tick(defs, instance, at(6, days=1))
    assert targets(next_day) == []
    assert entry(next_day, "report")["reasons"] == [
        "cron tick 2025-01-02 06:00 UTC passed; already up to date with its upstreams"
    ]
    record(instance, "upstream", at(8, days=1), data_version="changed")
    tick(defs, instance, at(8, days=1))  # eager upstream rebuilt by hand: report waits
    third = tick(defs, instance, at(6, days=2))
    assert targets(third) == [{"report": []}]
    assert entry(third, "report")["reasons"] == [
        "cron tick 2025-01-03 06:00 UTC passed; upstream upstream has newer data"
    ]


@pytest.mark.parametrize(
    ("order", "expected", "words"),
    [
        ("oldest", ["2025-01-01...2025-01-03"], "2025-01-01...2025-01-03"),
        ("newest", ["2025-01-08...2025-01-10"], "2025-01-08...2025-01-10"),
    ],
)
def test_missing_partitions_are_filled_with_a_cap_per_tick(
    instance: Instance, order: str, expected: list[str], words: str
) -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(
        partitions_def=daily,
        automation_policy=AutomationPolicy.eager(
            max_materializations_per_tick=3,
            fill_order=order,  # type: ignore[arg-type]
        ),
    )
    def events(context) -> str:  # type: ignore[no-untyped-def]
        return str(context.partition_key)

    defs = Definitions([events])
    settings = EvaluationSettings(catch_up=timedelta(days=30))
    first = tick(defs, instance, at(days=10), settings=settings)
    assert targets(first) == [{"events": expected}]
    assert entry(first, "events")["reasons"] == [
        f"missing partitions {words} whose windows ended (3 of 10 this tick: "
        f"max_materializations_per_tick=3, {order} first)"
    ]
    second = tick(defs, instance, at(1, days=10), settings=settings)
    assert sum(len(r) for r in targets(second)) == 1
    assert entry(second, "events")["reasons"][0].startswith("missing partitions")


def test_catch_up_latest_fills_the_latest_window_then_each_new_one(instance: Instance) -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(partitions_def=daily, automation_policy=AutomationPolicy.eager(catch_up="latest"))
    def events(context) -> str:  # type: ignore[no-untyped-def]
        return str(context.partition_key)

    defs = Definitions([events])
    first = tick(defs, instance, at(days=30))
    assert targets(first) == [{"events": ["2025-01-30"]}]
    assert entry(first, "events")["reasons"] == ["missing partition 2025-01-30 whose window ended"]
    nxt = tick(defs, instance, at(days=31))
    assert targets(nxt) == [{"events": ["2025-01-31"]}]


def test_policy_arguments_are_checked() -> None:
    with pytest.raises(DefinitionError, match="maximum_lag_minutes must be a positive number"):
        FreshnessPolicy(maximum_lag_minutes=0)
    with pytest.raises(DefinitionError, match="Invalid cron schedule"):
        AutomationPolicy.on_cron("every day")
    with pytest.raises(DefinitionError, match="automation_policy must be an AutomationPolicy"):

        @asset(automation_policy="eager")  # type: ignore[arg-type]
        def x() -> int:
            return 1
