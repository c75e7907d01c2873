"""Dagster's ``defs/`` project layout, ported by its imports only (``projects/
components_project``): ``@definitions`` + ``load_from_defs_folder``, Python modules of the
defs folder, a ``defs.yaml`` of three inline components, a folder's ``defs.yaml`` that
post-processes its assets, ``@component_instance``, templates and ``post_processing``.

Before this work none of it loaded (``load_from_defs_folder`` did not exist)."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assetgraph import AssetKey, AutomationCondition, Definitions, materialize

Cli = Callable[..., tuple[int, str]]
Port = Callable[[str], Path]

EXPECTED_GROUPS = {
    "foo": "default",
    "bar": "default",
    "baz": "default",
    "top_level": "default",
    "asset_in_component_py": "default",
    "a": "team_a",
    "b": "team_a",
    "c": "default",
    "pre/qux": "templated",
}


@pytest.fixture
def project(ported_project: Port, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAYOUT_PREFIX", "pre")
    monkeypatch.delenv("LAYOUT_CRON", raising=False)
    return ported_project("components_project")


def listed(cli: Cli, *args: str) -> dict[str, dict[str, object]]:
    code, out = cli("list", *args, "--json")
    assert code == 0, out
    return {row["key"]: row for row in json.loads(out)}


def test_cli_lists_the_defs_folder_by_file_module_and_pyproject(project: Path, cli: Cli) -> None:
    by_file = listed(cli, "-f", "src/my_project/definitions.py")
    by_module = listed(cli, "-m", "my_project.definitions")
    by_pyproject = listed(cli)  # [tool.dg.project] root_module, run in the project folder

    assert {k: row["group"] for k, row in by_file.items()} == EXPECTED_GROUPS
    assert by_module.keys() == by_pyproject.keys() == by_file.keys()


def test_templates_and_post_processing_reach_the_component_assets(project: Path, cli: Cli) -> None:
    rows = listed(cli, "-m", "my_project.definitions")
    qux = rows["pre/qux"]
    assert qux["kinds"] == ["python"]
    assert qux["tags"] == {"root": str(project.resolve()), "dagster/kind/python": ""}

    defs = importlib.import_module("my_project.definitions").defs()
    spec = next(a for a in defs.assets if AssetKey(["pre", "qux"]) in a.keys).specs[0]
    assert isinstance(spec.automation_condition, AutomationCondition)
    schedules = {s.name: s.cron_schedule for s in defs.schedules}
    assert schedules == {
        "foo_schedule": "*/10 * * * *",
        "bar_schedule": "*/20 * * * *",
        "baz_schedule": "*/30 * * * *",
        "pre_qux_schedule": "0 * * * *",  # env('LAYOUT_CRON', default)
    }


def test_the_project_materializes_through_the_cli_and_the_api(project: Path, cli: Cli) -> None:
    code, out = cli("materialize", "-m", "my_project.definitions")
    assert code == 0, out
    assert "9 step(s) materialized" in out

    defs = importlib.import_module("my_project.definitions").defs()
    assert isinstance(defs, Definitions)
    result = materialize([a for a in defs.assets if AssetKey("foo") in a.keys])
    assert result.success
    assert 1 <= result.output_for("foo") <= 100


def test_a_component_yaml_with_bad_attributes_names_the_file_and_field(
    project: Path, cli: Cli
) -> None:
    yaml_file = project / "src/my_project/defs/assets_with_schedules/defs.yaml"
    yaml_file.write_text(yaml_file.read_text().replace('cron_schedule: "*/20 * * * *"', ""))

    code, out = cli("list", "-m", "my_project.definitions")

    assert code == 2
    assert "defs.yaml (document 2)" in out
    assert "cron_schedule: Field required (line 9)" in out  # the attributes it is missing from


def test_an_integration_component_we_lack_is_a_clear_error(project: Path, cli: Cli) -> None:
    folder = project / "src/my_project/defs/ingest"
    folder.mkdir()
    (folder / "defs.yaml").write_text(
        "type: dagster_sling.SlingReplicationCollectionComponent\n"
        "attributes:\n  replications:\n    - path: replication.yaml\n"
    )

    code, out = cli("list", "-m", "my_project.definitions")

    assert code == 2
    assert "ingest/defs.yaml" in out
    assert "dagster_sling" in out and "does not have" in out


# -- Dagster's components integration-test defs folders (projects/defs_semantics) ---------


def keys_of(defs: Definitions) -> set[str]:
    return {spec.key.to_user_string() for spec in defs.resolve_all_asset_specs()}


@pytest.fixture
def fixtures(ported_project: Port) -> Path:
    return ported_project("defs_semantics")


def test_load_defs_stops_at_definitions_py_as_dagster_does(fixtures: Path) -> None:
    import assetgraph as dg

    defs = dg.components.load_defs(importlib.import_module("defs_fixtures.definitions_at_levels"))

    assert keys_of(defs) == {"top_level", "inner", "defs_obj_outer", "defs_obj_inner"}


def test_load_from_defs_folder_loads_every_module(fixtures: Path) -> None:
    from assetgraph import load_defs

    module = importlib.import_module("defs_fixtures.definitions_at_levels")
    defs = load_defs(module, terminate_autoloading_on_keyword_files=False)

    # the same asset object imported by definitions.py and defined in asset.py counts once
    assert keys_of(defs) == {
        "top_level",
        "inner",
        "defs_obj_outer",
        "defs_obj_inner",
        "not_included",
    }


def test_definitions_component_loads_one_file_with_relative_imports(fixtures: Path) -> None:
    from assetgraph import load_defs

    defs = load_defs(importlib.import_module("defs_fixtures.definitions_object_relative_imports"))

    assert keys_of(defs) == {"asset_in_some_file", "asset_in_other_file"}


def test_component_py_and_definitions_py_at_levels(fixtures: Path) -> None:
    from assetgraph import load_defs

    defs = load_defs(importlib.import_module("defs_fixtures.special_names_at_levels"))

    assert keys_of(defs) == {
        "asset_in_component_py",
        "asset_only_in_asset_py_with_component_py",
        "asset_in_definitions_py",
    }


# -- the shell-script component of Dagster's "Creating a component" guide -------------------


@pytest.fixture
def shell_project(ported_project: Port) -> Path:
    return ported_project("shell_command_project")


def test_shell_command_component_runs_its_script(shell_project: Path, cli: Cli) -> None:
    rows = listed(cli)
    assert rows["my_asset"]["description"] == "Output of running a script"

    code, out = cli("materialize", "--select", "my_asset")

    assert code == 0, out
    assert (shell_project / "src/my_project/defs/my_shell/ran.txt").read_text() == "ran\n"


def test_get_additional_scope_feeds_a_partitions_def_template(shell_project: Path) -> None:
    import assetgraph as dg

    defs = dg.load_defs(importlib.import_module("my_project.scoped_defs"))

    (spec,) = defs.resolve_all_asset_specs()
    assert spec.key == AssetKey("my_asset")
    assert isinstance(spec.partitions_def, dg.DailyPartitionsDefinition)
    assert spec.partitions_def.get_partition_keys()[0] == "2024-01-01"


# -- PythonScriptComponent: Dagster's "Build pipelines with Python scripts" guide ----------


@pytest.fixture
def script_project(ported_project: Port) -> Path:
    return ported_project("python_script_project")


def test_python_script_component_runs_a_pipes_script(script_project: Path, cli: Cli) -> None:
    row = listed(cli)["sales_revenue_report"]
    assert (row["group"], row["kinds"]) == ("analytics", ["python", "report"])

    code, out = cli("materialize")
    assert code == 0, out

    defs = importlib.import_module("my_project.definitions").defs()
    result = materialize(defs.assets)
    assert result.success
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["total_revenue"].value == 2800.0
    assert metadata["top_product"].value == "A"


def test_python_script_component_runs_a_plain_script(script_project: Path) -> None:
    import assetgraph as dg

    defs = dg.load_defs(importlib.import_module("my_project.plain_defs"))
    result = materialize(defs.assets)

    assert result.success  # Dagster's implicit materialization of an unreported asset
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [
        AssetKey("sales_revenue_report")
    ]


# -- dagster_dbt.DbtProjectComponent: the jaffle_platform project of the components guide ----


@pytest.fixture
def dbt_project(ported_project: Port) -> Path:
    pytest.importorskip("dbt.adapters.duckdb", reason="dbt-duckdb is not installed (dbt extra)")
    return ported_project("dbt_component_project")


def test_dbt_project_component_keys_and_builds_the_models(dbt_project: Path, cli: Cli) -> None:
    rows = listed(cli)
    assert set(rows) == {
        "target/main/raw_customers",
        "target/main/stg_customers",
        "target/main/customers",
    }
    assert rows["target/main/customers"]["upstream"] == ["target/main/stg_customers"]

    code, out = cli("materialize")

    assert code == 0, out
    assert "3 of 3 OK created sql table model main.customers" in out
    code, out = cli("status")
    assert (code, out.strip().splitlines()[-1]) == (0, "3 asset(s) fresh: nothing to do.")
    assert (dbt_project / "jdbt.duckdb").is_file()


def test_dbt_project_component_takes_a_path_relative_to_its_folder(dbt_project: Path) -> None:
    import assetgraph as dg

    defs = dg.load_defs(importlib.import_module("jaffle_platform.relative_defs"))

    assert {k.to_user_string() for a in defs.assets for k in a.keys} == {
        "target/main/raw_customers",
        "target/main/stg_customers",
        "target/main/customers",
    }
