"""@op, @graph_asset and @graph_multi_asset: ops as plain calls inside one step."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetOut,
    Config,
    ConfigurableResource,
    DailyPartitionsDefinition,
    Definitions,
    DynamicOut,
    DynamicOutput,
    Instance,
    asset,
    graph_asset,
    graph_multi_asset,
    load_definitions,
    materialize,
    op,
)
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType


class Scale(Config):
    factor: int = 2


class Offset(ConfigurableResource):
    amount: int


@asset
def numbers() -> list[int]:
    return [1, 2, 3]


@op
def scale(context, xs: list[int], config: Scale) -> list[int]:
    context.log.info(f"scaling by {config.factor}")
    return [x * config.factor for x in xs]


@op
def shift(xs: list[int], offset: Offset) -> list[int]:
    return [x + offset.amount for x in xs]


@op
def total(xs: list[int]) -> int:
    return sum(xs)


@graph_asset
def scaled_total(numbers: list[int]) -> int:
    return total(scale(numbers))


@graph_multi_asset(outs={"shifted": AssetOut(), "shifted_total": AssetOut()})
def shifted_pair(numbers: list[int]):
    shifted = shift(numbers)
    return {"shifted": shifted, "shifted_total": total(shifted)}


DEFS = Definitions(
    assets=[numbers, scaled_total, shifted_pair], resources={"offset": Offset(amount=10)}
)


def test_graph_asset_runs_its_ops_in_one_step_with_defaults() -> None:
    instance = Instance.ephemeral()
    result = materialize(DEFS, instance=instance)
    assert result.success
    assert result.output_for("scaled_total") == 12
    assert result.output_for("shifted") == [11, 12, 13]
    assert result.output_for("shifted_total") == 36
    steps = instance.storage.events_for_run(result.run_id, [EventType.STEP_START])
    assert sorted(e.step_key or "" for e in steps) == ["numbers", "scaled_total", "shifted_pair"]
    logs = instance.storage.events_for_run(result.run_id, [EventType.LOG])
    assert any(e.message == "scaling by 2" and e.step_key == "scaled_total" for e in logs)


def test_op_config_comes_from_run_config_under_ops() -> None:
    result = materialize(
        DEFS,
        instance=Instance.ephemeral(),
        run_config={"ops": {"scale": {"config": {"factor": 5}}}},
    )
    assert result.output_for("scaled_total") == 30


def test_graph_asset_params_are_upstream_assets() -> None:
    assert {key.to_string() for key in DEFS.graph.parents(scaled_total.key)} == {"numbers"}


def test_an_op_can_be_called_directly_in_a_unit_test() -> None:
    assert total([1, 2]) == 3
    assert shift([1], Offset(amount=1)) == [2]


def test_editing_an_op_changes_the_graph_assets_code_version(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """
        from assetgraph import asset, graph_asset, op


        @asset
        def base():
            return 2


        @op
        def double(x):
            return x * 2


        @graph_asset
        def doubled(base):
            return double(base)
        """
    )
    path = tmp_path / "loc.py"
    path.write_text(source)
    before = load_definitions(file=str(path)).graph.assets_def(scaled_key := _key("doubled"))
    version_before = before.code_version(scaled_key)
    path.write_text(source.replace("x * 2", "x + x"))
    after = load_definitions(file=str(path)).graph.assets_def(scaled_key)
    assert after.code_version(scaled_key) != version_before

    result = CliRunner().invoke(app, ["materialize", "-f", str(path)])
    assert result.exit_code == 0, result.output


def test_a_graph_asset_can_be_partitioned() -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")

    @op
    def day_of(context) -> str:
        return str(context.partition_key)

    @graph_asset(partitions_def=daily)
    def stamped() -> str:
        return day_of()

    result = materialize([stamped], instance=Instance.ephemeral(), partition_key="2025-01-02")
    assert result.output_for("stamped", partition="2025-01-02") == "2025-01-02"


def test_an_op_annotated_with_op_execution_context_gets_the_step_context() -> None:
    from assetgraph import OpExecutionContext

    @op
    def which(ctx: OpExecutionContext) -> str:
        return ctx.asset_key.to_string()

    @graph_asset
    def named() -> str:
        return which()

    assert materialize([named], instance=Instance.ephemeral()).output_for("named") == "named"


def test_a_composition_taking_context_is_refused() -> None:
    from assetgraph.errors import DefinitionError

    with pytest.raises(DefinitionError, match="cannot take 'context'"):

        @graph_asset
        def bad(context):
            return total([1])


def _key(text: str):
    from assetgraph import AssetKey

    return AssetKey.from_user(text)


@op(out=DynamicOut())
def fan_out(numbers: list[int]) -> Iterator[DynamicOutput]:
    for number in numbers:
        yield DynamicOutput(number, mapping_key=f"n{number}")


@op
def square(number: int) -> int:
    return number * number


@op
def add_up(values: list[int]) -> int:
    return sum(values)


def test_a_graph_asset_maps_over_a_dynamic_output_and_collects_it() -> None:
    @asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    @graph_asset
    def sum_of_squares(numbers: list[int]) -> int:
        return add_up(fan_out(numbers).map(square).collect())

    @graph_asset
    def squares_plus_one(numbers: list[int]) -> list[int]:
        return fan_out(numbers).map(lambda n: square(n) + 1).collect()

    result = materialize([numbers, sum_of_squares, squares_plus_one])

    assert result.output_for("sum_of_squares") == 14
    assert result.output_for("squares_plus_one") == [2, 5, 10]


def test_a_dynamic_op_yielding_plain_values_in_a_graph_asset_is_a_clear_error() -> None:
    @op(out=DynamicOut())
    def plain(numbers: list[int]) -> Iterator[int]:
        yield from numbers

    @graph_asset
    def broken() -> list[int]:
        return plain([1]).collect()

    result = materialize([broken])

    assert not result.success
    assert "yield (or return a list of) DynamicOutput" in str(result.failures[0].error)
