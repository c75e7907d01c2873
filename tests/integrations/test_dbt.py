"""dbt models as assets, against real dbt-core and dbt-duckdb: a tiny project made per module.

The project: a seed ``numbers``, a model ``doubled`` (reads it), a model ``with_nulls``
whose ``not_null`` test fails (severity error: a blocking check), a model ``warned``
whose failing test has severity warn, and a model ``broken`` that reads a missing table.
dbt runs are slow, so the module makes few of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dbt.cli.main", reason="dbt-core is not installed (the dbt extra)")
pytest.importorskip("dbt.adapters.duckdb", reason="dbt-duckdb is not installed (the dbt extra)")

from assetgraph import (
    AssetExecutionContext,
    AssetKey,
    DagsterDbtTranslator,
    DbtCliResource,
    DbtProject,
    Definitions,
    Instance,
    dbt_assets,
    get_asset_key_for_model,
    get_asset_key_for_source,
    materialize,
)
from assetgraph.errors import DefinitionError

FILES = {
    "dbt_project.yml": "name: tiny\nversion: '1.0'\nprofile: tiny\n"
    "models:\n  tiny:\n    +materialized: table\n",
    "profiles.yml": "tiny:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
    "      path: '{path}'\n      threads: 1\n      keep_open: false\n",
    "seeds/numbers.csv": "n\n1\n2\n3\n",
    "models/doubled.sql": "select n * 2 as n2 from {{ ref('numbers') }}",
    "models/with_nulls.sql": "select null as x",
    "models/warned.sql": "select 1 as y union all select 1",
    "models/broken.sql": "select * from {{ source('ext', 'missing') }}",
    "models/schema.yml": """
version: 2
sources:
  - name: ext
    schema: main
    tables: [{name: missing}]
models:
  - name: doubled
    description: Twice each number.
    config: {tags: [math], meta: {dagster: {owners: ["team:math"], group: numbers}}}
    columns: [{name: n2, tests: [not_null]}]
  - name: with_nulls
    columns: [{name: x, tests: [not_null]}]
  - name: warned
    columns:
      - name: y
        tests: [{unique: {config: {severity: warn}}}]
""",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    root = tmp_path_factory.mktemp("tiny_dbt")
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{path}", str(root / "tiny.duckdb")))
    return DbtProject(root)


@pytest.fixture(scope="module")
def assets(project: DbtProject) -> Any:
    return dbt_assets(project)


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    yield Instance(home=tmp_path_factory.mktemp("tiny_home"))


def spec(assets: Any, key: str) -> Any:
    return next(s for s in assets.specs if s.key == AssetKey.from_user(key))


def test_models_and_seeds_are_assets_with_lineage_and_dbt_properties(
    project: DbtProject, assets: Any
) -> None:
    keys = {key.to_string() for key in assets.keys}
    assert keys == {"numbers", "doubled", "with_nulls", "warned", "broken"}
    graph = Definitions(assets=[assets]).graph
    assert set(graph.parents(AssetKey("doubled"))) == {AssetKey("numbers")}
    assert set(graph.parents(AssetKey("broken"))) == {AssetKey(("ext", "missing"))}
    doubled = spec(assets, "doubled")
    assert doubled.description == "Twice each number."
    assert doubled.group == "numbers" and doubled.owners == ("team:math",)
    assert doubled.tags["math"] == "" and "dagster/kind/dbt" in doubled.tags
    manifest = json.loads(project.manifest_path.read_text())
    checksum = manifest["nodes"]["model.tiny.doubled"]["checksum"]["checksum"]
    assert assets.code_version(AssetKey("doubled")) == checksum
    blocking = {c.name: c.blocking for c in assets.check_specs}
    assert blocking["not_null_with_nulls_x"] is True
    assert blocking["unique_warned_y"] is False
    assert get_asset_key_for_model([assets], "doubled") == AssetKey("doubled")
    assert get_asset_key_for_source([assets], "ext") == AssetKey(("ext", "missing"))


def test_building_a_selection_runs_dbt_for_exactly_those_nodes(
    project: DbtProject, assets: Any, instance: Instance
) -> None:
    run = materialize([assets], selection="numbers doubled warned", instance=instance)
    assert run.success, [f.error for f in run.failures]
    built = {m.asset_key.to_string(): m.metadata for m in run.get_asset_materializations()}
    assert set(built) == {"numbers", "doubled", "warned"}
    assert built["numbers"]["rows_affected"].value == 3
    assert Path(built["doubled"]["compiled_sql"].value).is_file()
    assert built["doubled"]["dbt/unique_id"].value == "model.tiny.doubled"
    results = json.loads((project.target_path / "run_results.json").read_text())["results"]
    ran = {".".join(r["unique_id"].split(".")[:3:2]) for r in results}  # kind.name
    assert ran == {
        "seed.numbers",
        "model.doubled",
        "model.warned",
        "test.not_null_doubled_n2",
        "test.unique_warned_y",
    }
    checks = {c.check_name: (c.passed, c.severity.value) for c in run.get_asset_check_evaluations()}
    assert checks["not_null_doubled_n2"] == (True, "ERROR")
    assert checks["unique_warned_y"][0] is False  # a warning: the step still succeeds


def test_a_failing_blocking_test_fails_the_step(assets: Any, instance: Instance) -> None:
    run = materialize([assets], selection="with_nulls", instance=instance)
    assert not run.success
    (failure,) = run.failures
    assert failure.error is not None
    assert "not_null_with_nulls_x" in failure.error.message
    checks = run.get_asset_check_evaluations()
    assert [(c.check_name, c.passed) for c in checks] == [("not_null_with_nulls_x", False)]


def test_a_failed_model_fails_the_step_naming_it_and_the_models_built_are_recorded(
    assets: Any, instance: Instance
) -> None:
    run = materialize([assets], selection="numbers doubled broken", instance=instance)
    assert not run.success
    (failure,) = run.failures
    assert failure.error is not None
    message = failure.error.message
    assert "model 'broken'" in message and "missing" in message, message
    built = sorted(m.asset_key.to_string() for m in run.get_asset_materializations())
    assert built == ["doubled", "numbers"]


def test_dagsters_decorator_shape_with_dbt_cli_resource(
    project: DbtProject, instance: Instance
) -> None:
    class Prefixed(DagsterDbtTranslator):
        def get_asset_key(self, dbt_resource_props: Any) -> AssetKey:
            return super().get_asset_key(dbt_resource_props).with_prefix("tiny")

    project.prepare_if_dev()  # writes the manifest, as a Dagster project's definitions do

    @dbt_assets(
        manifest=project.manifest_path,
        select="doubled numbers",
        dagster_dbt_translator=Prefixed(),
    )
    def tiny(context: AssetExecutionContext, dbt: DbtCliResource) -> Any:
        yield from dbt.cli(["build"], context=context).stream()

    assert {k.to_string() for k in tiny.keys} == {"tiny/doubled", "tiny/numbers"}
    defs = Definitions(assets=[tiny], resources={"dbt": DbtCliResource(project_dir=project)})
    seeded = materialize(defs, selection="tiny/numbers", instance=instance)  # on its own too
    assert seeded.success, [f.error for f in seeded.failures]
    run = materialize(defs, selection="tiny/doubled", instance=instance)
    assert run.success, [f.error for f in run.failures]
    assert [m.asset_key.to_string() for m in run.get_asset_materializations()] == ["tiny/doubled"]


def test_a_selection_that_selects_nothing_is_a_clear_error(project: DbtProject) -> None:
    with pytest.raises(DefinitionError, match="selects no model, seed or snapshot"):
        dbt_assets(project, select="tag:no_such_tag")
