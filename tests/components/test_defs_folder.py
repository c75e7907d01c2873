"""load_from_defs_folder and load_defs: what is loaded, in what order, and the errors."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import assetgraph as dg
from assetgraph import DefinitionError

from .conftest import MakeProject

ASSET = """
import assetgraph as dg

@dg.asset
def {name}() -> int:
    return 1
"""


def keys(defs: dg.Definitions) -> list[str]:
    return [s.key.to_user_string() for s in defs.resolve_all_asset_specs()]


def test_modules_load_in_sorted_order_through_nested_folders(make_project: MakeProject) -> None:
    package = make_project(
        {
            "defs/b.py": ASSET.format(name="b"),
            "defs/a.py": ASSET.format(name="a"),
            "defs/nested/deeper/c.py": ASSET.format(name="c"),
            "defs/nested/query.sql": "select 1",
            "defs/.hidden/h.py": ASSET.format(name="hidden"),
        }
    )

    defs = dg.load_from_defs_folder(path_within_project=package)

    assert keys(defs) == ["a", "b", "c"]


def test_project_root_is_accepted_as_dagster_s_older_name(make_project: MakeProject) -> None:
    package = make_project({"defs/a.py": ASSET.format(name="a")})

    defs = dg.load_from_defs_folder(project_root=package.parent.parent)

    assert keys(defs) == ["a"]


def test_one_asset_key_in_two_modules_names_both_files(make_project: MakeProject) -> None:
    make_project({"defs/one.py": ASSET.format(name="a"), "defs/two.py": ASSET.format(name="a")})
    package = make_project({})

    with pytest.raises(DefinitionError, match=r"asset 'a' is defined twice.*one\.py.*two\.py"):
        dg.load_from_defs_folder(path_within_project=package)


def test_the_same_asset_imported_by_another_module_counts_once(make_project: MakeProject) -> None:
    package = make_project(
        {
            "defs/one.py": ASSET.format(name="a"),
            "defs/two.py": "from PKG.defs.one import a\n",
        }
    )

    assert keys(dg.load_from_defs_folder(path_within_project=package)) == ["a"]


def test_definitions_functions_get_the_load_context_and_are_merged(
    make_project: MakeProject,
) -> None:
    package = make_project(
        {
            "defs/resources.py": """
            import assetgraph as dg

            @dg.definitions
            def resources(context: dg.ComponentLoadContext):
                return dg.Definitions(resources={"root": str(context.project_root)})

            @dg.definitions
            def more():
                return dg.Definitions(resources={"other": 1})
            """,
        }
    )

    defs = dg.load_from_defs_folder(path_within_project=package)

    assert defs.resources == {"root": str(package.parent.parent), "other": 1}


def test_two_definitions_objects_in_one_module_are_refused(make_project: MakeProject) -> None:
    package = make_project(
        {"defs/two.py": "import assetgraph as dg\nd1 = dg.Definitions()\nd2 = dg.Definitions()\n"}
    )

    with pytest.raises(DefinitionError, match=r"two\.py: holds 2 Definitions objects"):
        dg.load_from_defs_folder(path_within_project=package)


def test_a_definitions_object_beside_a_definitions_function_is_refused(
    make_project: MakeProject,
) -> None:
    package = make_project(
        {
            "defs/mixed.py": """
            import assetgraph as dg
            d = dg.Definitions()

            @dg.definitions
            def f():
                return dg.Definitions()
            """
        }
    )

    with pytest.raises(DefinitionError, match=r"mixed\.py: holds both"):
        dg.load_from_defs_folder(path_within_project=package)


def test_a_module_that_raises_is_named(make_project: MakeProject) -> None:
    package = make_project({"defs/broken.py": "raise RuntimeError('no network')\n"})

    with pytest.raises(DefinitionError, match=r"broken\.py: importing module .*no network"):
        dg.load_from_defs_folder(path_within_project=package)


def test_no_dg_project_above_the_path_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match=r"No dg project found.*root_module"):
        dg.load_from_defs_folder(path_within_project=tmp_path)


def test_a_missing_defs_folder_names_the_module_to_create(make_project: MakeProject) -> None:
    package = make_project({})
    (package / "defs" / "__init__.py").unlink()
    (package / "defs").rmdir()

    with pytest.raises(DefinitionError, match=r"defs module '.*\.defs'.*was not found.*create"):
        dg.load_from_defs_folder(path_within_project=package)


def test_load_defs_takes_a_module_and_finds_the_project_root(make_project: MakeProject) -> None:
    package = make_project(
        {
            "defs/inner/definitions.py": ASSET.format(name="kept"),
            "defs/inner/hidden.py": ASSET.format(name="hidden"),
        }
    )
    dg.load_from_defs_folder(path_within_project=package)  # puts src/ on sys.path
    module = importlib.import_module(f"{package.name}.defs")

    assert keys(dg.load_defs(module)) == ["kept"]
    loaded_all = dg.load_defs(module, terminate_autoloading_on_keyword_files=False)
    assert sorted(keys(loaded_all)) == ["hidden", "kept"]
    with pytest.raises(DefinitionError, match="takes the defs package"):
        dg.load_defs("my_project.defs")  # type: ignore[arg-type]


def test_a_component_builds_other_paths_of_the_defs_folder(make_project: MakeProject) -> None:
    package = make_project(
        {
            "defs/other/a.py": ASSET.format(name="a"),
            "defs/top.py": """
            from pathlib import Path
            import assetgraph as dg

            class Reuse(dg.Component):
                def build_defs(self, context):
                    return context.build_defs_at_path(Path("other"))

            @dg.component_instance
            def reuse(context):
                return Reuse()
            """,
        }
    )

    defs = dg.load_from_defs_folder(path_within_project=package)

    assert keys(defs) == ["a"]  # the same asset twice, merged as one


def test_build_defs_for_component_outside_a_project() -> None:
    class One(dg.Component):
        def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
            @dg.asset
            def one() -> int:
                return 1

            return dg.Definitions(assets=[one])

    assert keys(dg.build_defs_for_component(One())) == ["one"]


def test_a_component_instance_must_return_a_component(make_project: MakeProject) -> None:
    package = make_project(
        {
            "defs/c.py": """
            import assetgraph as dg

            @dg.component_instance
            def c(context):
                return 1
            """
        }
    )

    with pytest.raises(
        DefinitionError, match=r"c\.py: @component_instance function 'c' returned int"
    ):
        dg.load_from_defs_folder(path_within_project=package)


NEEDS_WAREHOUSE = """
import assetgraph as dg

class Warehouse(dg.ConfigurableResource):
    name: str

@dg.asset
def orders(warehouse: Warehouse) -> str:
    return warehouse.name
"""


def test_resources_may_come_from_another_module(make_project: MakeProject) -> None:
    package = make_project(
        {
            "defs/assets.py": NEEDS_WAREHOUSE,
            "defs/resources.py": """
            import assetgraph as dg
            from PKG.defs.assets import Warehouse

            @dg.definitions
            def resources():
                return dg.Definitions(resources={"warehouse": Warehouse(name="wh")})
            """,
        }
    )

    defs = dg.load_from_defs_folder(path_within_project=package)

    assert dg.materialize(defs.assets, resources=defs.resources).output_for("orders") == "wh"


def test_a_resource_given_nowhere_fails_when_the_code_location_loads(
    make_project: MakeProject,
) -> None:
    package = make_project(
        {
            "defs/assets.py": NEEDS_WAREHOUSE,
            "definitions.py": """
            from pathlib import Path
            import assetgraph as dg

            @dg.definitions
            def defs():
                return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
            """,
        }
    )
    from assetgraph.definitions.code_location import load_definitions

    with pytest.raises(dg.ResourceError, match=r"needs the resource 'warehouse'"):
        load_definitions(file=package / "definitions.py")
