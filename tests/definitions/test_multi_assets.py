"""``@multi_asset`` as Dagster declares it: subsets, optional outputs, per-output lineage.

The code locations are written the way Dagster's multi-asset documentation writes them,
with ``from dagster import`` rewritten to ``from assetgraph import``.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    AssetSpec,
    Definitions,
    Instance,
    Output,
    asset,
    load_definitions,
    materialize,
    multi_asset,
    stale_status,
)
from assetgraph.cli.main import app
from assetgraph.errors import DefinitionError
from assetgraph.storage.records import EventType

SUBSETTABLE = """
from assetgraph import AssetOut, Output, multi_asset


@multi_asset(
    outs={
        "a": AssetOut(is_required=False),
        "b": AssetOut(is_required=False),
    },
    can_subset=True,
)
def split_actions(context):
    if "a" in context.selected_output_names:
        yield Output(value=123, output_name="a")
    if "b" in context.selected_output_names:
        yield Output(value=456, output_name="b")
"""

INTERNAL_DEPS = """
from assetgraph import AssetKey, AssetOut, Output, asset, multi_asset


@asset
def a():
    return 1


@asset
def b():
    return 10


@multi_asset(
    outs={"c": AssetOut(), "d": AssetOut()},
    internal_asset_deps={
        "c": {AssetKey("a")},
        "d": {AssetKey("b")},
    },
)
def my_complex_assets(a, b):
    # c only depends on a
    yield Output(value=a + 1, output_name="c")
    # d only depends on b
    yield Output(value=b + 1, output_name="d")
"""


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _stored(instance: Instance) -> dict[str, Any]:
    """Asset key -> the value its latest materialization stored (pickle IO manager)."""
    records = instance.storage.latest_materializations()
    return {
        key: pickle.loads(Path(record.metadata["path"]).read_bytes())
        for (key, _), record in records.items()
    }


def test_cli_select_of_a_subsettable_multi_asset_builds_and_stores_only_the_selection(
    tmp_path: Path,
) -> None:
    (tmp_path / "defs.py").write_text(SUBSETTABLE)

    result = _cli("materialize", "-f", "defs.py", "--select", "a")
    assert result.exit_code == 0, result.output
    assert _stored(Instance.from_env()) == {"a": 123}, "only the selected output is stored"

    result = _cli("materialize", "-f", "defs.py", "--select", "b")
    assert result.exit_code == 0, result.output
    instance = Instance.from_env()
    assert _stored(instance) == {"a": 123, "b": 456}
    last_run = instance.storage.list_runs(limit=1)[0]
    materialized = [
        event.asset_key
        for event in instance.storage.events_for_run(
            last_run.run_id, [EventType.ASSET_MATERIALIZATION]
        )
    ]
    assert materialized == ["b"], "the second run records only the output it selected"


def test_the_documented_code_locations_through_the_python_api(tmp_path: Path) -> None:
    (tmp_path / "subset.py").write_text(SUBSETTABLE)
    (tmp_path / "deps.py").write_text(INTERNAL_DEPS)
    instance = Instance.ephemeral()

    subset = load_definitions(file=tmp_path / "subset.py")
    result = materialize(subset, selection="b", instance=instance)
    assert result.success and result.output_for("b") == 456
    recorded = [
        event.asset_key
        for event in instance.storage.events_for_run(
            result.run_id, [EventType.ASSET_MATERIALIZATION]
        )
    ]
    assert recorded == ["b"]

    deps = load_definitions(file=tmp_path / "deps.py")
    separate = Instance.ephemeral()
    result = materialize(deps, instance=separate)
    assert result.success
    assert (result.output_for("c"), result.output_for("d")) == (2, 11)
    assert _stored(separate) == {"a": 1, "b": 10, "c": 2, "d": 11}


def test_a_subset_reaches_worker_processes_intact(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(SUBSETTABLE)
    result = _cli("materialize", "-f", "defs.py", "--select", "b", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert _stored(Instance.from_env()) == {"b": 456}, "a worker builds only the selection"


def test_python_api_subset_sets_selected_asset_keys_and_output_names() -> None:
    seen: list[tuple[set[AssetKey], set[str]]] = []

    @multi_asset(outs={"x": AssetOut(), "y": AssetOut(), "z": AssetOut()}, can_subset=True)
    def xyz(context: AssetExecutionContext) -> Any:
        seen.append((context.selected_asset_keys, context.selected_output_names))
        for name in sorted(context.selected_output_names):
            yield Output(name.upper(), output_name=name)

    result = materialize([xyz], selection=["x", "z"])
    assert result.success
    assert seen == [({AssetKey("x"), AssetKey("z")}, {"x", "z"})]
    assert result.output_for("z") == "Z"
    with pytest.raises(Exception, match="y"):
        result.output_for("y")


def test_a_multi_asset_that_returns_an_unselected_output_fails_its_step() -> None:
    @multi_asset(outs={"asset1": AssetOut(), "asset2": AssetOut()}, can_subset=True)
    def assets() -> tuple[int, int]:
        return 1, 2

    result = materialize([assets], selection=["asset1"])
    assert not result.success
    error = result.failures[0].error
    assert error is not None
    assert "'asset2', which this run did not select" in error.message


def test_an_optional_output_may_be_left_out_and_a_required_one_may_not() -> None:
    @multi_asset(outs={"kept": AssetOut(), "maybe": AssetOut(is_required=False)})
    def some() -> Any:
        yield Output(1, output_name="kept")

    instance = Instance.ephemeral()
    assert materialize([some], instance=instance).success
    assert set(_stored(instance)) == {"kept"}, "nothing is stored for an omitted output"

    @multi_asset(outs={"needed": AssetOut(), "other": AssetOut(is_required=False)})
    def lacking() -> Any:
        yield Output(2, output_name="other")

    result = materialize([lacking])
    assert not result.success
    error = result.failures[0].error
    assert error is not None and "returned no value for output(s) needed" in error.message


def test_internal_asset_deps_give_each_output_its_own_upstreams(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(INTERNAL_DEPS)
    result = _cli("lineage", "-f", "defs.py", "--format", "json")
    assert result.exit_code == 0, result.output
    upstream = {
        entry["key"]: [up["key"] for up in entry["upstream"]]
        for entry in json.loads(result.output)["assets"]
    }
    assert upstream["c"] == ["a"], "c depends only on a (internal_asset_deps)"
    assert upstream["d"] == ["b"], "d depends only on b (internal_asset_deps)"

    assert _cli("materialize", "-f", "defs.py").exit_code == 0
    assert _stored(Instance.from_env()) == {"a": 1, "b": 10, "c": 2, "d": 11}


def test_a_changed_upstream_makes_stale_only_the_outputs_that_read_it() -> None:
    @asset(code_version="1")
    def a() -> int:
        return 1

    @asset
    def b() -> int:
        return 10

    @multi_asset(
        outs={"c": AssetOut(), "d": AssetOut()},
        internal_asset_deps={"c": {AssetKey("a")}, "d": {AssetKey("b")}},
    )
    def cd(a: int, b: int) -> tuple[int, int]:
        return a + 1, b + 1

    defs = Definitions(assets=[a, b, cd])
    graph = defs.graph
    assert list(graph.parents(AssetKey("c"))) == [AssetKey("a")]
    assert list(graph.parents(AssetKey("d"))) == [AssetKey("b")]
    instance = Instance.ephemeral()
    assert materialize(defs, instance=instance).success

    @asset(name="a", code_version="2")
    def a_changed() -> int:
        return 2

    changed = Definitions(assets=[a_changed, b, cd])
    assert materialize(changed, selection="a", instance=instance).success
    report = stale_status(changed, instance=instance)
    assert report.assets[AssetKey("c")].stale, "c reads a, which changed"
    assert not report.assets[AssetKey("d")].stale, "d reads only b, which did not change"


def test_specs_declare_outputs_with_their_own_deps_and_need_no_return_value() -> None:
    @multi_asset(
        specs=[
            AssetSpec("orders", group_name="sales", owners=["team:sales"], kinds={"python"}),
            AssetSpec("order_stats", deps=["orders"], tags={"tier": "gold"}),
        ]
    )
    def build_orders() -> None:
        return None

    defs = Definitions(assets=[build_orders])
    graph = defs.graph
    assert list(graph.parents(AssetKey("order_stats"))) == [AssetKey("orders")]
    orders = graph.spec(AssetKey("orders"))
    assert orders.group == "sales" and orders.owners == ("team:sales",)
    assert orders.tags == {"dagster/kind/python": ""}
    assert graph.spec(AssetKey("order_stats")).tags == {"tier": "gold"}
    instance = Instance.ephemeral()
    assert materialize(defs, instance=instance).success
    assert _stored(instance) == {"orders": None, "order_stats": None}


def test_multi_asset_declaration_errors_name_the_culprit() -> None:
    with pytest.raises(DefinitionError, match="exactly one of outs"):
        multi_asset()
    with pytest.raises(DefinitionError, match="internal_asset_deps names 'nope'"):

        @multi_asset(outs={"a": AssetOut()}, internal_asset_deps={"nope": set()})
        def bad() -> int:
            return 1

    @multi_asset(outs={"p": AssetOut()}, internal_asset_deps={"p": {AssetKey("ghost")}})
    def p() -> int:
        return 1

    with pytest.raises(DefinitionError, match="'p' depends on 'ghost'"):
        Definitions(assets=[p])


def test_a_skippable_spec_left_out_is_not_materialized_and_only_its_readers_skip() -> None:
    from assetgraph import MaterializeResult

    @multi_asset(specs=[AssetSpec("kept", skippable=True), AssetSpec("left", skippable=True)])
    def both() -> Any:
        yield MaterializeResult("kept")  # asset_key is the first positional argument

    @asset(deps=["kept"])
    def after_kept() -> None: ...

    @asset(deps=["left"])
    def after_left() -> None: ...

    result = materialize([both, after_kept, after_left], instance=Instance.ephemeral())
    assert result.success
    assert [m.asset_key for m in result.get_asset_materializations()] == [
        AssetKey("kept"),
        AssetKey("after_kept"),
    ]
    assert [e.step_key for e in result.get_step_skipped_events()] == ["after_left"]


def test_code_versions_by_key_are_the_declared_ones() -> None:
    @multi_asset(specs=[AssetSpec("a", code_version="1"), AssetSpec("b")])
    def versioned() -> None: ...

    assert versioned.code_versions_by_key == {AssetKey("a"): "1", AssetKey("b"): None}
