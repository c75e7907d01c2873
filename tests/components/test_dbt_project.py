"""DbtProjectComponent: a dbt project's nodes as assets, keyed by translation templates."""

from __future__ import annotations

from pathlib import Path

import pytest

import assetgraph as dg
from assetgraph import DefinitionError
from assetgraph.components.dbt_project import DbtProjectArgs

from .conftest import MakeProject

pytest.importorskip("dbt.adapters.duckdb", reason="dbt-duckdb is not installed (the dbt extra)")

DBT_FILES = {
    "defs/tiny/dbt/dbt_project.yml": "name: tiny\nversion: '1.0'\nprofile: tiny\n",
    "defs/tiny/dbt/profiles.yml": "tiny:\n  target: dev\n  outputs:\n    dev:\n"
    "      type: duckdb\n      path: tiny.duckdb\n",
    "defs/tiny/dbt/models/orders.sql": "select 1 as id\n",
}


def load(make_project: MakeProject, attributes: str) -> tuple[dg.Definitions, Path]:
    package = make_project(
        {
            **DBT_FILES,
            "defs/tiny/defs.yaml": "type: dagster_dbt.DbtProjectComponent\nattributes:\n"
            + attributes,
        }
    )
    return dg.load_from_defs_folder(path_within_project=package), package


def test_translation_templates_see_the_node_and_the_scope(make_project: MakeProject) -> None:
    defs, _ = load(
        make_project,
        "  project: dbt\n  translation:\n    key: 'wh/{{ node.config.materialized }}/"
        "{{ node.name }}'\n    group_name: \"{{ 'dbt_' + node.resource_type }}\"\n",
    )

    (spec,) = defs.resolve_all_asset_specs()
    assert spec.key == dg.AssetKey(["wh", "view", "orders"])
    assert spec.group_name == "dbt_model"


def test_a_mapping_project_and_asset_key_for_model(make_project: MakeProject) -> None:
    package = make_project({**DBT_FILES})
    component = dg.DbtProjectComponent(project=DbtProjectArgs(project_dir="dbt"))
    with pytest.raises(DefinitionError, match="build the component first"):
        component.asset_key_for_model("orders")

    folder = package / "defs" / "tiny"
    context = dg.ComponentLoadContext.for_test(package).for_path(folder)
    component.build_defs(context)

    assert component.asset_key_for_model("orders") == dg.AssetKey("orders")


def test_cli_args_other_than_build_are_refused(make_project: MakeProject) -> None:
    with pytest.raises(DefinitionError, match=r"cli_args \['run'\] are not supported"):
        load(make_project, "  project: dbt\n  cli_args: [run]\n")
