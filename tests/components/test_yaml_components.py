"""defs.yaml: component types, attributes, template scopes and the errors users see."""

from __future__ import annotations

import pytest

import assetgraph as dg
from assetgraph import DefinitionError

from .conftest import MakeProject

COMPONENT = """
from dataclasses import dataclass
from typing import Annotated
import assetgraph as dg

@dataclass
class Tables(dg.Component, dg.Resolvable):
    names: list[str]
    prefix: Annotated[
        str, dg.Resolver(lambda ctx, v: v.upper(), model_field_name="key_prefix")
    ] = ""

    @staticmethod
    @dg.template_var
    def default_owner() -> str:
        return "team:data"

    def build_defs(self, context):
        specs = [dg.AssetSpec([self.prefix, n] if self.prefix else n) for n in self.names]
        return dg.Definitions(assets=specs)

class Plain(dg.Component):
    def build_defs(self, context):
        return dg.Definitions()
"""


def load(make_project: MakeProject, yaml_text: str) -> dg.Definitions:
    package = make_project({"lib.py": COMPONENT, "defs/tables/defs.yaml": yaml_text})
    return dg.load_from_defs_folder(path_within_project=package)


def keys(defs: dg.Definitions) -> list[str]:
    return [s.key.to_user_string() for s in defs.resolve_all_asset_specs()]


def test_attributes_resolvers_and_template_vars(make_project: MakeProject) -> None:
    defs = load(
        make_project,
        """
        type: PKG.lib.Tables
        attributes:
          names: [orders, users]
          key_prefix: raw
        post_processing:
          assets:
            - attributes:
                owners: ["{{ default_owner }}"]
        """,
    )

    assert keys(defs) == ["RAW/orders", "RAW/users"]
    assert {s.owners for s in defs.resolve_all_asset_specs()} == {("team:data",)}


def test_a_relative_type_names_a_module_of_the_folder(make_project: MakeProject) -> None:
    package = make_project(
        {
            "defs/local/__init__.py": COMPONENT,
            "defs/local/defs.yaml": "type: .Tables\nattributes:\n  names: [x]\n",
        }
    )

    assert keys(dg.load_from_defs_folder(path_within_project=package)) == ["x"]


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "type: PKG.lib.Tables\nattributes:\n  names: 3\n",
            r"Tables: invalid attributes: names: .*\(line 3\)",
        ),
        (
            "type: PKG.lib.Tables\nattributes:\n  names: [a]\n  extra: 1\n",
            r"extra: Extra inputs are not permitted \(line 4\)",
        ),
        ("type: PKG.lib.Plain\nattributes:\n  x: 1\n", r"Plain takes no attributes"),
        ("type: PKG.lib.Nope\n", r"module 'proj_.*\.lib' has no 'Nope'"),
        ("type: PKG.nowhere.Tables\n", r"module 'proj_.*\.nowhere' was not found"),
        ("type: PKG.lib.dg\n", r"not a subclass of Component"),
        ("attributes: {}\n", r"a mapping with 'type:'"),
        ("type: PKG.lib.Tables\ncolour: red\n", r"unknown key\(s\) colour"),
        ("type: [unclosed\n", r"not valid YAML"),
        ("type: dagster.Unknown\n", r"'dagster\.Unknown' has no counterpart in assetgraph"),
        (
            "type: dagster_fivetran.FivetranAccountComponent\n",
            r"integration 'dagster_fivetran'.*Python module of the defs folder",
        ),
    ],
)
def test_bad_documents_name_the_file_and_the_fault(
    make_project: MakeProject, yaml_text: str, message: str
) -> None:
    with pytest.raises(DefinitionError, match=r"tables/defs\.yaml") as raised:
        load(make_project, yaml_text)
    assert raised.match(message)


def test_an_empty_defs_yaml_is_refused(make_project: MakeProject) -> None:
    with pytest.raises(DefinitionError, match=r"declares no component"):
        load(make_project, "# nothing yet\n")


def test_template_vars_module_adds_names(make_project: MakeProject) -> None:
    package = make_project(
        {
            "lib.py": COMPONENT,
            "defs/tables/vars.py": """
            import assetgraph as dg

            @dg.template_var
            def table_names(context):
                return [context.path.name, "second"]
            """,
            "defs/tables/defs.yaml": """
            type: PKG.lib.Tables
            template_vars_module: .vars
            attributes:
              names: "{{ table_names }}"
            """,
        }
    )

    assert keys(dg.load_from_defs_folder(path_within_project=package)) == ["tables", "second"]


def test_defs_folder_component_post_processes_the_folder(make_project: MakeProject) -> None:
    package = make_project(
        {
            "lib.py": COMPONENT,
            "defs/team/defs.yaml": """
            type: dagster.DefsFolderComponent
            post_processing:
              assets:
                - target: "key:a"
                  attributes:
                    group_name: picked
            """,
            "defs/team/a.py": "import assetgraph as dg\na = dg.AssetSpec('a')\n",
            "defs/team/b.py": "import assetgraph as dg\nb = dg.AssetSpec('b')\n",
        }
    )

    defs = dg.load_from_defs_folder(path_within_project=package)

    assert {s.key.to_user_string(): s.group_name for s in defs.resolve_all_asset_specs()} == {
        "a": "picked",
        "b": "default",
    }
