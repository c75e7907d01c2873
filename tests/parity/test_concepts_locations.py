"""Dagster's concept snippets on assets, asset checks, IO and input managers, and metadata
(``locations/``, from ``examples/docs_snippets/docs_snippets/concepts/``; the input manager
snippet is the guides' copy of it), ported and run through the CLI and the Python API,
with Dagster's own tests of them where it has some."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest.mock import patch

import pytest

from assetgraph import (
    AssetCheckKey,
    AssetKey,
    Instance,
    load_definitions,
    materialize,
    materialize_to_memory,
)
from assetgraph.errors import ResourceError, RunFailure
from tests.parity.conftest import LOCATIONS, import_file as load, port_source

Cli = Callable[..., tuple[int, str]]
Port = Callable[[str], Path]


@pytest.mark.parametrize(
    ("name", "built"),
    [
        ("asset_dependency", ["upstream_asset", "downstream_asset"]),
        ("asset_group_argument", ["nabisco_cereals"]),
        ("asset_materialization_metadata_none", ["table1"]),
        ("asset_materialization_metadata_with_metadata_value", ["sales_dashboard"]),
        ("asset_retry", ["retried_asset"]),
        ("basic_asset_definition", ["my_asset"]),
        ("build_job", ["asset1", "asset2"]),
        ("check_asset_with_check", ["orders"]),
        ("check_orders_check", ["orders"]),
        ("code_versions", ["asset_with_version", "a", "b"]),
        ("explicit_string_asset_dependency", ["upstream_asset", "downstream_asset"]),
        ("jobs_to_definitions", ["number_asset"]),
        ("multi_component_asset_key", ["one/two/three/upstream_asset", "downstream_asset"]),
        ("non_argument_deps", ["upstream_asset", "downstream_asset"]),
        ("mt_asset_column_lineage", ["my_asset"]),
        ("mt_asset_kinds", ["my_asset"]),
        ("mt_asset_kinds_multi", ["foo", "bar"]),
        ("mt_asset_owners", ["leads"]),
        ("mt_asset_row_count", ["my_asset"]),
    ],
)
def test_the_snippet_materializes_every_asset_it_defines(
    ported: Port, cli: Cli, tmp_path: Path, name: str, built: list[str]
) -> None:
    (tmp_path / "data").mkdir()  # the snippets that write files write them under data/
    location = str(ported(name))
    code, out = cli("list", "-f", location)
    assert code == 0, out
    code, out = cli("materialize", "-f", location)
    assert code == 0, out
    stored = Instance.get().storage.latest_materializations(built)
    assert {key for key, _partition in stored} == set(built), out


def test_an_asset_that_yields_no_output_is_not_materialized_and_its_downstream_skips(
    ported: Port,
) -> None:
    module = load(ported("conditional_materialization"))
    with patch("random.randint") as randint:  # Dagster's test of the snippet
        randint.return_value = 4
        ran = materialize_to_memory([module.downstream, module.may_not_materialize])
        assert len(ran.asset_materializations_for_node("may_not_materialize")) == 1
        assert len(ran.asset_materializations_for_node("downstream")) == 1
        assert len(ran.get_step_skipped_events()) == 0

        randint.return_value = 6
        skipped = materialize_to_memory([module.downstream, module.may_not_materialize])
        assert skipped.success
        assert len(skipped.asset_materializations_for_node("may_not_materialize")) == 0
        assert len(skipped.asset_materializations_for_node("downstream")) == 0
        [event] = skipped.get_step_skipped_events()
        assert event.step_key == "downstream" and event.event_type_value == "STEP_SKIPPED"


def test_a_skippable_spec_left_out_skips_only_the_assets_that_depend_on_it(ported: Port) -> None:
    module = load(ported("multi_asset_conditional_materialization"))
    assets = [module.assets_1_and_2, module.downstream1, module.downstream2]
    with patch("random.randint") as randint:  # Dagster's test of the snippet
        randint.side_effect = [4, 6]
        first = materialize_to_memory(assets)
        assert [m.asset_key for m in first.get_asset_materializations()] == [
            AssetKey("asset1"),
            AssetKey("downstream1"),
        ]
        assert len(first.get_step_skipped_events()) == 1

        randint.side_effect = [6, 4]
        second = materialize_to_memory(assets)
        assert len(second.asset_materializations_for_node("assets_1_and_2")) == 1
        assert len(second.asset_materializations_for_node("downstream1")) == 0
        assert len(second.asset_materializations_for_node("downstream2")) == 1
        assert [e.step_key for e in second.get_step_skipped_events()] == ["downstream1"]


def test_code_versions_are_those_declared(ported: Port) -> None:
    module = load(ported("code_versions"))  # Dagster's test of the snippet
    assert module.asset_with_version.code_versions_by_key == {AssetKey("asset_with_version"): "1"}
    assert module.multi_asset_with_versions.code_versions_by_key == {
        AssetKey("a"): "1",
        AssetKey("b"): "2",
    }


def test_multi_assets_have_their_keys_and_a_subsettable_one_builds_what_is_selected(
    ported: Port,
) -> None:
    module = load(ported("multi_assets"))
    for assets_def in (
        module.my_function,
        module.my_assets,
        module.split_actions,
        module.my_complex_assets,
    ):
        assert len(assets_def.keys) == 2  # Dagster's test of the snippet
    result = materialize_to_memory([module.split_actions], selection="b")
    assert [m.asset_key for m in result.get_asset_materializations()] == [AssetKey("b")]
    assert result.output_for("b") == 456


def test_a_subsettable_multi_asset_reports_only_the_checks_of_what_is_selected(
    ported: Port, cli: Cli
) -> None:
    location = ported("check_subset_check_multi_asset")
    module = load(location)
    only_two = materialize_to_memory([module.multi_asset_1_and_2], selection="multi_asset_piece_2")
    assert [m.asset_key for m in only_two.get_asset_materializations()] == [
        AssetKey("multi_asset_piece_2")
    ]
    assert only_two.get_asset_check_evaluations() == []
    both = materialize_to_memory([module.multi_asset_1_and_2])
    [evaluation] = both.get_asset_check_evaluations()
    assert evaluation.asset_check_key == AssetCheckKey(AssetKey("multi_asset_piece_1"), "my_check")
    assert evaluation.passed and evaluation.metadata["foo"].value == "bar"
    code, out = cli("materialize", "-f", str(location))
    assert code == 0, out


def test_an_asset_that_raises_after_its_output_keeps_it_and_its_check_result(
    ported: Port,
) -> None:
    module = load(ported("check_in_op_blocking"))
    result = materialize_to_memory([module.my_asset, module.downstream_asset], raise_on_error=False)
    assert not result.success
    assert [m.asset_key for m in result.get_asset_materializations()] == [AssetKey("my_asset")]
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == ("foo", False)
    assert [e.step_key for e in result.get_step_skipped_events()] == ["downstream_asset"]
    assert "ExampleException" in result.failures[0].error.summary()  # type: ignore[union-attr]


def test_the_asset_unit_tests_of_the_docs_pass(ported: Port) -> None:
    module = load(ported("asset_testing"))
    module.test_my_simple_asset()
    module.test_more_complex_asset()
    module.test_uses_context()  # test_uses_resource calls dagster.io: left out


@pytest.fixture
def ported_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The snippets that import each other relatively, ported as one package ``snippets``."""
    package = tmp_path / "snippets"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("asset_input_managers", "asset_input_managers_numpy"):
        source = (LOCATIONS / f"{name}.py").read_text()
        (package / f"{name}.py").write_text(port_source(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for module in [m for m in sys.modules if m == "snippets" or m.startswith("snippets.")]:
        sys.modules.pop(module)


def test_an_input_manager_loads_an_input_that_no_asset_defines(
    ported_package: Path, cli: Cli
) -> None:
    code, out = cli("list", "-m", "snippets.asset_input_managers_numpy")
    assert code == 0 and "public/upstream" in out, out
    defs = load_definitions(module="snippets.asset_input_managers_numpy")
    assert defs.graph.is_external(AssetKey(["public", "upstream"]))
    result = materialize(defs, instance=Instance.ephemeral(), raise_on_error=False)
    # The snippet's loader is a stub returning None: the numpy manager loaded the input.
    assert result.status_for("upstream_asset") == "success"
    [failure] = result.failures
    assert failure.step_key == "downstream_asset"
    assert "'NoneType' object has no attribute 'shape'" in failure.error.summary()  # type: ignore[union-attr]


def test_an_asset_input_manager_that_is_not_one_is_an_error_naming_it(ported: Port) -> None:
    defs = load_definitions(file=ported("asset_input_managers"))
    with pytest.raises(ResourceError, match="No IO manager or input manager 'pandas_series'"):
        materialize(defs, instance=Instance.ephemeral())


def _input_managers_module(tmp_path: Path) -> dict[str, object]:
    """The definitions of Dagster's input manager snippet: the file up to its first
    module-level run, which fails (its stub loaders return None) as it would in Dagster."""
    ported = port_source((LOCATIONS / "guide_input_managers.py").read_text())
    definitions, _, _ = ported.partition("# start_execute_subselection")
    namespace: dict[str, object] = {"__name__": "guide_input_managers"}
    exec(compile(definitions, str(tmp_path / "guide_input_managers.py"), "exec"), namespace)
    return namespace


def test_op_inputs_are_loaded_by_their_input_managers(tmp_path: Path) -> None:
    snippet = _input_managers_module(tmp_path)

    def failure_of(job_name: str, **options: object) -> str:
        result = snippet[job_name].execute_in_process(raise_on_error=False, **options)  # type: ignore[attr-defined]
        [failed] = result.failures
        return f"{failed.step_key}: {failed.error.summary()}"

    # An unwired input, loaded by a function-style @input_manager (a stub returning None).
    assert "my_op: AttributeError: 'NoneType' object has no attribute 'head'" in failure_of(
        "simple_load_table_job"
    )
    # A wired input, loaded by the input manager, not passed from produce_pandas_output.
    assert "analyze_as_numpy: FileNotFoundError: path/to/dataframe" in failure_of("my_job")
    # The op selection leaves op1 out: op2's input manager loads its input alone.
    assert "op2: AttributeError: 'NoneType'" in failure_of(
        "my_subselection_job", op_selection=["op2"]
    )
    assert "resource 'pandas_series' (a NoneType) cannot load input 'a'" in failure_of("a_job")
    # load_table_job gives 'load_input_manager', but my_op names 'simple_load_input_manager'.
    load_table_job = snippet["load_table_job"]
    with pytest.raises(Exception, match="input manager 'simple_load_input_manager', which is not"):
        load_table_job.execute_in_process()  # type: ignore[attr-defined]


def test_the_input_manager_snippet_fails_where_dagster_fails(ported: Port) -> None:
    with pytest.raises(RunFailure, match="op2: AttributeError"):
        load(ported("guide_input_managers"))


@pytest.mark.parametrize(
    ("name", "failure"),
    [
        ("source_asset", "'NoneType' object has no attribute 'as_list'"),
        ("no_arg_dependency", "UnsupportedOperation: read"),
        ("cross_code_location_asset", "code_location_1_asset"),
        ("mt_asset_column_schema", "'ellipsis' object is not iterable"),
    ],
)
def test_the_snippet_fails_in_the_step_dagster_fails_in(
    ported: Port, name: str, failure: str
) -> None:
    defs = load_definitions(file=ported(name))
    result = materialize_to_memory(defs, raise_on_error=False)
    assert not result.success
    assert any(failure in (f.error.summary() if f.error else "") for f in result.failures), [
        f.error.summary() if f.error else None for f in result.failures
    ]


def test_the_snippets_that_need_what_they_do_not_give_say_so(ported: Port, cli: Cli) -> None:
    code, out = cli("list", "-f", str(ported("asset_w_context")))
    assert code != 0 and "alerter" in out, out
    code, out = cli("materialize", "-f", str(ported("asset_config")))
    assert code != 0 and "api_endpoint" in out, out
    code, out = cli("materialize", "-f", str(ported("check_partitions")))
    assert code != 0 and "partition" in out, out


def test_kinds_and_owners_are_recorded(ported: Port) -> None:
    kinds = load_definitions(file=ported("mt_asset_kinds")).graph.spec(AssetKey("my_asset"))
    assert {"dagster/kind/python", "dagster/kind/snowflake"} <= set(kinds.tags)
    multi = load_definitions(file=ported("mt_asset_kinds_multi")).graph
    assert "dagster/kind/postgres" in multi.spec(AssetKey("bar")).tags
    owners = load_definitions(file=ported("mt_asset_owners")).graph.spec(AssetKey("leads"))
    assert owners.owners == ("richard.hendricks@hooli.com", "team:data-eng")


def test_a_row_count_reported_by_the_asset_is_recorded(ported: Port) -> None:
    module = load(ported("mt_asset_row_count"))
    [materialization] = materialize_to_memory([module.my_asset]).get_asset_materializations()
    assert materialization.metadata["dagster/row_count"].value == 374


def test_a_job_of_an_observable_source_asset_observes_it(ported: Port, cli: Cli) -> None:
    from assetgraph import (
        Definitions,
        create_test_asset_job,
        extract_data_version_from_entry,
        instance_for_test,
    )

    location = ported("observable_source_assets")
    module = load(location)
    # Dagster's tests of the snippet.
    assert create_test_asset_job([module.foo_source_asset]).execute_in_process().success
    with instance_for_test() as instance:
        defs = Definitions(assets=[module.foo_source_asset], jobs=[module.observation_job])
        defs.resolve_job_def("observation_job").execute_in_process(instance=instance)
        record = instance.get_latest_data_version_record(module.foo_source_asset.key)
        assert record
        version = extract_data_version_from_entry(record.event_log_entry)
        assert version is not None and version.value == module.sha256(b"foo").hexdigest()
    assert module.observation_schedule.name == "observation_schedule"
    assert module.observation_schedule.cron_schedule == "@daily"
    code, out = cli("list", "-f", str(location))
    assert code == 0 and "foo_source_asset" in out, out


def test_a_snippet_of_an_older_dagster_fails_as_current_dagster_does(ported: Port) -> None:
    # AssetIn(asset_key=...) was renamed AssetIn(key=...) before Dagster 1.0.
    with pytest.raises(TypeError, match="asset_key"):
        load(ported("explicit_asset_dependency_asset_keys"))
