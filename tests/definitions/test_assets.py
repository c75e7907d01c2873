"""@asset and @multi_asset: lineage from parameter names, options, and bad definitions."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from assetgraph import (
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetOut,
    Config,
    ConfigurableResource,
    DefinitionError,
    Definitions,
    Instance,
    Output,
    asset,
    materialize,
    multi_asset,
)


class Warehouse(ConfigurableResource):
    url: str = "sqlite://"


class ReportConfig(Config):
    title: str = "weekly"


class OtherConfig(Config):
    n: int = 1


def test_parameters_name_upstream_assets_except_context_resources_and_config() -> None:
    @asset
    def orders() -> list[int]:
        return [1]

    @asset
    def report(context, orders, warehouse: Warehouse, config: ReportConfig):  # type: ignore[no-untyped-def]
        return orders

    assert [spec.param for spec in report.inputs] == ["orders"]
    assert report.context_param == "context"
    assert report.resource_params == {"warehouse": Warehouse}
    assert report.config_param == ("config", ReportConfig)
    defs = Definitions([orders, report], resources={"warehouse": Warehouse()})
    assert list(defs.graph.parents(AssetKey("report"))) == [AssetKey("orders")]


def test_options_are_recorded_on_the_spec() -> None:
    @asset(
        name="revenue",
        key_prefix=["finance", "daily"],
        group="finance",
        tags={"tier": "gold"},
        metadata={"owner_team": "fin"},
        owners=["ana@example.com"],
        code_version="v3",
        io_manager_key="io_manager",
    )
    def compute() -> int:
        """Revenue per day."""
        return 1

    spec = compute.spec(compute.key)
    assert compute.key == AssetKey(("finance", "daily", "revenue"))
    assert compute.key.to_string() == "finance/daily/revenue"
    assert (spec.group, dict(spec.tags), spec.owners) == (
        "finance",
        {"tier": "gold"},
        ("ana@example.com",),
    )
    assert spec.description == "Revenue per day."
    assert compute.code_version(compute.key) == "v3"


def test_group_name_is_accepted_as_dagster_spells_it() -> None:
    @asset(group_name="sales")
    def orders() -> int:
        return 1

    assert orders.spec(orders.key).group == "sales"


def test_ins_renames_an_input_and_deps_add_ordering_only_upstreams() -> None:
    @asset
    def raw() -> int:
        return 1

    @asset
    def side() -> int:
        return 2

    @asset(ins={"data": AssetIn("raw")}, deps=[side])
    def cleaned(data: int) -> int:
        return data

    graph = Definitions([raw, side, cleaned]).graph
    assert graph.input_keys(cleaned) == {"data": AssetKey("raw")}
    assert graph.dep_keys(cleaned) == (AssetKey("side"),)
    assert set(graph.parents(AssetKey("cleaned"))) == {AssetKey("raw"), AssetKey("side")}


def test_parameters_resolve_within_the_key_prefix_first_then_top_level() -> None:
    @asset(key_prefix="shop")
    def orders() -> int:
        return 1

    @asset(name="orders")
    def top_orders() -> int:
        return 0

    @asset
    def customers() -> int:
        return 2

    @asset(key_prefix="shop")
    def report(orders: int, customers: int) -> int:
        return orders + customers

    graph = Definitions([orders, top_orders, customers, report]).graph
    assert graph.input_keys(report) == {
        "orders": AssetKey(("shop", "orders")),
        "customers": AssetKey("customers"),
    }


def test_multi_asset_outputs_and_keys() -> None:
    @multi_asset(outs={"a": AssetOut(), "b": AssetOut(key="x/b", group="g")}, group="base")
    def split() -> tuple[int, int]:
        return 1, 2

    assert split.keys == (AssetKey("a"), AssetKey(("x", "b")))
    assert split.spec(AssetKey("a")).group == "base"
    assert split.spec(AssetKey(("x", "b"))).group == "g"
    with pytest.raises(DefinitionError, match="materializes 2 assets"):
        _ = split.key


def test_asset_definitions_can_be_called_like_the_function() -> None:
    @asset
    def double(x: int) -> int:
        return 2 * x

    assert double(x=4) == 8


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def f(*args): pass", "takes *args"),
        ("def f(**kw): pass", "takes **kw"),
        ("def f(a, /): pass", "positional-only"),
    ],
)
def test_bad_signatures_are_refused_with_the_asset_named(source: str, message: str) -> None:
    namespace: dict[str, object] = {}
    exec(source, namespace)
    with pytest.raises(DefinitionError, match=re.escape(message)) as info:
        asset(namespace["f"])  # type: ignore[call-overload]
    assert "Asset 'f'" in str(info.value)


def test_a_non_callable_cannot_be_an_asset() -> None:
    with pytest.raises(DefinitionError, match="must decorate a function, got int"):
        asset()(3)  # type: ignore[arg-type]


def test_ins_naming_a_missing_parameter_is_an_error() -> None:
    with pytest.raises(DefinitionError, match="ins=\\{...\\} names 'nope'.*Parameters: a"):

        @asset(ins={"nope": AssetIn("x")})
        def f(a: int) -> int:
            return a


def test_invalid_key_characters_are_refused() -> None:
    with pytest.raises(DefinitionError, match="Invalid asset key part 'bad key'"):
        asset(name="bad key")(lambda: 1)
    with pytest.raises(DefinitionError, match="'..'"):
        AssetKey(("..",))


def test_a_key_part_longer_than_file_names_allow_is_refused_at_definition_time() -> None:
    with pytest.raises(DefinitionError, match=r"\(300 characters\): use at most 200"):
        asset(name="a" * 300)(lambda: 1)
    with pytest.raises(DefinitionError, match="at most 200"):
        AssetKey(("ok", "b" * 201))


def test_the_longest_key_part_is_stored_by_the_file_io_managers(tmp_path: Path) -> None:
    """200 characters per part keeps every file name (temporary ones too) under 255 bytes."""
    from io_managers.parquet import ParquetIOManager

    name = "a" * 200

    def frame() -> pd.DataFrame:
        return pd.DataFrame({"n": [1]})

    pickled = asset(name=name)(frame)
    table = asset(name=name, key_prefix=["tables"], io_manager_key="parquet")(frame)
    defs = Definitions(
        [pickled, table], io_managers={"parquet": ParquetIOManager(tmp_path / "parquet")}
    )
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    result = materialize(defs, instance=instance)
    assert result.success, [o.error.summary() for o in result.failures if o.error]
    assert (tmp_path / "home" / "storage" / name).is_file()
    assert (tmp_path / "parquet" / "tables" / f"{name}.parquet").is_file()


def test_two_config_parameters_are_an_error() -> None:
    with pytest.raises(DefinitionError, match="two Config parameters"):

        @asset
        def f(a: ReportConfig, b: OtherConfig) -> None:
            return None


def test_assets_made_by_one_factory_keep_their_own_signatures() -> None:
    from assetgraph import AssetIn, ConfigurableResource

    class Warehouse(ConfigurableResource):
        url: str = "x"

    def make(name: str, upstream: str | None):
        if upstream is None:

            def root(warehouse: Warehouse) -> int:
                return 1

            return asset(name=name)(root)

        def child(x: int, context) -> int:  # type: ignore[no-untyped-def]
            return x

        return asset(name=name, ins={"x": AssetIn(key=upstream)})(child)

    first, second, third = make("a", None), make("b", "a"), make("c", "b")
    assert list(first.resource_params) == ["warehouse"] and not first.inputs
    assert second.context_param == "context" and third.context_param == "context"
    assert [i.key.to_string() for i in second.inputs] == ["a"]
    assert [i.key.to_string() for i in third.inputs] == ["b"]


def test_an_assets_op_calls_its_function_as_dagster_unit_tests_do() -> None:
    @asset(key_prefix="s3")
    def doubled(numbers: list[int]) -> Output[list[int]]:
        return Output([n * 2 for n in numbers], metadata={"count": len(numbers)})

    returned = doubled.op(numbers=[1, 2])

    assert isinstance(returned, Output)
    assert returned.value == [2, 4]


def test_none_for_the_context_of_a_direct_call_gets_a_built_context() -> None:
    @asset
    def logged(context: AssetExecutionContext, value: int) -> int:
        context.log.info("value %s", value)
        return value + 1

    assert logged(None, value=1) == 2


def test_an_assets_op_builds_a_context_when_none_is_given() -> None:
    @asset
    def logged(context: AssetExecutionContext) -> str:
        context.log.info("running")
        return context.asset_key.to_string()

    assert logged.op() == "logged"
