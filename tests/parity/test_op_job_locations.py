"""Dagster's op-job docs snippets (``locations/op_*.py``), ported by their imports only,
loaded as code locations, run through the API and the CLI, and checked as Dagster's own
tests and docs check them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from assetgraph import (
    AssetKey,
    AssetMaterialization,
    DagsterEventType,
    ExecuteInProcessResult,
    ExpectationResult,
    Failure,
    Instance,
    RetryRequested,
    RunConfig,
    RunFailure,
    build_op_context,
    load_definitions,
)
from assetgraph.storage.records import EventType, RunStatus

Cli = Callable[..., tuple[int, str]]
LOCATIONS = sorted(p.stem for p in (Path(__file__).parent / "locations").glob("op_*.py"))


@pytest.fixture
def load(ported_module: Callable[[str], ModuleType]) -> Callable[[str], ModuleType]:
    """Port ``locations/<name>.py`` and import it as Python would."""
    return ported_module


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in LOCATIONS
        # Dagster refuses to load these two as code locations too: jobs.py defines two
        # jobs named one_plus_one, op_events.py defines only ops.
        if n not in ("op_jobs", "op_op_events")
    ],
)
def test_each_location_loads_and_lists_its_jobs(
    name: str, ported: Callable[[str], Path], cli: Cli, home: Path
) -> None:
    path = ported(name)
    defs = load_definitions(file=path)

    code, out = cli("job", "list", "-f", str(path), "--json")

    assert code == 0, out
    listed = {row["name"] for row in json.loads(out)}
    assert listed == {job.name for job in defs.get_all_job_defs()}
    assert listed, f"{name} has jobs"


def test_unit_tests_job_outputs_and_config(load: Callable[[str], ModuleType]) -> None:
    """ops_jobs_graphs/unit_tests.py's test_job and test_job_with_config, on graph_provides
    -config's graph and job_execution's job."""
    graphs = load("op_graph_provides_config")
    result = graphs.celsius_to_fahrenheit.execute_in_process(input_values={"number": 100})
    assert isinstance(result, ExecuteInProcessResult)
    assert result.success
    assert result.output_for_node("add_n") == 132.0
    assert result.output_value() == pytest.approx(237.6)

    overridden = graphs.celsius_to_fahrenheit.execute_in_process(
        input_values={"number": 0},
        run_config=RunConfig(ops={"add_n": graphs.AddNConfig(n=10)}),
    )
    assert overridden.output_for_node("multiply_by_m") == pytest.approx(18.0)


def test_job_execution_runs_a_chain_and_an_op_selection(
    load: Callable[[str], ModuleType],
) -> None:
    module = load("op_job_execution")

    result = module.my_job.execute_in_process()
    subset = module.my_job.execute_in_process(op_selection=["*add_two"])

    assert result.output_for_node("multi_three") == 9
    assert [s.step_key for s in subset.op_steps.values()] == ["return_one", "add_two"]
    assert module.forkserver_job.execute_in_process().output_for_node("multi_three") == 9


def test_jobs_alias_tags_constructor_and_input_values(load: Callable[[str], ModuleType]) -> None:
    module = load("op_jobs")

    assert module.alias.execute_in_process().output_for_node("second_addition") == 3
    assert module.multiple_usage.execute_in_process().output_for_node("add_one_2") == 3
    built = module.one_plus_one_from_constructor.execute_in_process()
    assert built.output_for_node("add_one") == 2
    assert module.my_tags_job.tags == {"my_tag": "my_value"}
    assert module.graph_result.output_for_node("op_with_input") == 5
    assert module.job_result.output_for_node("op_with_input") == 6
    assert module.the_job.execute_in_process().output_for_node("op_with_input") == 5


def test_dynamic_map_collect_chains_and_named_dynamic_outputs(
    load: Callable[[str], ModuleType],
) -> None:
    module = load("op_dynamic")

    full = module.dynamic_graph.execute_in_process()
    chained = module.chained.execute_in_process()
    alt = module.chained_alt.execute_in_process()
    multiple = module.multiple.execute_in_process()

    assert full.output_for_node("merge_and_analyze").sum() == sum(range(100)) * 2
    assert len(full.output_for_node("compute_piece")) == 50
    assert chained.output_for_node("process") == 1
    assert alt.output_for_node("process") == 1
    assert multiple.output_for_node("process") == 1
    assert multiple.output_for_node("process_2") == -1
    assert multiple.output_for_node("multiple_dynamic_values", "negatives") == {
        "neg_0": 0,
        "neg_1": -1,
    }
    other = module.other_arg.execute_in_process()
    assert other.output_for_node("add") == {"num_0": 1, "num_1": 2}
    assert [d.value for d in module.return_dynamic()] == ["foo"]


def test_fan_in_branching_and_nothing_dependencies(load: Callable[[str], ModuleType]) -> None:
    fan_in = load("op_fan_in_job").fan_in.execute_in_process()
    branching = load("op_branching_job").branching.execute_in_process()
    nothing = load("op_order_based_dependency_job").nothing_dependency.execute_in_process()

    assert fan_in.output_for_node("sum_fan_in") == 10
    statuses = {s.step_key: s.status.value for s in branching.op_steps.values()}
    assert branching.success
    assert sorted(statuses.values()) == ["skipped", "success", "success"]
    assert [s.step_key for s in nothing.op_steps.values()] == ["create_table_1", "create_table_2"]


def test_retries_policies_and_retry_requested(load: Callable[[str], ModuleType]) -> None:
    module = load("op_retries")
    instance = Instance.ephemeral()

    result = module.default_and_override_job.execute_in_process(
        instance=instance, raise_on_error=False
    )

    assert not result.success
    starts = [
        e
        for e in instance.storage.events_for_run(result.run_id)
        if e.event_type is EventType.STEP_START
    ]
    assert len(starts) == 11, "problematic runs once and 10 retries (the node's policy wins)"
    with pytest.raises(RunFailure, match="problematic"):
        module.default_and_override_job.execute_in_process()


def test_op_events_yielded_logged_and_failures(load: Callable[[str], ModuleType]) -> None:
    module = load("op_op_events")

    with pytest.raises(Failure, match="No files to process") as raised:
        module.my_failure_op()
    assert raised.value.metadata["filepath"].value == "/path/to/files"
    assert module.my_retry_op() == 0
    events = list(module.my_asset_op_yields())
    assert isinstance(events[0], AssetMaterialization)
    assert events[0].asset_key == AssetKey("s3.my_asset")
    context = build_op_context()
    assert module.my_expectation_op(context, [1]) == [1]
    assert module.my_output_generic_op().value == 5
    assert RetryRequested(max_retries=3).max_retries == 3
    assert ExpectationResult(success=True).success


def test_update_external_asset_via_op_records_the_materialization(
    ported: Callable[[str], Path],
) -> None:
    """Dagster's own test of this snippet: the job's run materializes external_asset."""
    defs = load_definitions(file=ported("op_update_external_asset_via_op"))
    instance = Instance.ephemeral()

    result = defs.get_job_def("a_job").execute_in_process(instance=instance)

    assert result.success
    event = instance.get_latest_materialization_event(AssetKey("external_asset"))
    assert event is not None and event.run_id == result.run_id
    kinds = [e.event_type for e in result.events_for_node("an_op")]
    assert kinds[:2] == [DagsterEventType.STEP_START, DagsterEventType.ASSET_MATERIALIZATION]


def test_resources_of_to_job_reach_the_op(load: Callable[[str], ModuleType]) -> None:
    module = load("op_jobs_from_graphs")

    assert module.prod_job.execute_in_process().success
    assert module.local_job.name == "do_stuff_local"


def test_cli_executes_an_op_job_and_records_the_run(
    ported: Callable[[str], Path], cli: Cli, home: Path
) -> None:
    path = ported("op_unnested_ops")

    code, out = cli("job", "execute", "-f", str(path), "-j", "all_together_unnested", "--json")

    assert code == 0, out
    run = json.loads(out)
    assert [s["step_key"] for s in run["steps"]] == [
        "return_fifty",
        "multiply_by_one_point_eight",
        "add_thirty_two",
        "log_number",
    ]
    stored = Instance.from_env().storage.get_run(run["run_id"])
    assert stored is not None and stored.status is RunStatus.SUCCESS
    code, logs = cli("logs", run["run_id"])
    assert code == 0 and "number: 122.0" in logs


def test_cli_materialize_job_runs_an_op_job_with_failures_exit_1(
    ported: Callable[[str], Path], cli: Cli, home: Path
) -> None:
    path = ported("op_retries")

    code, out = cli("materialize", "-f", str(path), "--job", "retry_job", "--json")

    assert code == 1
    run = json.loads(out)
    assert run["status"] == "failure"
    assert {s["step_key"]: s["status"] for s in run["steps"]} == {
        "problematic": "failure",
        "better": "failure",
        "even_better": "failure",
        "manual": "failure",
    }


def test_cli_points_an_op_only_location_at_its_jobs_and_names_bad_config(
    ported: Callable[[str], Path], cli: Cli, home: Path
) -> None:
    path = ported("op_simple_job")
    code, out = cli("materialize", "-f", str(path))
    assert code == 2
    assert "only op jobs (do_stuff): run one with 'assetgraph job execute -j do_stuff'" in out

    config = Path(path.parent / "run.yaml")
    config.write_text("ops:\n  add_onne:\n    config:\n      n: 1\n")
    code, out = cli("job", "execute", "-f", str(path), "-j", "do_stuff", "-c", str(config))
    assert code == 2
    assert "names op 'add_onne', which job 'do_stuff' does not have" in out
    assert "Did you mean 'add_one'" in out
