"""materialize(): runs, failures, skips, outputs, metadata, config and resources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from assetgraph import (
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetOut,
    Config,
    ConfigurableResource,
    Definitions,
    Instance,
    Output,
    RunConfigError,
    RunFailure,
    RunStatus,
    UsageError,
    asset,
    materialize,
    multi_asset,
)
from assetgraph.storage.records import EventType
from io_managers.memory import InMemoryIOManager


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    return Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)


@asset
def numbers() -> list[int]:
    return [1, 2, 3]


@asset
def doubled(numbers: list[int]) -> list[int]:
    return [2 * n for n in numbers]


@asset
def total(doubled: list[int]) -> int:
    return sum(doubled)


@asset
def unrelated() -> str:
    return "still runs"


def test_materialize_runs_in_order_and_returns_outputs(instance: Instance) -> None:
    result = materialize([numbers, doubled, total], instance=instance)
    assert result.success
    assert result.output_for("total") == 12
    assert result.output_for(AssetKey("doubled")) == [2, 4, 6]
    assert [s.key for s in result.plan.steps] == ["numbers", "doubled", "total"]
    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.status is RunStatus.SUCCESS
    latest = instance.storage.latest_materializations()
    assert set(latest) == {("numbers", None), ("doubled", None), ("total", None)}


def test_values_are_stored_by_the_default_pickle_io_manager(instance: Instance) -> None:
    materialize([numbers], instance=instance)
    assert (instance.storage_dir / "numbers").is_file()


def test_selection_picks_a_subgraph_and_loads_unselected_upstreams(instance: Instance) -> None:
    materialize([numbers, doubled, total], instance=instance, selection="numbers")
    result = materialize([numbers, doubled, total], instance=instance, selection="doubled+")
    assert [s.key for s in result.plan.steps] == ["doubled", "total"]
    assert result.output_for("total") == 12


def test_an_unmaterialized_unselected_upstream_fails_with_a_hint(instance: Instance) -> None:
    result = materialize([numbers, doubled], instance=instance, selection="doubled")
    assert not result.success
    (failure,) = result.failures
    assert failure.error is not None
    assert "could not load input 'numbers'" in failure.error.message
    assert "materialize it first" in failure.error.message


def test_a_failed_step_skips_its_downstream_but_not_independent_branches(
    instance: Instance,
) -> None:
    @asset(name="doubled")
    def broken(numbers: list[int]) -> list[int]:
        raise ValueError("bad numbers: 42")

    result = materialize([numbers, broken, total, unrelated], instance=instance)
    assert not result.success
    assert result.status_for("doubled") == "failure"
    assert result.status_for("total") == "skipped"
    assert result.status_for("unrelated") == "success"
    error = result.failures[0].error
    assert error is not None
    assert error.type_name == "ValueError" and error.message == "bad numbers: 42"
    assert error.location is not None and error.location.startswith(__file__)
    assert "raise ValueError" in error.traceback
    events = instance.storage.events_for_run(result.run_id)
    kinds = [(e.event_type, e.step_key) for e in events]
    assert (EventType.STEP_FAILURE, "doubled") in kinds
    assert (EventType.STEP_SKIPPED, "total") in kinds
    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.status is RunStatus.FAILURE and "doubled" in (run.error or "")
    with pytest.raises(RunFailure, match="bad numbers: 42"):
        materialize([numbers, broken], instance=instance, raise_on_error=True)


def test_a_failing_root_skips_a_chain_of_ten_thousand_without_recursion(
    instance: Instance,
) -> None:
    @asset(name="a0")
    def root() -> int:
        raise ValueError("the root fails")

    def link(index: int) -> Any:
        @asset(name=f"a{index}", ins={"up": AssetIn(f"a{index - 1}")})
        def node(up: int) -> int:
            return up + 1

        return node

    chain = [root, *(link(index) for index in range(1, 10_000))]
    result = materialize(chain, instance=instance)
    assert not result.success
    assert result.status_for("a0") == "failure"
    assert result.status_for("a9999") == "skipped"
    skipped = instance.storage.events_for_run(result.run_id, [EventType.STEP_SKIPPED])
    assert len(skipped) == 9_999
    last = next(event for event in skipped if event.step_key == "a9999")
    assert last.message == "upstream step 'a9998' did not succeed"


def test_context_logs_and_output_metadata_are_recorded(instance: Instance) -> None:
    @asset
    def frame(context: AssetExecutionContext) -> pd.DataFrame:
        context.log.info("building %d rows", 3)
        context.add_output_metadata({"source": "test"})
        assert context.asset_key == AssetKey("frame")
        return pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})

    result = materialize([frame], instance=instance)
    record = instance.storage.latest_materializations(["frame"])[("frame", None)]
    assert record.metadata["row_count"] == 3
    assert record.metadata["column_schema"] == {"a": "int64", "b": str(pd.Series(["x"]).dtype)}
    assert record.metadata["source"] == "test"
    assert record.code_version == frame.code_version(frame.key)
    logs = instance.storage.events_for_run(result.run_id, event_types=[EventType.LOG])
    assert [e.message for e in logs] == ["building 3 rows"]


def test_output_objects_carry_metadata(instance: Instance) -> None:
    @asset
    def tagged() -> Output:
        return Output(5, metadata={"note": "five"})

    result = materialize([tagged], instance=instance)
    assert result.output_for("tagged") == 5
    record = instance.storage.latest_materializations(["tagged"])[("tagged", None)]
    assert record.metadata["note"] == "five"


def test_multi_asset_stores_each_output(instance: Instance) -> None:
    @multi_asset(outs={"low": AssetOut(), "high": AssetOut()})
    def split(numbers: list[int]) -> tuple[list[int], list[int]]:
        return [n for n in numbers if n < 2], [n for n in numbers if n >= 2]

    @asset
    def count_high(high: list[int]) -> int:
        return len(high)

    result = materialize([numbers, split, count_high], instance=instance)
    assert result.success
    assert result.output_for("low") == [1]
    assert result.output_for("count_high") == 2


def test_multi_asset_with_output_objects_and_wrong_returns(instance: Instance) -> None:
    @multi_asset(outs={"x": AssetOut(), "y": AssetOut()})
    def named() -> Any:
        yield Output(1, output_name="y")
        yield Output(2, output_name="x")

    result = materialize([named], instance=instance)
    assert (result.output_for("x"), result.output_for("y")) == (2, 1)

    @multi_asset(outs={"x": AssetOut(), "y": AssetOut()}, name="wrong")
    def wrong() -> int:
        return 3

    failed = materialize([wrong], instance=instance)
    assert not failed.success
    assert "must return a tuple of 2 values" in (failed.failures[0].error.message)  # type: ignore[union-attr]


class Greeting(Config):
    word: str = "hello"
    times: int = 1


def test_run_config_fills_config_parameters(instance: Instance) -> None:
    @asset
    def greeting(config: Greeting) -> str:
        return " ".join([config.word] * config.times)

    assert materialize([greeting], instance=instance).output_for("greeting") == "hello"
    result = materialize([greeting], instance=instance, run_config={"greeting": {"times": 2}})
    assert result.output_for("greeting") == "hello hello"
    dagster_shape = {"ops": {"greeting": {"config": {"word": "hi"}}}}
    assert (
        materialize([greeting], instance=instance, run_config=dagster_shape).output_for("greeting")
        == "hi"
    )


def test_bad_run_config_names_the_asset_and_the_field(instance: Instance) -> None:
    @asset
    def greeting(config: Greeting) -> str:
        return config.word

    with pytest.raises(RunConfigError, match="asset 'greeting'.*field 'times'.*integer"):
        materialize([greeting], instance=instance, run_config={"greeting": {"times": "many"}})
    with pytest.raises(RunConfigError, match="field 'colour'.*Extra inputs"):
        materialize([greeting], instance=instance, run_config={"greeting": {"colour": "red"}})
    with pytest.raises(RunConfigError, match="'greting'.*Did you mean 'greeting'"):
        materialize([greeting], instance=instance, run_config={"greting": {}})
    assert instance.storage.list_runs() == []


class Counter(ConfigurableResource):
    start: int = 10

    def setup_for_execution(self, context: Any) -> None:
        EVENTS.append(f"setup {context.run_id[:4]}")

    def teardown_after_execution(self, context: Any) -> None:
        EVENTS.append("teardown")


EVENTS: list[str] = []


def test_resources_are_injected_and_set_up_once_per_run(instance: Instance) -> None:
    EVENTS.clear()

    @asset
    def counted(counter: Counter) -> int:
        return counter.start + 1

    defs = Definitions([counted], resources={"counter": Counter(start=41)})
    result = materialize(defs, instance=instance)
    assert result.output_for("counted") == 42
    assert [f"setup {result.run_id[:4]}", "teardown"] == EVENTS


def test_in_memory_io_manager_and_io_manager_keys(instance: Instance) -> None:
    memory = InMemoryIOManager()

    @asset(io_manager_key="mem")
    def kept() -> int:
        return 7

    defs = Definitions([kept], io_managers={"mem": memory})
    result = materialize(defs, instance=instance)
    assert memory.values[(AssetKey("kept"), None)] == 7
    assert result.output_for("kept") == 7


def test_empty_and_bad_selections_are_usage_errors(instance: Instance) -> None:
    with pytest.raises(UsageError, match="matched no assets"):
        materialize([numbers], instance=instance, selection="numbers", exclude="numbers")


def test_default_instance_is_ephemeral(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert materialize([numbers]).success
    assert not (tmp_path / ".assetgraph").exists()


def test_an_ephemeral_instance_lives_as_long_as_the_result() -> None:
    import gc

    result = materialize([numbers, doubled])
    gc.collect()
    assert result.output_for("doubled") == [2, 4, 6]


def test_an_asset_annotated_to_return_none_is_stored_by_no_io_manager(
    instance: Instance, tmp_path: Path
) -> None:
    """As in Dagster, ``-> None`` makes the output Nothing: the asset stored its data itself,
    so no IO manager is called, for one partition or a single-run backfill of many."""
    from assetgraph import BackfillPolicy, DailyPartitionsDefinition

    written = tmp_path / "written"

    @asset
    def writes_itself() -> None:
        written.write_text("done")

    @asset(
        partitions_def=DailyPartitionsDefinition(start_date="2025-01-01"),
        backfill_policy=BackfillPolicy.single_run(),
    )
    def backfilled(context: AssetExecutionContext) -> None:
        context.log.info(f"{context.partition_key_range.start}...{context.partition_key_range.end}")

    first = materialize([writes_itself], instance=instance)
    assert first.success and written.read_text() == "done"
    assert not (instance.storage_dir / "writes_itself").exists()
    several = materialize(
        [backfilled], instance=instance, partition_range="2025-01-01...2025-01-05"
    )
    assert several.success, [o.error for o in several.failures]
    recorded = instance.storage.latest_materializations(["writes_itself", "backfilled"])
    assert len(recorded) == 6
    assert not (instance.storage_dir / "backfilled").exists()


class Top(Config):
    top: int = 2


def test_dagster_run_config_objects_configure_assets(instance: Instance) -> None:
    from assetgraph import RunConfig

    @asset
    def ranked(config: Top) -> list[int]:
        return [3, 2, 1][: config.top]

    result = materialize([ranked], instance=instance, run_config=RunConfig({"ranked": Top(top=1)}))
    assert result.output_for("ranked") == [3]
    given = RunConfig(resources={"db": {"config": {"url": "x"}}}).to_config_dict()
    assert given["resources"] == {"db": {"config": {"url": "x"}}}
    with pytest.raises(RunConfigError, match=r"RunConfig\(loggers=\.\.\.\) is not supported"):
        RunConfig(loggers={"console": {}})


def test_dagster_call_shapes_of_materialize_retry_and_partition_keys(instance: Instance) -> None:
    from assetgraph import Backoff, HourlyPartitionsDefinition, Jitter, RetryPolicy

    attempts: list[int] = []

    @asset(
        retry_policy=RetryPolicy(
            max_retries=2, delay=0, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
        )
    )
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) < 2:
            raise RuntimeError("first try fails")
        return len(attempts)

    result = materialize(assets=[flaky], instance=instance)
    assert result.success and result.output_for("flaky") == 2
    assert RetryPolicy(delay=1.0, jitter=Jitter.FULL).wait_before(2) <= 1.0
    hourly = HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
    from datetime import UTC, datetime

    now = datetime(2024, 1, 2, 5, 30, tzinfo=UTC)
    assert hourly.get_first_partition_key(now) == "2024-01-01-00:00"
    assert hourly.get_last_partition_key(now) == "2024-01-02-04:00"


def test_what_a_generator_stored_before_it_raised_is_recorded(instance: Instance) -> None:
    """As in Dagster: a MaterializeResult (or an Output) yielded before the function raised
    is recorded, then the step fails with the user's error."""
    from assetgraph import AssetSpec, Failure, MaterializeResult, Output, multi_asset

    @multi_asset(specs=[AssetSpec("built"), AssetSpec("broken")], can_subset=True)
    def warehouse(context: Any) -> Any:
        yield MaterializeResult(asset_key="built", metadata={"rows": 3})
        raise Failure("table 'broken' could not be built")

    @asset
    def held() -> Any:
        yield Output(1)
        raise Failure("no")

    run = materialize([warehouse], instance=instance)
    assert not run.success
    assert run.failures[0].error is not None
    assert "table 'broken' could not be built" in run.failures[0].error.message
    assert [m.asset_key.to_string() for m in run.get_asset_materializations()] == ["built"]
    # An Output yielded before is stored by its IO manager and recorded too, as in Dagster.
    run = materialize([held], instance=instance)
    assert not run.success
    assert [m.asset_key.to_string() for m in run.get_asset_materializations()] == ["held"]


def test_an_asset_whose_output_is_not_required_may_yield_none_and_its_readers_skip() -> None:
    from collections.abc import Iterator

    @asset(output_required=False)
    def maybe() -> Iterator[Output[int]]:
        yield from ()

    @asset
    def reader(maybe: int) -> int:
        return maybe

    @asset
    def after(reader: int) -> int:
        return reader

    @asset
    def unrelated() -> int:
        return 1

    result = materialize([maybe, reader, after, unrelated], instance=Instance.ephemeral())
    assert result.success
    assert [m.asset_key for m in result.get_asset_materializations()] == [AssetKey("unrelated")]
    assert [e.step_key for e in result.get_step_skipped_events()] == ["reader", "after"]

    @asset(name="maybe", output_required=False)
    def produced() -> Iterator[Output[int]]:
        yield Output(2)

    result = materialize([produced, reader, after], instance=Instance.ephemeral())
    assert result.output_for("after") == 2 and result.get_step_skipped_events() == []


def test_non_argument_deps_is_dagsters_older_name_of_deps() -> None:
    @asset
    def upstream() -> None: ...

    @asset(non_argument_deps={"upstream"})
    def downstream() -> None: ...

    graph = Definitions(assets=[upstream, downstream]).graph
    assert list(graph.parents(AssetKey("downstream"))) == [AssetKey("upstream")]


def test_an_input_manager_that_is_not_one_is_an_error_naming_its_key() -> None:
    @asset
    def stored() -> int:
        return 1

    @asset(ins={"stored": AssetIn(input_manager_key="warehouse")})
    def reader(stored: int) -> int:
        return stored

    defs = Definitions(assets=[stored, reader], resources={"warehouse": object()})
    with pytest.raises(Exception, match="No IO manager or input manager 'warehouse'"):
        materialize(defs, instance=Instance.ephemeral())


class _RecordingIOManager(InMemoryIOManager):
    """Remembers what each load saw as the input's type and metadata."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, tuple[Any, Any]] = {}

    def load_input(self, context: Any) -> Any:
        reader = context.downstream_key.to_string()
        self.seen[reader] = (context.dagster_type.typing_type, dict(context.metadata))
        return super().load_input(context)


def test_an_input_context_has_dagsters_input_type_and_input_metadata(instance: Instance) -> None:
    @asset(metadata={"owner": "numbers"})
    def listed() -> list[int]:
        return [1]

    @asset(ins={"listed": AssetIn(metadata={"columns": ["a"]})})
    def annotated(listed: list[int]) -> int:
        return len(listed)

    @asset
    def bare(listed):  # type: ignore[no-untyped-def]
        return listed

    manager = _RecordingIOManager()
    defs = Definitions(assets=[listed, annotated, bare], io_managers={"io_manager": manager})
    assert materialize(defs, instance=instance).success
    assert manager.seen["annotated"] == (list[int], {"owner": "numbers", "columns": ["a"]})
    assert manager.seen["bare"] == (Any, {"owner": "numbers"})
