"""load_assets_from_modules / _package_module / load_asset_checks_from_modules."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from assetgraph import (
    AssetKey,
    Definitions,
    Instance,
    load_asset_checks_from_modules,
    load_assets_from_modules,
    load_assets_from_package_module,
    materialize,
)
from assetgraph.errors import DefinitionError

FILES = {
    "pkg/__init__.py": "",
    "pkg/raw.py": """
        from assetgraph import asset


        @asset
        def orders():
            return [3, 1, 2]
    """,
    "pkg/clean.py": """
        from assetgraph import AssetIn, AssetCheckResult, asset, asset_check


        @asset
        def sorted_orders(orders):
            return sorted(orders)


        @asset(ins={"source": AssetIn(key="orders")})
        def order_count(source):
            return len(source)


        @asset_check(asset=sorted_orders)
        def is_sorted(sorted_orders):
            return AssetCheckResult(passed=sorted_orders == sorted(sorted_orders))
    """,
    "pkg/sub/__init__.py": "",
    "pkg/sub/report.py": """
        from assetgraph import asset

        helpers = []


        @asset(group_name="reports")
        def report(sorted_orders):
            return f"{len(sorted_orders)} orders"
    """,
}


@pytest.fixture
def pkg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("pkg")
    for name in [n for n in sys.modules if n == "pkg" or n.startswith("pkg.")]:
        del sys.modules[name]


def _keys(assets: list[object]) -> set[str]:
    return {key.to_string() for a in assets for key in a.keys}  # type: ignore[attr-defined]


def test_load_assets_from_modules_finds_each_asset_once(pkg: object) -> None:
    raw = importlib.import_module("pkg.raw")
    clean = importlib.import_module("pkg.clean")
    assets = load_assets_from_modules([raw, clean, raw])
    assert _keys(assets) == {"orders", "sorted_orders", "order_count"}
    defs = Definitions(assets=assets, asset_checks=load_asset_checks_from_modules([clean]))
    result = materialize(defs, instance=Instance.ephemeral())
    assert result.output_for("sorted_orders") == [1, 2, 3]
    assert result.output_for("order_count") == 3


def test_group_name_sets_every_loaded_assets_group(pkg: object) -> None:
    raw = importlib.import_module("pkg.raw")
    clean = importlib.import_module("pkg.clean")
    assets = load_assets_from_modules([raw, clean], group_name="shop")
    groups = {spec.group for a in assets for spec in a.specs}
    assert groups == {"shop"}
    assert {spec.group for spec in raw.orders.specs} == {"default"}  # the original is unchanged


def test_group_name_over_an_explicit_group_is_refused(pkg: object) -> None:
    report = importlib.import_module("pkg.sub.report")
    with pytest.raises(DefinitionError, match="already has group 'reports'"):
        load_assets_from_modules([report], group_name="shop")


def test_key_prefix_prefixes_keys_and_the_upstreams_among_them(pkg: object) -> None:
    raw = importlib.import_module("pkg.raw")
    clean = importlib.import_module("pkg.clean")
    assets = load_assets_from_modules([raw, clean], key_prefix="shop")
    assert _keys(assets) == {"shop/orders", "shop/sorted_orders", "shop/order_count"}
    checks = load_asset_checks_from_modules([clean], asset_key_prefix="shop")
    assert [c.asset_key for c in checks] == [AssetKey(("shop", "sorted_orders"))]
    defs = Definitions(assets=assets, asset_checks=checks)
    assert defs.graph.parents(AssetKey(("shop", "order_count"))) == {AssetKey(("shop", "orders"))}
    result = materialize(defs, instance=Instance.ephemeral())
    assert result.output_for("shop/order_count") == 3


def test_package_module_loads_submodules_too(pkg: object) -> None:
    assets = load_assets_from_package_module(pkg)  # type: ignore[arg-type]
    assert _keys(assets) == {"orders", "sorted_orders", "order_count", "report"}
    result = materialize(Definitions(assets=assets), instance=Instance.ephemeral())
    assert result.output_for("report") == "3 orders"


def test_two_definitions_of_one_key_are_an_error_naming_it(tmp_path: Path, pkg: object) -> None:
    (tmp_path / "pkg" / "again.py").write_text(
        "from assetgraph import asset\n\n\n@asset\ndef orders():\n    return []\n"
    )
    raw = importlib.import_module("pkg.raw")
    again = importlib.import_module("pkg.again")
    with pytest.raises(DefinitionError, match="Asset 'orders' is defined twice"):
        load_assets_from_modules([raw, again])


def test_something_other_than_a_module_is_refused() -> None:
    with pytest.raises(DefinitionError, match="expects a list of modules"):
        load_assets_from_modules(["pkg.raw"])  # type: ignore[list-item]


def test_load_assets_from_current_module_finds_what_is_defined_above(tmp_path: Path) -> None:
    from assetgraph import load_definitions

    (tmp_path / "here.py").write_text(
        textwrap.dedent(
            """
            from assetgraph import Definitions, asset, load_assets_from_current_module


            @asset
            def first():
                return 1


            @asset
            def second(first):
                return first + 1


            defs = Definitions(assets=load_assets_from_current_module(group_name="here"))
            """
        )
    )
    defs = load_definitions(file=str(tmp_path / "here.py"))
    assert {spec.group for a in defs.assets for spec in a.specs} == {"here"}
    assert materialize(defs, instance=Instance.ephemeral()).output_for("second") == 2
