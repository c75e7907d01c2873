"""Dagster's ``AutomationCondition``: operators, state over ticks, partitions, deps, checks,
cron ticks across time zones, and ``automate why``. Driven tick by tick with an injected clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from assetgraph import (
    AssetOut,
    AssetSelection,
    AutomationCondition,
    AutomationPolicy,
    DailyPartitionsDefinition,
    DefinitionError,
    Definitions,
    HourlyPartitionsDefinition,
    Instance,
    asset,
    asset_check,
    multi_asset,
)
from assetgraph.automation.condition_evaluation import CONDITIONS_CURSOR
from assetgraph.cli.main import app
from assetgraph.storage.automation_store import AutomationStore
from assetgraph.storage.records import EventRecord, EventType
from tests.automation.conftest import (
    RecordingLauncher,
    at,
    entry,
    record,
    targets,
    tick as run_tick,
)

AC = AutomationCondition
DAILY = DailyPartitionsDefinition(start_date="2025-01-01")


_TREES: dict[tuple[str, float], dict[str, Any]] = {}


def tick(*args: Any, **kwargs: Any) -> Any:
    """One tick (see the conftest); remembers every full condition tree it recorded, so
    that ``tree`` can resolve one stored as "same as the tick at T"."""
    outcome = run_tick(*args, **kwargs)
    for key, decision in outcome.payload["assets"].items():
        recorded = decision.get("condition") or {}
        if "tree" in recorded:
            _TREES[(key, outcome.now.timestamp())] = recorded["tree"]
    return outcome


def tree(outcome: Any, key: str) -> dict[str, Any]:
    """The evaluated condition tree recorded for ``key`` (or the one it is the same as)."""
    recorded = entry(outcome, key)["condition"]
    assert recorded["v"] == 1
    if "same_as" in recorded:
        return dict(_TREES[(key, recorded["same_as"])])
    return dict(recorded["tree"])


def find(node: dict[str, Any], name: str) -> dict[str, Any]:
    """The first node (depth first) whose label or name is ``name``."""
    if name in (node.get("label"), node.get("name")):
        return node
    for child in node.get("children", ()):
        try:
            return find(child, name)
        except KeyError:
            continue
    raise KeyError(name)


# -- the declarations ----------------------------------------------------------------------


def test_operators_compose_and_unlabelled_chains_flatten_as_in_dagster() -> None:
    a, b, c = AC.missing(), AC.in_progress(), AC.execution_failed()
    both = a & b & c
    assert both.name == "AND" and both.children == (a, b, c)
    either = (a | b).with_label("ab") | c
    assert either.name == "OR" and len(either.children) == 2, "a labelled OR is kept whole"
    assert (~a).name == "NOT" and (~a).children == (a,)
    assert a.since(b).children == (a, b)
    assert a.newly_true().children == (a,)
    assert AC.eager().describe() == "eager"
    assert AC.on_cron("0 6 * * *", "Europe/Paris").describe() == "on_cron(0 6 * * *, Europe/Paris)"


def test_without_removes_an_operand_and_names_the_operands_when_absent() -> None:
    eager = AC.eager()
    relaxed = eager.without(~AC.any_deps_missing())
    assert len(relaxed.children) == len(eager.children) - 1
    assert ~AC.any_deps_missing() not in relaxed.children
    all_windows = eager.without(AC.in_latest_time_window())
    assert AC.in_latest_time_window() not in all_windows.children
    with pytest.raises(DefinitionError, match="has no operand 'missing' to remove; its operands"):
        eager.without(AC.missing())
    with pytest.raises(DefinitionError, match="no operands to remove"):
        AC.missing().without(AC.missing())


def test_replace_swaps_a_sub_condition_by_value_or_label() -> None:
    week = AC.in_latest_time_window(timedelta(days=7))
    replaced = AC.on_missing().replace(AC.in_latest_time_window(), week)
    assert week in replaced.children
    by_label = AC.eager().replace("any_deps_updated", AC.any_deps_match(AC.newly_updated()))
    assert "any_deps_updated" not in json.dumps(repr(by_label))


def test_wrong_values_are_refused_naming_the_asset() -> None:
    with pytest.raises(DefinitionError, match="Asset 'bad': automation_condition must be"):

        @asset(automation_condition="eager")  # type: ignore[arg-type]
        def bad() -> int:
            return 1

    with pytest.raises(DefinitionError, match="Asset 'both': give either automation_condition"):

        @asset(automation_condition=AC.eager(), automation_policy=AutomationPolicy.eager())
        def both() -> int:
            return 1

    with pytest.raises(DefinitionError, match="Invalid cron schedule"):
        AC.on_cron("every day")
    with pytest.raises(DefinitionError, match="Unknown time zone 'Mars/Base'"):
        AC.cron_tick_passed("0 * * * *", "Mars/Base")
    with pytest.raises(DefinitionError, match="lookback_delta must be a positive"):
        AC.in_latest_time_window(timedelta(0))
    with pytest.raises(DefinitionError, match="takes another AutomationCondition"):
        AC.missing() & True  # type: ignore[operator]


# -- eager: the latest time window, chained, never twice -----------------------------------


def daily_pair(condition: AutomationCondition | None = None) -> Definitions:
    @asset(partitions_def=DAILY, automation_condition=condition or AC.eager())
    def raw(context: Any) -> str:
        return str(context.partition_key)

    @asset(partitions_def=DAILY, automation_condition=condition or AC.eager())
    def cleaned(raw: str) -> str:
        return raw + "!"

    return Definitions([raw, cleaned])


def test_eager_requests_the_new_latest_window_only_and_chains_downstream(
    instance: Instance,
) -> None:
    defs = daily_pair()
    first = tick(defs, instance, at(days=4, hours=1))
    assert targets(first) == [], "the first evaluation only records what is already missing"
    assert entry(first, "raw")["condition"]["initial"] is True

    new_day = tick(defs, instance, at(days=5, hours=1))
    assert targets(new_day) == [{"raw": ["2025-01-05"], "cleaned": ["2025-01-05"]}]
    assert entry(new_day, "raw")["reasons"] == ["condition eager: true for 2025-01-05"]
    updated = find(tree(new_day, "cleaned"), "any_deps_updated")
    assert find(updated, "will_be_requested")["true"] == 1

    after = tick(defs, instance, at(days=5, hours=2))
    assert targets(after) == [], "the run that built raw also built cleaned: not again"
    root = find(tree(after, "cleaned"), "newly_updated_without_root")
    assert find(root, "newly_updated")["true"] == 1
    assert find(root, "executed_with_root_target")["true"] == 1
    assert tree(after, "raw")["true"] == 0
    assert tree(after, "raw")["total"] == 5
    # The older gaps (2025-01-01...04) stay: Dagster's eager keeps to the latest window.
    assert find(tree(after, "raw"), "missing")["partitions"] == "2025-01-01...2025-01-04"


def test_eager_on_hourly_assets_skips_windows_that_ended_between_ticks(
    sqlite_instance: Instance,
) -> None:
    hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00")

    @asset(partitions_def=hourly, automation_condition=AC.eager())
    def readings(context: Any) -> str:
        return str(context.partition_key)

    defs = Definitions([readings])
    tick(defs, sqlite_instance, at(hours=2.5))
    later = tick(defs, sqlite_instance, at(hours=7.5))
    assert targets(later) == [{"readings": ["2025-01-01-06:00"]}]


def test_eager_follows_an_upstream_update_from_outside_automation(
    sqlite_instance: Instance,
) -> None:
    @asset(automation_condition=AC.eager())
    def a() -> int:
        return 1

    @asset(automation_condition=AC.eager())
    def b(a: int) -> int:
        return a + 1

    defs = Definitions([a, b])
    record(sqlite_instance, "a", at(0))
    record(sqlite_instance, "b", at(0))
    assert targets(tick(defs, sqlite_instance, at(1))) == []
    record(sqlite_instance, "a", at(1.5), run_id="by-hand")
    outcome = tick(defs, sqlite_instance, at(2))
    assert targets(outcome) == [{"b": []}]
    assert targets(tick(defs, sqlite_instance, at(3))) == []


def test_eager_waits_for_missing_and_in_progress_dependencies(sqlite_instance: Instance) -> None:
    defs = daily_pair()
    launcher = RecordingLauncher(sqlite_instance)
    tick(defs, sqlite_instance, at(days=4, hours=1), launcher=launcher)
    outcome = tick(defs, sqlite_instance, at(days=5, hours=1), launcher=launcher)
    assert targets(outcome) == [{"raw": ["2025-01-05"], "cleaned": ["2025-01-05"]}]
    # The run is still going: the next tick sees raw and cleaned in progress.
    busy = tick(defs, sqlite_instance, at(days=5, hours=2), launcher=launcher)
    assert targets(busy) == []
    assert find(tree(busy, "cleaned"), "any_deps_in_progress")["true"] == 1
    assert find(tree(busy, "raw"), "in_progress")["partitions"] == "2025-01-05"

    relaxed = daily_pair(AC.missing() & AC.in_latest_time_window())
    dup = tick(relaxed, sqlite_instance, at(days=5, hours=3), launcher=launcher)
    assert targets(dup) == [], "what a run in flight builds is never requested again"
    assert entry(dup, "raw")["skipped"] == [
        f"skipped 2025-01-05: already requested by run {launcher.run_ids[0][:8]}"
    ]


def test_any_deps_missing_holds_back_a_partition_until_its_upstream_exists(
    sqlite_instance: Instance,
) -> None:
    @asset(partitions_def=DAILY)
    def raw(context: Any) -> str:
        return str(context.partition_key)

    @asset(partitions_def=DAILY, automation_condition=AC.on_missing())
    def cleaned(raw: str) -> str:
        return raw

    defs = Definitions([raw, cleaned])
    tick(defs, sqlite_instance, at(days=2, hours=1))
    waiting = tick(defs, sqlite_instance, at(days=3, hours=1))
    assert targets(waiting) == []
    missing = find(tree(waiting, "cleaned"), "any_deps_missing")
    assert missing["true"] == missing["total"] == 3
    record(sqlite_instance, "raw", at(days=3, hours=2), partition="2025-01-03")
    landed = tick(defs, sqlite_instance, at(days=3, hours=3))
    assert targets(landed) == [{"cleaned": ["2025-01-03"]}], "still missing since last handled"


# -- state over ticks: since, newly_true, newly_requested, code versions -------------------


def test_since_and_newly_true_keep_their_state_across_ticks(sqlite_instance: Instance) -> None:
    trigger = AC.newly_updated().newly_true()

    @asset
    def up() -> int:
        return 1

    @asset(automation_condition=AC.any_deps_match(trigger).since(AC.newly_requested()))
    def down(up: int) -> int:
        return up

    defs = Definitions([up, down])
    store = AutomationStore(sqlite_instance.storage)
    first = tick(defs, sqlite_instance, at(1))
    assert tree(first, "down")["true"] == 0
    record(sqlite_instance, "up", at(1.5))
    fired = tick(defs, sqlite_instance, at(2))
    assert targets(fired) == [{"down": []}]
    assert json.loads(store.get_cursor(CONDITIONS_CURSOR) or "{}")["requested"] == {"down": []}
    reset = tick(defs, sqlite_instance, at(3))
    assert targets(reset) == [], "newly_requested resets the SINCE"
    assert find(tree(reset, "down"), "newly_requested")["true"] == 1
    # up updated twice in a row: NEWLY_TRUE fires once, on the first of those ticks.
    record(sqlite_instance, "up", at(3.5))
    again = tick(defs, sqlite_instance, at(4))
    assert targets(again) == [{"down": []}]
    record(sqlite_instance, "up", at(4.5))
    still = tick(defs, sqlite_instance, at(5))
    up_tree = find(tree(still, "down"), "ANY_DEPS_MATCH")["children"][0]
    assert up_tree["name"] == "NEWLY_TRUE" and up_tree["true"] == 0
    assert up_tree["children"][0]["true"] == 1, "updated again, but not newly"


def test_a_changed_condition_starts_with_an_initial_evaluation(sqlite_instance: Instance) -> None:
    def defs_with(condition: AutomationCondition) -> Definitions:
        @asset(automation_condition=condition)
        def a() -> int:
            return 1

        return Definitions([a])

    probe = AC.initial_evaluation()
    assert tree(tick(defs_with(probe), sqlite_instance, at(1)), "a")["true"] == 1
    assert tree(tick(defs_with(probe), sqlite_instance, at(2)), "a")["true"] == 0
    changed = probe.with_label("renamed")
    assert tree(tick(defs_with(changed), sqlite_instance, at(3)), "a")["true"] == 1


def test_code_version_changed_is_true_on_the_tick_the_version_moves(
    sqlite_instance: Instance,
) -> None:
    def defs_at(version: str) -> Definitions:
        @asset(code_version=version, automation_condition=AC.code_version_changed())
        def a() -> int:
            return 1

        return Definitions([a])

    launcher = RecordingLauncher(sqlite_instance)
    assert targets(tick(defs_at("1"), sqlite_instance, at(1), launcher=launcher)) == []
    assert targets(tick(defs_at("1"), sqlite_instance, at(2), launcher=launcher)) == []
    assert targets(tick(defs_at("2"), sqlite_instance, at(3), launcher=launcher)) == [{"a": []}]
    assert targets(tick(defs_at("2"), sqlite_instance, at(4), launcher=launcher)) == []


def test_execution_failed_marks_the_partition_whose_last_run_failed(
    sqlite_instance: Instance,
) -> None:
    @asset(automation_condition=AC.missing() & ~AC.execution_failed())
    def flaky() -> int:
        raise ValueError("boom")

    defs = Definitions([flaky])
    first = tick(defs, sqlite_instance, at(1))
    assert targets(first) == [{"flaky": []}]
    second = tick(defs, sqlite_instance, at(2))
    assert targets(second) == [], "the failure is not retried by this condition"
    assert find(tree(second, "flaky"), "execution_failed")["true"] == 1


# -- windows, selections, checks, downstream conditions, multi-assets ----------------------


def test_in_latest_time_window_with_a_lookback_covers_the_latest_windows(
    sqlite_instance: Instance,
) -> None:
    @asset(
        partitions_def=DAILY,
        automation_condition=AC.missing() & AC.in_latest_time_window(timedelta(hours=48)),
    )
    def daily(context: Any) -> str:
        return str(context.partition_key)

    outcome = tick(Definitions([daily]), sqlite_instance, at(days=6, hours=1))
    assert targets(outcome) == [{"daily": ["2025-01-05...2025-01-06"]}]


def test_ignore_and_allow_choose_which_dependencies_count(sqlite_instance: Instance) -> None:
    @asset
    def noisy() -> int:
        return 1

    @asset
    def quiet() -> int:
        return 1

    def defs_with(condition: AutomationCondition) -> Definitions:
        @asset(automation_condition=condition)
        def report(noisy: int, quiet: int) -> int:
            return noisy + quiet

        return Definitions([noisy, quiet, report])

    for key in ("noisy", "quiet", "report"):
        record(sqlite_instance, key, at(0))
    conditions = {
        "plain": AC.any_deps_updated(),
        "ignored": AC.any_deps_updated().ignore(AssetSelection.assets("noisy")),
        "allowed": AC.any_deps_updated().allow(AssetSelection.assets("quiet")),
        "by string": AC.eager().ignore("noisy"),
    }
    for i, (name, condition) in enumerate(conditions.items()):
        start = 10 * i + 1
        tick(defs_with(condition), sqlite_instance, at(start))
        record(sqlite_instance, "noisy", at(start + 0.5), run_id=f"noisy-{i}")
        outcome = tick(defs_with(condition), sqlite_instance, at(start + 1))
        wanted = [{"report": []}] if name == "plain" else []
        assert targets(outcome) == wanted, name
        deps = find(tree(outcome, "report"), "any_deps_updated")["children"]
        shown = [dep.get("key") for dep in deps]
        assert shown == (["noisy", "quiet"] if name == "plain" else ["quiet"]), name


def test_all_deps_blocking_checks_passed_waits_for_the_upstream_checks(
    sqlite_instance: Instance,
) -> None:
    @asset
    def up() -> int:
        return 1

    @asset_check(asset=up, blocking=True)
    def positive(up: int) -> bool:
        return up > 0

    @asset(automation_condition=AC.missing() & AC.all_deps_blocking_checks_passed())
    def down(up: int) -> int:
        return up

    defs = Definitions([up, down], asset_checks=[positive])
    launcher = RecordingLauncher(sqlite_instance)
    record(sqlite_instance, "up", at(0))
    unchecked = tick(defs, sqlite_instance, at(1), launcher=launcher)
    assert targets(unchecked) == [], "a blocking check that never ran has not passed"
    _check(sqlite_instance, "up", "positive", passed=False, when=at(1.2))
    assert targets(tick(defs, sqlite_instance, at(2), launcher=launcher)) == []
    _check(sqlite_instance, "up", "positive", passed=True, when=at(2.2))
    passed = tick(defs, sqlite_instance, at(3), launcher=launcher)
    assert targets(passed) == [{"down": []}]
    assert find(tree(passed, "down"), "all_blocking_checks_passed")["true"] == 1


def _check(instance: Instance, key: str, name: str, *, passed: bool, when: datetime) -> None:
    instance.storage.store_events(
        [
            EventRecord(
                run_id="checks",
                event_type=EventType.ASSET_CHECK_EVALUATION,
                timestamp=when.timestamp(),
                asset_key=key,
                payload={"check_name": name, "passed": passed, "blocking": True},
            )
        ]
    )


def test_any_downstream_conditions_builds_what_a_downstream_condition_wants(
    sqlite_instance: Instance,
) -> None:
    @asset(partitions_def=DAILY, automation_condition=AC.any_downstream_conditions())
    def raw(context: Any) -> str:
        return str(context.partition_key)

    @asset(partitions_def=DAILY, automation_condition=AC.eager())
    def cleaned(raw: str) -> str:
        return raw

    defs = Definitions([raw, cleaned])
    tick(defs, sqlite_instance, at(days=2, hours=1))
    outcome = tick(defs, sqlite_instance, at(days=3, hours=1))
    assert targets(outcome) == [{"raw": ["2025-01-03"], "cleaned": ["2025-01-03"]}]
    [child] = tree(outcome, "raw")["children"]
    assert child["downstream"] == ["cleaned"] and child["label"] == "eager"


def test_multi_asset_outputs_take_the_shared_condition_or_their_own(
    sqlite_instance: Instance,
) -> None:
    @multi_asset(
        outs={"a": AssetOut(), "b": AssetOut(automation_condition=AC.initial_evaluation())},
        automation_condition=AC.missing(),
    )
    def both() -> tuple[int, int]:
        return 1, 2

    defs = Definitions([both])
    assert defs.graph.spec(defs.graph.find("a")).automation_condition == AC.missing()
    outcome = tick(defs, sqlite_instance, at(1), launcher=RecordingLauncher(sqlite_instance))
    assert tree(outcome, "b")["name"] == "initial_evaluation"
    assert targets(outcome) == [{"a": [], "b": []}]


def test_dep_operators_map_partitions_from_hourly_to_daily(sqlite_instance: Instance) -> None:
    hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00")

    @asset(partitions_def=hourly)
    def readings(context: Any) -> str:
        return str(context.partition_key)

    @asset(
        partitions_def=DAILY,
        automation_condition=AC.any_deps_match(AC.newly_updated()) & ~AC.any_deps_missing(),
    )
    def daily_totals(readings: dict[str, str]) -> int:
        return len(readings)

    defs = Definitions([readings, daily_totals])
    launcher = RecordingLauncher(sqlite_instance)
    tick(defs, sqlite_instance, at(days=3, hours=1), launcher=launcher)
    for hour in range(24):
        record(sqlite_instance, "readings", at(days=1), partition=f"2025-01-02-{hour:02d}:00")
    record(sqlite_instance, "readings", at(days=1), partition="2025-01-01-05:00")
    outcome = tick(defs, sqlite_instance, at(days=3, hours=2), launcher=launcher)
    # Both days had an hour updated; only 2025-01-02 has all 24 hours.
    assert find(tree(outcome, "daily_totals"), "ANY_DEPS_MATCH")["partitions"] == (
        "2025-01-01...2025-01-02"
    )
    assert targets(outcome) == [{"daily_totals": ["2025-01-02"]}]


def test_an_asset_spec_output_of_a_multi_asset_takes_its_condition() -> None:
    from assetgraph import AssetSpec

    @multi_asset(specs=[AssetSpec("x", automation_condition=AC.on_missing()), AssetSpec("y")])
    def xy() -> None:
        return None

    graph = Definitions([xy]).graph
    assert graph.spec(graph.find("x")).automation_condition == AC.on_missing()
    assert graph.spec(graph.find("y")).automation_condition is None
    with pytest.raises(DefinitionError, match="Asset 'z': automation_condition must be"):
        AssetSpec("z", automation_condition=AutomationPolicy.eager())


# -- cron ticks across time zones ----------------------------------------------------------


def _tick_between(hour: int, zone: str, after: datetime, until: datetime) -> bool:
    """Reference: does a local ``hour``:00 of ``zone`` fall in (after, until]? Minute by
    minute (``after`` is on a whole minute); a wall time skipped by a DST change fires at
    the first instant after the gap, as Dagster's schedules do."""
    local = ZoneInfo(zone)
    moment = after + timedelta(minutes=1)
    while moment <= until:
        seen = moment.astimezone(local).replace(tzinfo=None)
        before = (moment - timedelta(minutes=1)).astimezone(local).replace(tzinfo=None)
        wanted = seen.replace(hour=hour, minute=0, second=0)
        if seen == wanted or (seen - before > timedelta(minutes=1) and before < wanted < seen):
            return True
        moment += timedelta(minutes=1)
    return False


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    hour=st.integers(0, 23),
    zone=st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"]),
    steps=st.lists(st.integers(10, 60 * 30), min_size=2, max_size=4),
)
def test_cron_tick_passed_is_true_when_a_tick_falls_between_evaluations(
    tmp_path_factory: pytest.TempPathFactory, hour: int, zone: str, steps: list[int]
) -> None:
    home = tmp_path_factory.mktemp("cron")
    instance = Instance(storage_url=f"sqlite:///{home}/meta.db", home=home)
    instance.storage.upgrade()

    @asset(automation_condition=AC.cron_tick_passed(f"0 {hour} * * *", zone))
    def a() -> int:
        return 1

    defs = Definitions([a])
    now = datetime(2025, 3, 29, 12, tzinfo=UTC)  # around Europe's DST change
    launcher = RecordingLauncher(instance)
    first = tick(defs, instance, now, launcher=launcher)
    assert tree(first, "a")["true"] == 0, "no previous evaluation: no tick passed"
    for minutes in steps:
        later = now + timedelta(minutes=minutes)
        outcome = tick(defs, instance, later, launcher=launcher)
        assert bool(tree(outcome, "a")["true"]) == _tick_between(hour, zone, now, later)
        now = later
    instance.storage.dispose()


def test_on_cron_waits_for_the_tick_then_for_every_dependency_to_update(
    sqlite_instance: Instance,
) -> None:
    @asset
    def up() -> int:
        return 1

    @asset(automation_condition=AC.on_cron("0 9 * * *", "America/New_York"))
    def report(up: int) -> int:
        return up

    defs = Definitions([up, report])
    launcher = RecordingLauncher(sqlite_instance)
    tick(defs, sqlite_instance, at(10), launcher=launcher)
    before = tick(defs, sqlite_instance, at(13), launcher=launcher)  # 08:00 in New York
    assert targets(before) == []
    passed = tick(defs, sqlite_instance, at(15), launcher=launcher)  # 10:00 in New York
    assert targets(passed) == [], "the tick passed, but up has not updated since"
    assert (
        find(tree(passed, "report"), "cron_tick_passed(0 9 * * *, America/New_York)")["true"] == 1
    )
    record(sqlite_instance, "up", at(16))
    updated = tick(defs, sqlite_instance, at(16.5), launcher=launcher)
    assert targets(updated) == [{"report": []}]
    assert targets(tick(defs, sqlite_instance, at(17), launcher=launcher)) == []


# -- a Dagster-docs-style code location through the CLI ------------------------------------

# Written as Dagster's "Declarative Automation" pages write it; only the import changes
# (``import dagster as dg``).
LOCATION = """
import assetgraph as dg

daily = dg.DailyPartitionsDefinition(start_date="2025-01-01")


@dg.asset(partitions_def=daily, automation_condition=dg.AutomationCondition.eager())
def events(context: dg.AssetExecutionContext) -> str:
    return context.partition_key


# "Customizing eager: updating older time partitions"
condition = (
    dg.AutomationCondition.eager()
    .without(dg.AutomationCondition.in_latest_time_window())
    .with_label("eager_all_partitions")
)


@dg.asset(partitions_def=daily, automation_condition=condition)
def sessions(events: str) -> str:
    return events


@dg.asset(automation_condition=dg.AutomationCondition.on_cron("0 6 * * *"))
def summary(sessions: dict) -> int:
    return len(sessions)


defs = dg.Definitions(assets=[events, sessions, summary])
"""


def test_a_code_location_with_conditions_ticks_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(LOCATION)
    runner = CliRunner()

    def automate(*args: str) -> str:
        result = runner.invoke(app, ["automate", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    base = ["-f", str(tmp_path / "defs.py")]
    assert "0 run(s) launched" in automate(*base, "--now", "2025-01-03T01:00:00+00:00")
    out = automate(*base, "--now", "2025-01-04T01:00:00+00:00")
    assert "events[2025-01-03], sessions[2025-01-03]" in out
    automate(*base, "--now", "2025-01-04T02:00:00+00:00")
    automate(*base, "--now", "2025-01-04T07:00:00+00:00")  # the cron tick passed
    out = automate(*base, "--now", "2025-01-05T01:00:00+00:00")
    assert "summary" in out, out

    why = automate("why", "sessions", "-n", "1")
    assert "condition:" in why
    assert "true  eager_all_partitions (AND)" in why or "false eager_all_partitions" in why
    assert "any_deps_missing (ANY_DEPS_MATCH)" in why
    assert " on events" in why
    payload = json.loads(automate("why", "summary", "-n", "1", "--json"))
    condition = payload[0]["condition"]
    assert condition["v"] == 1 and condition["tree"]["label"] == "on_cron(0 6 * * *, UTC)"


def test_an_unchanged_tree_is_stored_once_and_why_reads_it_back(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(LOCATION)
    runner = CliRunner()
    base = ["automate", "-f", str(tmp_path / "defs.py"), "--now"]
    for now in ("2025-01-03T01:00:00+00:00", "2025-01-03T02:00:00+00:00", "2025-01-03T03:00:00"):
        assert runner.invoke(app, [*base, now]).exit_code == 0
    ticks = AutomationStore(Instance.from_env().storage).list_ticks(2)
    assert ticks[0].payload["assets"]["events"]["condition"] == {
        "v": 1,
        "initial": False,
        "same_as": ticks[1].evaluated_at,
    }
    assert "tree" in ticks[1].payload["assets"]["events"]["condition"]
    why = runner.invoke(app, ["automate", "why", "events", "-n", "1"]).output
    assert "condition (unchanged since the tick at 2025-01-03T02:00:00+00:00):" in why
    assert "false eager (AND)  0/2 partitions" in why
