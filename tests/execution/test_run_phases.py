"""The run lifecycle in phases: prepare, run the steps, finish, then the after-run hooks;
and pool limits from pyproject.toml, read once per file version."""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path

import pytest

from assetgraph import (
    Config,
    ConfigurableResource,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    RunConfigError,
    UsageError,
    asset,
    materialize,
)
from assetgraph.definitions import code_location
from assetgraph.errors import RunInterrupted
from assetgraph.execution.materialize import ExecutionOptions, execute_plan, plan_for_selection
from assetgraph.execution.run_phases import (
    DEFAULT_AFTER_RUN_HOOKS,
    RunState,
    finish_run,
    prepare_run,
    run_steps,
)
from assetgraph.storage.records import EventType, RunStatus

daily = DailyPartitionsDefinition(start_date="2025-01-01")


class Greeting(Config):
    word: str = "hello"


@asset
def greeting(config: Greeting) -> str:
    return config.word


@asset(partitions_def=daily)
def days() -> int:
    return 1


class Broken(ConfigurableResource):
    def setup_for_execution(self, context: object) -> None:
        raise OSError("no warehouse")


@asset
def uses(warehouse: Broken) -> int:
    return 1


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    return Instance(storage_url=f"sqlite:///{tmp_path}/meta.db")


def _prepare(defs: Definitions, instance: Instance, run_config: dict[str, object]) -> RunState:
    plan = plan_for_selection(defs, None, None, instance=instance)
    return prepare_run(
        defs,
        plan,
        instance=instance,
        execution=ExecutionOptions(),
        run_config=run_config,
        tags={"team": "data"},
        selection_text="*",
        on_event=None,
    )


def test_prepare_records_a_started_run_and_a_bad_config_records_nothing(
    instance: Instance,
) -> None:
    defs = Definitions([greeting])
    with pytest.raises(RunConfigError, match="greeting"):
        _prepare(defs, instance, {"greeting": {"wrod": "hi"}})
    assert instance.storage.list_runs() == []
    state = _prepare(defs, instance, {"greeting": {"word": "hi"}})
    run = instance.storage.get_run(state.run_id)
    assert run is not None and run.status is RunStatus.STARTED and run.tags == {"team": "data"}
    events = instance.storage.events_for_run(state.run_id)
    assert [e.event_type for e in events] == [EventType.RUN_START]


def test_the_phases_run_the_steps_and_record_the_end(instance: Instance) -> None:
    defs = Definitions([greeting])
    state = _prepare(defs, instance, {"greeting": {"word": "hi"}})
    run_steps(state)
    assert [o.status for o in state.outcomes.values()] == ["success"]
    result = finish_run(state)
    assert result.success and result.output_for("greeting") == "hi"
    run = instance.storage.get_run(state.run_id)
    assert run is not None and run.status is RunStatus.SUCCESS and run.ended_at is not None
    last = instance.storage.events_for_run(state.run_id)[-1]
    assert last.event_type is EventType.RUN_SUCCESS


def test_a_failing_after_run_hook_is_logged_and_the_next_hook_still_runs(
    instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[tuple[str, RunStatus]] = []

    def run_after_break(state: RunState) -> None:
        raise RuntimeError("hook broke")

    def run_after_note(state: RunState) -> None:
        seen.append((state.run_id, state.status))

    state = _prepare(Definitions([greeting]), instance, {})
    run_steps(state)
    with caplog.at_level(logging.WARNING, logger="assetgraph.execution.run_phases"):
        result = finish_run(state, after_run=[run_after_break, run_after_note])
    assert result.success
    assert seen == [(state.run_id, RunStatus.SUCCESS)]
    warning = next(r for r in caplog.records if "run_after_break" in r.getMessage())
    assert state.run_id in warning.getMessage() and "hook broke" in caplog.text


def test_by_default_a_run_brings_partition_status_up_to_date_then_prunes() -> None:
    names = [hook.__name__ for hook in DEFAULT_AFTER_RUN_HOOKS]
    assert names == ["run_after_refresh_partition_status", "run_after_prune_history"]


def test_an_interrupted_run_raises_and_calls_no_after_run_hook(instance: Instance) -> None:
    called: list[str] = []
    state = _prepare(Definitions([greeting]), instance, {})
    state.interrupted = KeyboardInterrupt()
    with pytest.raises(RunInterrupted):
        finish_run(state, after_run=[lambda s: called.append(s.run_id)])
    assert called == []
    run = instance.storage.get_run(state.run_id)
    assert run is not None and run.status is RunStatus.CANCELED


def test_a_run_that_fails_outside_its_steps_is_recorded_as_aborted(instance: Instance) -> None:
    defs = Definitions([uses], resources={"warehouse": Broken()})
    plan = plan_for_selection(defs, None, None, instance=instance)
    with pytest.raises(Exception, match="failed to set up"):
        execute_plan(defs, plan, instance=instance)
    (run,) = instance.storage.list_runs()
    assert run.status is RunStatus.FAILURE
    assert run.error is not None and run.error.startswith("run aborted: ResourceError")


def test_a_partitioned_run_leaves_its_range_status_stored(instance: Instance) -> None:
    from assetgraph.status.partitions import partition_statuses

    result = materialize([days], partition_key="2025-01-02", instance=instance)
    assert result.success
    status = partition_statuses({days.key: daily}, instance.storage, result.plan.current_time)
    assert list(status[days.key].materialized.keys()) == ["2025-01-02"]


# -- pool limits from pyproject.toml --------------------------------------------------------


def _write_pools(path: Path, text: str, mtime_ns: int) -> None:
    path.write_text(f"[tool.assetgraph.pools]\n{text}\n")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_pool_limits_are_parsed_once_per_version_of_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses: list[str] = []
    real_loads = tomllib.loads

    def counting_loads(text: str) -> dict[str, object]:
        parses.append(text)
        return real_loads(text)

    monkeypatch.setattr(code_location.tomllib, "loads", counting_loads)
    pyproject = tmp_path / "pyproject.toml"
    _write_pools(pyproject, "warehouse = 2", 1_700_000_000_000_000_000)
    assert code_location.pools_from_pyproject(tmp_path) == {"warehouse": 2}
    assert code_location.pools_from_pyproject(tmp_path) == {"warehouse": 2}
    assert len(parses) == 1, "pyproject.toml was parsed again though it did not change"
    _write_pools(pyproject, "warehouse = 3", 1_700_000_001_000_000_000)
    assert code_location.pools_from_pyproject(tmp_path) == {"warehouse": 3}
    assert len(parses) == 2
    _write_pools(pyproject, "warehouse = 0", 1_700_000_002_000_000_000)
    with pytest.raises(UsageError, match="positive integers"):
        code_location.pools_from_pyproject(tmp_path)
    pyproject.unlink()
    assert code_location.pools_from_pyproject(tmp_path) == {}


def test_runs_use_the_pool_limits_of_pyproject(tmp_path: Path, instance: Instance) -> None:
    _write_pools(tmp_path / "pyproject.toml", "warehouse = 1", 1_700_000_000_000_000_000)
    defs = Definitions([greeting], pools={"other": 2})
    state = _prepare(defs, instance, {})
    assert state.settings.pools == {"warehouse": 1, "other": 2}
