"""``locations/freshness_checks.py``: Dagster's freshness check builders and their sensor,
through the CLI (``materialize``, ``list``, ``automate --now``) and the Python API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assetgraph import (
    AssetCheckSeverity,
    DailyPartitionsDefinition,
    Instance,
    asset,
    build_last_update_freshness_checks,
    build_sensor_context,
    build_sensor_for_freshness_checks,
    build_time_partition_freshness_checks,
    materialize,
)
from assetgraph.errors import DefinitionError
from assetgraph.status.checks import check_evaluations

Cli = Callable[..., tuple[int, str]]


def freshness_results(asset_key: str) -> list[tuple[str, bool]]:
    """(run id, passed) of each evaluation of the asset's freshness check, oldest first."""
    records = check_evaluations(Instance.from_env().storage, asset_key)
    return [(r.run_id, r.passed) for r in reversed(records) if r.check_name == "freshness_check"]


def last_deadline_window(now: datetime) -> str:
    """The day whose window had ended at the last 09:00 UTC tick before ``now``."""
    tick = now.replace(hour=9, minute=0, second=0, microsecond=0)
    if tick > now:
        tick -= timedelta(days=1)
    return (tick - timedelta(days=1)).strftime("%Y-%m-%d")


def test_a_materialization_passes_the_check_and_the_sensor_fails_it_once_stale(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("freshness_checks"))
    code, out = cli("materialize", "-f", location, "--select", "traffic_report")
    assert code == 0, out
    [(run_id, passed)] = freshness_results("traffic_report")
    assert passed and run_id != "__freshness__", "checked in the asset's own run"

    soon = datetime.now(UTC) + timedelta(hours=1)
    code, out = cli("automate", "-f", location, "--now", soon.isoformat())
    assert code == 0, out
    assert len(freshness_results("traffic_report")) == 1, "still fresh: not evaluated again"

    later = datetime.now(UTC) + timedelta(hours=3)
    code, out = cli("automate", "-f", location, "--now", later.isoformat())
    assert code == 0, out
    assert freshness_results("traffic_report")[-1] == ("__freshness__", False)
    code, out = cli("automate", "-f", location, "--now", (later + timedelta(hours=1)).isoformat())
    assert len(freshness_results("traffic_report")) == 2, "a failed check waits for new data"

    code, out = cli("status", "-f", location)
    assert "freshness_check failed" in out and "traffic_report" in out, out


def test_the_time_partition_check_wants_the_last_window_ended_by_the_deadline(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("freshness_checks"))
    now = datetime.now(UTC)
    expected = last_deadline_window(now)
    code, out = cli("automate", "-f", location, "--now", now.isoformat())
    assert code == 0, out
    [(run_id, passed)] = freshness_results("page_views")
    assert (run_id, passed) == ("__freshness__", False)

    code, out = cli(
        "materialize", "-f", location, "--select", "page_views", "--partition", expected
    )
    assert code == 0, out
    assert freshness_results("page_views")[-1][1] is True, "the step built the expected window"


def test_the_builders_check_their_arguments_and_the_sensor_its_instance() -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(partitions_def=daily)
    def events() -> int:
        return 1

    @asset
    def report() -> int:
        return 1

    with pytest.raises(DefinitionError, match="not time-window partitioned"):
        build_time_partition_freshness_checks(assets=[report], deadline_cron="0 9 * * *")
    with pytest.raises(DefinitionError, match="positive timedelta"):
        build_last_update_freshness_checks(assets=[report], lower_bound_delta=timedelta(0))
    with pytest.raises(DefinitionError, match="not a valid cron"):
        build_time_partition_freshness_checks(assets=[events], deadline_cron="every day")
    [check] = build_last_update_freshness_checks(
        assets=[report], lower_bound_delta=timedelta(minutes=30), severity=AssetCheckSeverity.ERROR
    )
    assert check.name == "freshness_check" and not check.blocking
    result = materialize([report, check], instance=Instance.from_env())
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.passed and evaluation.severity is AssetCheckSeverity.ERROR
    assert "dagster/fresh_until_timestamp" in evaluation.metadata

    sensor = build_sensor_for_freshness_checks(freshness_checks=[check])
    assert sensor.name == "freshness_checks_sensor"
    skip = sensor(build_sensor_context(instance=Instance.from_env()))
    assert "evaluated 0 freshness check(s)" in str(skip.skip_message)
