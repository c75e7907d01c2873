"""Op jobs through the public API: wiring (fan-in, fan-out, nested graphs, aliases, Nothing),
config checked up front, resources, retries, failures and skips, and the recorded run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assetgraph import (
    AssetKey,
    AssetMaterialization,
    AssetObservation,
    Config,
    ConfigurableResource,
    Definitions,
    DynamicOut,
    DynamicOutput,
    ExpectationResult,
    Failure,
    GraphOut,
    In,
    Instance,
    Nothing,
    OpExecutionContext,
    Out,
    Output,
    RetryPolicy,
    RetryRequested,
    RunFailure,
    asset,
    build_op_context,
    define_asset_job,
    graph,
    in_process_executor,
    job,
    op,
    repository,
    resource,
    validate_run_config,
)
from assetgraph.errors import DefinitionError, ResourceError, RunConfigError, UsageError
from assetgraph.storage.records import EventType, RunStatus


class Threshold(Config):
    limit: int


class Limit(Config):
    n: int


class Greeter(ConfigurableResource):
    word: str


@op
def one() -> int:
    return 1


@op
def add(a: int, b: int) -> int:
    return a + b


@op
def double(x: int) -> int:
    return 2 * x


def test_each_op_is_a_step_of_one_recorded_run() -> None:
    @op
    def shout(context: OpExecutionContext, x: int) -> str:
        context.log.info(f"got {x}")
        return f"{x}!"

    @job(tags={"team": "data"})
    def chain() -> None:
        shout(double(one()))

    instance = Instance.ephemeral()
    result = chain.execute_in_process(instance=instance)

    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.status is RunStatus.SUCCESS
    assert run.tags["team"] == "data" and run.tags["assetgraph/job"] == "chain"
    events = instance.storage.events_for_run(result.run_id)
    steps = [(e.step_key, e.event_type) for e in events if e.step_key]
    assert steps == [
        ("one", EventType.STEP_START),
        ("one", EventType.STEP_SUCCESS),
        ("double", EventType.STEP_START),
        ("double", EventType.STEP_SUCCESS),
        ("shout", EventType.STEP_START),
        ("shout", EventType.LOG),
        ("shout", EventType.STEP_SUCCESS),
    ]
    assert result.output_for_node("shout") == "2!"


def test_fan_out_fan_in_and_aliases() -> None:
    @op
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    @job
    def fan() -> None:
        x = one()
        total([double.alias(f"double_{i}")(x) for i in range(3)] + [add(x, x)])

    result = fan.execute_in_process()

    assert result.output_for_node("total") == 8
    assert result.output_for_node("double_2") == 2


def test_nested_graphs_take_inputs_return_outputs_and_config_by_path() -> None:
    @op(config_schema={"by": int})
    def scale(context: OpExecutionContext, x: int) -> int:
        return x * context.op_config["by"]

    @graph(out={"scaled": GraphOut(), "plus": GraphOut()})
    def inner(x: int) -> dict[str, Any]:
        scaled = scale(x)
        return {"scaled": scaled, "plus": add(scaled, x)}

    @graph
    def middle(x: int) -> Any:
        scaled, plus = inner(x)
        return add(scaled, plus)

    @job
    def outer() -> None:
        double(middle(one()))

    config = {"ops": {"middle": {"ops": {"inner": {"ops": {"scale": {"config": {"by": 10}}}}}}}}
    result = outer.execute_in_process(run_config=config)

    assert result.output_for_node("middle.inner.scale") == 10
    assert result.output_for_node("middle.inner", "plus") == 11
    assert result.output_for_node("middle") == 21
    assert result.output_for_node("double") == 42


def test_config_is_checked_for_every_op_before_anything_runs() -> None:
    ran: list[str] = []

    @op
    def first() -> int:
        ran.append("first")
        return 1

    @op
    def check(config: Threshold, x: int) -> bool:
        return x < config.limit

    @job
    def guarded() -> None:
        check(first())

    instance = Instance.ephemeral()
    with pytest.raises(RunConfigError, match=r"op 'check'.*field 'limit'"):
        guarded.execute_in_process(
            run_config={"ops": {"check": {"config": {"limit": "many"}}}}, instance=instance
        )
    with pytest.raises(RunConfigError, match="names op 'chek'.*Did you mean 'check'"):
        guarded.execute_in_process(run_config={"ops": {"chek": {"config": {"limit": 1}}}})
    assert ran == [] and instance.storage.list_runs() == []
    result = guarded.execute_in_process(run_config={"ops": {"check": {"config": {"limit": 5}}}})
    assert result.output_for_node("check") is True


def test_config_schema_fields_defaults_and_unknown_fields() -> None:
    class Field:  # Dagster's Field, as far as config_schema reads one
        def __init__(self, config_type: Any, default_value: Any = None) -> None:
            self.config_type = config_type
            self.default_value = default_value
            self.is_required = False

    @op(config_schema={"name": str, "times": Field(int, default_value=2), "tags": [str]})
    def greet(context: OpExecutionContext) -> str:
        cfg = context.op_config
        return ",".join([cfg["name"]] * cfg["times"] + cfg["tags"])

    @job(config={"ops": {"greet": {"config": {"name": "hi", "tags": ["x"]}}}})
    def greeting() -> None:
        greet()

    assert greeting.execute_in_process().output_for_node("greet") == "hi,hi,x"
    with pytest.raises(RunConfigError, match=r"op 'greet'.*unknown field\(s\) 'colour'"):
        greeting.execute_in_process(run_config={"ops": {"greet": {"config": {"colour": 1}}}})
    with pytest.raises(RunConfigError, match=r"op 'greet', field 'tags\[0\]' must be str"):
        greeting.execute_in_process(run_config={"ops": {"greet": {"config": {"tags": [1]}}}})


def test_resources_from_the_job_definitions_and_the_call() -> None:
    @op(required_resource_keys={"suffix"})
    def greet(context: OpExecutionContext, greeter: Greeter) -> str:
        return f"{greeter.word} {context.resources.suffix}"

    @graph
    def greeting() -> None:
        greet()

    job_def = greeting.to_job(resource_defs={"greeter": Greeter(word="hello")})
    defs = Definitions(jobs=[job_def], resources={"suffix": "world"})

    result = defs.get_job_def("greeting").execute_in_process()
    overridden = defs.get_job_def("greeting").execute_in_process(resources={"suffix": "there"})

    assert result.output_for_node("greet") == "hello world"
    assert overridden.output_for_node("greet") == "hello there"
    with pytest.raises(ResourceError, match="Op 'greet' needs resource 'suffix'"):
        job_def.execute_in_process()


def test_a_failed_op_skips_its_downstream_and_fails_the_run() -> None:
    @op
    def broken() -> int:
        raise Failure(description="source is empty", metadata={"rows": 0})

    @job
    def pipeline() -> None:
        double(broken())
        one()

    instance = Instance.ephemeral()
    result = pipeline.execute_in_process(instance=instance, raise_on_error=False)

    assert not result.success
    assert {s.step_key: s.status.value for s in result.op_steps.values()} == {
        "broken": "failure",
        "double": "skipped",
        "one": "success",
    }
    [failure] = result.failures
    assert failure.error.message == "source is empty"
    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.status is RunStatus.FAILURE
    with pytest.raises(RunFailure, match="broken: Failure: source is empty"):
        pipeline.execute_in_process()


def test_retry_policy_and_retry_requested_retry_the_op() -> None:
    calls: dict[str, int] = {"policy": 0, "requested": 0}

    @op(retry_policy=RetryPolicy(max_retries=2))
    def flaky() -> str:
        calls["policy"] += 1
        if calls["policy"] < 3:
            raise ValueError("not yet")
        return "ok"

    @op
    def asks(context: OpExecutionContext) -> int:
        calls["requested"] += 1
        if context.retry_number < 1:
            raise RetryRequested(max_retries=1)
        return context.retry_number

    @job
    def retrying() -> None:
        flaky()
        asks()

    result = retrying.execute_in_process()

    assert result.output_for_node("flaky") == "ok"
    assert result.output_for_node("asks") == 1
    assert calls == {"policy": 3, "requested": 2}


def test_dynamic_outputs_map_and_collect_with_mapping_keys() -> None:
    @op(out=DynamicOut())
    def files() -> Any:
        for name in ("a", "b", "c"):
            yield DynamicOutput(name, mapping_key=name)

    @op
    def size(context: OpExecutionContext, name: str) -> int:
        return len(name) + len(context.get_mapping_key() or "")

    @op
    def report(sizes: list[int]) -> int:
        return sum(sizes)

    @job
    def sizes() -> None:
        report(files().map(size).collect())

    instance = Instance.ephemeral()
    result = sizes.execute_in_process(instance=instance)

    assert result.output_for_node("size") == {"a": 2, "b": 2, "c": 2}
    assert result.output_for_node("report") == 6
    keys = {e.step_key for e in instance.storage.events_for_run(result.run_id) if e.step_key}
    assert {"size[a]", "size[b]", "size[c]"} <= keys


def test_a_failed_mapped_step_skips_the_collect() -> None:
    @op(out=DynamicOut())
    def numbers() -> Any:
        return [DynamicOutput(n, mapping_key=str(n)) for n in range(3)]

    @op
    def invert(n: int) -> float:
        return 1 / n

    @op
    def total(values: list[float]) -> float:
        return sum(values)

    @job
    def inverse() -> None:
        total(numbers().map(invert).collect())

    result = inverse.execute_in_process(raise_on_error=False)

    assert not result.success
    statuses = {s.step_key: s.status.value for s in result.op_steps.values()}
    assert statuses["invert[0]"] == "failure" and statuses["invert[1]"] == "success"
    assert statuses["total"] == "skipped"


def test_nothing_inputs_order_ops_and_outputs_may_be_optional() -> None:
    order: list[str] = []

    @op(out={"yes": Out(is_required=False), "no": Out(is_required=False)})
    def decide() -> Any:
        order.append("decide")
        yield Output(True, "yes")

    @op(ins={"after": In(Nothing)})
    def cleanup() -> None:
        order.append("cleanup")

    @op
    def never(flag: bool) -> None:
        order.append("never")

    @job
    def flow() -> None:
        yes, no = decide()
        never(no)
        cleanup(after=[yes])

    result = flow.execute_in_process()

    assert result.success and order == ["decide", "cleanup"]


def test_required_output_not_produced_fails_the_step_with_its_name() -> None:
    @op(out={"left": Out(), "right": Out()})
    def halves() -> Any:
        yield Output(1, "left")

    @job
    def split() -> None:
        halves()

    result = split.execute_in_process(raise_on_error=False)

    [failure] = result.failures
    assert "did not produce its required output 'right'" in failure.error.message


def test_asset_materialization_of_an_op_updates_the_asset_index() -> None:
    @op
    def export(context: OpExecutionContext) -> None:
        context.log_event(
            AssetMaterialization("warehouse/orders", metadata={"rows": 3}, partition="2025-01-01")
        )

    @job
    def exporter() -> None:
        export()

    instance = Instance.ephemeral()
    result = exporter.execute_in_process(instance=instance)

    event = instance.get_latest_materialization_event(AssetKey(["warehouse", "orders"]))
    assert event is not None and event.run_id == result.run_id
    assert event.asset_materialization is not None
    assert event.asset_materialization.partition == "2025-01-01"
    [materialization] = result.asset_materializations_for_node("export")
    assert materialization.metadata == {"rows": 3}


def test_graph_inputs_without_values_are_an_error_naming_the_input() -> None:
    @graph
    def needs(x: int) -> None:
        double(x)

    with pytest.raises(RunConfigError, match="input 'x' of the graph has no value"):
        needs.execute_in_process()
    assert needs.execute_in_process(input_values={"x": 4}).output_for_node("double") == 8


def test_unwired_op_inputs_come_from_run_config_or_defaults() -> None:
    @op(ins={"y": In(default_value=10)})
    def plus(x: int, y: int) -> int:
        return x + y

    @job
    def adding() -> None:
        plus()

    config = {"ops": {"plus": {"inputs": {"x": {"value": 5}}}}}
    assert adding.execute_in_process(run_config=config).output_for_node("plus") == 15
    with pytest.raises(RunConfigError, match="input 'x' of op 'plus' is not wired"):
        adding.execute_in_process()


def test_wiring_errors_name_the_node_and_input() -> None:
    with pytest.raises(DefinitionError, match="node 'add' has no input 'c'"):

        @job
        def wrong() -> None:
            add(c=one())

    with pytest.raises(DefinitionError, match="input 'a' must be the output of another op"):

        @job
        def constant() -> None:
            add(1, one())

    with pytest.raises(DefinitionError, match=r"use \.map\(\.\.\.\)"):

        @op(out=DynamicOut())
        def many() -> Any:
            return []

        @job
        def unmapped() -> None:
            double(many())


def test_direct_calls_and_build_op_context() -> None:
    @op(config_schema={"word": str})
    def speak(context: OpExecutionContext) -> str:
        return context.op_config["word"]

    @op
    def capped(config: Limit, x: int) -> int:
        return min(x, config.n)

    assert add(2, 3) == 5
    assert speak(build_op_context(op_config={"word": "hi"})) == "hi"
    assert capped(Limit(n=3), 10) == 3
    assert build_op_context(resources={"db": "x"}).resources.db == "x"


def test_definitions_jobs_repository_and_executors() -> None:
    @asset
    def numbers() -> list[int]:
        return [1, 2]

    @job(executor_def=in_process_executor)
    def ops_job() -> None:
        one()

    asset_job = define_asset_job("assets_job", selection=[numbers])

    @graph
    def a_graph() -> None:
        double(one())

    @repository
    def repo() -> list[Any]:
        return [numbers, ops_job, asset_job, a_graph]

    assert {job.name for job in repo.get_all_job_defs()} == {"ops_job", "assets_job", "a_graph"}
    assert repo.get_job_def("ops_job").executor_def == "in_process"
    assert repo.get_job_def("ops_job").execute_in_process().output_for_node("one") == 1
    with pytest.raises(UsageError, match="Op selection 'two' names no op"):
        ops_job.execute_in_process(op_selection=["two"])


def test_op_job_runs_persist_in_the_metadata_database(storage_url: str, tmp_path: Path) -> None:
    @op
    def export(context: OpExecutionContext, x: int) -> None:
        context.log_event(AssetMaterialization("exported", metadata={"x": x}))

    @job
    def small() -> None:
        export(double(one()))

    instance = Instance(storage_url=storage_url, home=tmp_path / "home")
    instance.storage.upgrade()
    result = small.execute_in_process(instance=instance)

    again = Instance(storage_url=storage_url, home=tmp_path / "home")
    run = again.storage.get_run(result.run_id)
    assert run is not None and run.status is RunStatus.SUCCESS
    assert run.selection == "job:small"
    event = again.get_latest_materialization_event(AssetKey("exported"))
    assert event is not None and event.run_id == result.run_id


def test_an_out_with_an_asset_key_materializes_that_asset() -> None:
    @op(out=Out(asset_key=AssetKey("my_dataset"), metadata={"owner": "ops"}))
    def persist() -> int:
        return 5

    @job
    def persisting() -> None:
        persist()

    instance = Instance.ephemeral()
    result = persisting.execute_in_process(instance=instance)

    event = instance.get_latest_materialization_event(AssetKey("my_dataset"))
    assert event is not None and event.run_id == result.run_id
    assert result.output_for_node("persist") == 5


def test_resources_configured_from_run_config_and_validate_run_config() -> None:
    @resource(config_schema={"prefix": str})
    def namer(init_context: Any) -> str:
        return str(init_context.resource_config["prefix"])

    @op(required_resource_keys={"namer"}, config_schema={"name": str})
    def named(context: OpExecutionContext) -> str:
        return context.resources.namer + context.op_config["name"]

    @job(resource_defs={"namer": namer})
    def naming() -> None:
        named()

    config = {
        "resources": {"namer": {"config": {"prefix": "dr. "}}},
        "ops": {"named": {"config": {"name": "who"}}},
    }
    assert validate_run_config(naming, config) == config
    assert naming.execute_in_process(run_config=config).output_for_node("named") == "dr. who"
    with pytest.raises(RunConfigError, match="configures resource 'namr'.*Did you mean 'namer'"):
        naming.execute_in_process(run_config={**config, "resources": {"namr": {"config": {}}}})
    with pytest.raises(RunConfigError, match="Op 'named' needs config"):
        validate_run_config(naming, {})


def test_op_selection_with_levels() -> None:
    @job
    def line() -> None:
        double.alias("d3")(double.alias("d2")(double(one())))

    def ran(selection: str) -> list[str]:
        config = {"ops": {"double": {"inputs": {"x": 4}}}}
        result = line.execute_in_process(op_selection=[selection], run_config=config)
        return [s.step_key for s in result.op_steps.values()]

    assert ran("*d2") == ["one", "double", "d2"]
    assert ran("+d2") == ["double", "d2"]
    assert ran("double+") == ["double", "d2"]
    result = line.execute_in_process(
        op_selection=["double*"], run_config={"ops": {"double": {"inputs": {"x": 4}}}}
    )
    assert result.output_for_node("d3") == 32
    with pytest.raises(RunConfigError, match="input 'x' of op 'd2' reads an op the op selection"):
        line.execute_in_process(op_selection=["d2"])


def test_observations_and_expectations_of_an_op_are_recorded() -> None:
    @op
    def inspect_table(context: OpExecutionContext) -> Any:
        context.log_event(AssetObservation("orders", metadata={"rows": 10}))
        yield ExpectationResult(success=False, label="non_empty", description="no rows")
        yield Output(1)

    @job
    def inspecting() -> None:
        inspect_table()

    instance = Instance.ephemeral()
    result = inspecting.execute_in_process(instance=instance)

    [observation] = result.asset_observations_for_node("inspect_table")
    assert observation.asset_key == AssetKey("orders")
    assert [e.asset_key for e in result.get_asset_observation_events()] == [AssetKey("orders")]
    logs = instance.storage.events_for_run(result.run_id, [EventType.LOG])
    assert [(e.payload["level"], e.message) for e in logs] == [
        ("WARNING", "expectation 'non_empty' failed: no rows")
    ]
    with pytest.raises(UsageError, match="stores no assets"):
        result.output_for("orders")


def test_configured_ops_and_function_defaults() -> None:
    @op(config_schema={"n": int})
    def add_n(context: OpExecutionContext, x: int, extra: int = 100) -> int:
        return x + context.op_config["n"] + extra

    add_two = add_n.configured({"n": 2}, name="add_two")

    @job
    def configured() -> None:
        add_two(one())

    result = configured.execute_in_process()

    assert result.output_for_node("add_two") == 103
    bad = add_n.configured({"n": "3"}, name="add_three")

    @job
    def broken() -> None:
        bad(one())

    with pytest.raises(RunConfigError, match="op 'add_three', field 'n' must be int"):
        broken.execute_in_process()


def test_what_an_op_prints_is_in_the_run_logs() -> None:
    @op
    def chatty() -> None:
        print("hello from an op")

    @job
    def talking() -> None:
        chatty()

    instance = Instance.ephemeral()
    result = talking.execute_in_process(instance=instance)

    logs = instance.storage.events_for_run(result.run_id, [EventType.LOG])
    assert [(e.step_key, e.payload["level"], e.message) for e in logs] == [
        ("chatty", "STDOUT", "hello from an op")
    ]
