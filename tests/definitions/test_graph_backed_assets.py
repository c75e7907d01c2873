"""``AssetsDefinition.from_graph`` / ``from_op``: assets computed by an existing graph or op,
keyed as Dagster keys them."""

from __future__ import annotations

import pytest

from assetgraph import (
    AssetKey,
    AssetsDefinition,
    DefinitionError,
    DependencyDefinition,
    GraphDefinition,
    GraphOut,
    Out,
    asset,
    graph,
    materialize,
    op,
)


@asset
def numbers() -> list[int]:
    return [1, 2, 3, 4]


@op
def double(values: list[int]) -> list[int]:
    return [v * 2 for v in values]


@op
def total(values: list[int]) -> int:
    return sum(values)


@graph
def doubled_total(numbers: list[int]) -> int:
    return total(double(numbers))


@graph(out={"doubled": GraphOut(), "summed": GraphOut()})
def two_outputs(numbers: list[int]) -> dict[str, object]:
    doubled = double(numbers)
    return {"doubled": doubled, "summed": total(doubled)}


def test_a_graph_with_one_output_is_the_asset_named_as_the_graph() -> None:
    built = AssetsDefinition.from_graph(doubled_total)

    assert built.keys == (AssetKey("doubled_total"),)
    assert materialize([numbers, built]).output_for("doubled_total") == 20


def test_graph_outputs_are_assets_named_as_the_outputs_unless_keys_are_given() -> None:
    built = AssetsDefinition.from_graph(
        two_outputs,
        keys_by_output_name={"summed": AssetKey(["reports", "sum"])},
        key_prefix="work",
        group_name="math",
    )

    assert set(built.keys) == {AssetKey(["work", "doubled"]), AssetKey(["reports", "sum"])}
    assert {built.spec(key).group for key in built.keys} == {"math"}
    result = materialize([numbers, built])
    assert result.output_for("work/doubled") == [2, 4, 6, 8]
    assert result.output_for("reports/sum") == 20


def test_inputs_read_the_assets_named_by_keys_by_input_name() -> None:
    @asset(key_prefix="raw")
    def values() -> list[int]:
        return [5]

    built = AssetsDefinition.from_graph(
        doubled_total, keys_by_input_name={"numbers": AssetKey(["raw", "values"])}
    )

    assert materialize([values, built]).output_for("doubled_total") == 10


def test_an_op_is_an_asset_named_as_the_op() -> None:
    built = AssetsDefinition.from_op(double, keys_by_input_name={"values": "numbers"})

    assert built.keys == (AssetKey("double"),)
    assert materialize([numbers, built]).output_for("double") == [2, 4, 6, 8]


def test_an_op_with_several_outputs_is_several_assets() -> None:
    @op(out={"low": Out(), "high": Out()})
    def split(numbers: list[int]) -> tuple[list[int], list[int]]:
        return numbers[:2], numbers[2:]

    built = AssetsDefinition.from_op(split)

    result = materialize([numbers, built])
    assert result.output_for("low") == [1, 2]
    assert result.output_for("high") == [3, 4]


def test_unknown_input_or_output_names_are_named_in_the_error() -> None:
    with pytest.raises(DefinitionError, match=r"keys_by_input_name names nums.*has numbers"):
        AssetsDefinition.from_graph(doubled_total, keys_by_input_name={"nums": "numbers"})
    with pytest.raises(DefinitionError, match=r"keys_by_output_name names total"):
        AssetsDefinition.from_graph(two_outputs, keys_by_output_name={"total": "t"})


def test_a_graph_without_a_body_and_unsupported_options_are_refused() -> None:
    wired = GraphDefinition(
        "wired",
        node_defs=[double, total],
        dependencies={"total": {"values": DependencyDefinition("double")}},
    )
    with pytest.raises(DefinitionError, match="write it with @graph"):
        AssetsDefinition.from_graph(wired)
    with pytest.raises(DefinitionError, match="resource_defs not supported"):
        AssetsDefinition.from_graph(doubled_total, resource_defs={"db": object()})
