"""The asset graph: order, queries, and validation errors that name the culprits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assetgraph import AssetKey, DefinitionError, Definitions, asset


def _chain() -> list[object]:
    @asset
    def a() -> int:
        return 1

    @asset
    def b(a: int) -> int:
        return a

    @asset
    def c(b: int, a: int) -> int:
        return a + b

    return [a, b, c]


def test_topological_order_and_neighbours() -> None:
    graph = Definitions(_chain()).graph  # type: ignore[arg-type]
    assert [k.to_string() for k in graph.all_keys] == ["a", "b", "c"]
    assert set(graph.children(AssetKey("a"))) == {AssetKey("b"), AssetKey("c")}
    assert graph.toposort([AssetKey("c"), AssetKey("a")]) == [AssetKey("a"), AssetKey("c")]
    assert graph.groups() == ["default"]


def test_unknown_upstream_names_asset_parameter_and_closest_keys() -> None:
    @asset
    def revenue() -> int:
        return 1

    @asset
    def report(revenu: int) -> int:
        return revenu

    with pytest.raises(DefinitionError) as info:
        Definitions([revenue, report])
    message = str(info.value)
    assert "Asset 'report'" in message
    assert "parameter 'revenu'" in message
    assert "Did you mean 'revenue'?" in message
    assert "test_graph.py:" in message


def test_cycle_prints_its_path() -> None:
    @asset
    def x(z: int) -> int:
        return z

    @asset
    def y(x: int) -> int:
        return x

    @asset
    def z(y: int) -> int:
        return y

    with pytest.raises(DefinitionError, match="cycle") as info:
        Definitions([x, y, z])
    message = str(info.value)
    path = message.split("cycle: ")[1].split(".")[0].split(" -> ")
    assert path[0] == path[-1]
    assert set(path) == {"x", "y", "z"}


def test_self_dependency_is_a_cycle() -> None:
    @asset
    def loop(loop: int) -> int:
        return loop

    with pytest.raises(DefinitionError, match="cycle: loop -> loop"):
        Definitions([loop])


def test_duplicate_keys_name_both_definition_sites() -> None:
    def make() -> object:
        @asset(name="orders")
        def first() -> int:
            return 1

        return first

    @asset(name="orders")
    def second() -> int:
        return 2

    with pytest.raises(DefinitionError, match="Duplicate asset key 'orders'") as info:
        Definitions([make(), second])  # type: ignore[list-item]
    assert str(info.value).count(f"{Path(__file__).name}:") == 2


def test_non_assets_in_definitions_are_refused() -> None:
    def plain() -> int:
        return 1

    with pytest.raises(DefinitionError, match="is not an asset. Decorate it with @asset"):
        Definitions([plain])  # type: ignore[list-item]


def test_unknown_deps_become_external_assets_as_in_dagster() -> None:
    @asset(deps=["missing_thing"])
    def a() -> int:
        return 1

    graph = Definitions([a]).graph
    missing = AssetKey("missing_thing")
    assert list(graph.parents(AssetKey("a"))) == [missing]
    assert graph.is_source(missing), "an undeclared dep must be an external (source) asset"


def test_a_bare_name_reads_the_only_asset_of_that_name_in_its_group_as_in_dagster() -> None:
    @asset(key_prefix=["warehouse", "recommender"], group_name="recommender")
    def comments() -> list[int]:
        return [1, 2]

    @asset(key_prefix=["s3", "recommender"], group_name="recommender")
    def matrix(comments: list[int]) -> int:
        return len(comments)

    @asset(key_prefix=["s3", "recommender"], group_name="recommender", deps=["comments"])
    def marker() -> int:
        return 0

    graph = Definitions([comments, matrix, marker]).graph

    upstream = AssetKey(["warehouse", "recommender", "comments"])
    assert list(graph.parents(AssetKey(["s3", "recommender", "matrix"]))) == [upstream]
    assert list(graph.parents(AssetKey(["s3", "recommender", "marker"]))) == [upstream]


def test_a_bare_name_matching_in_another_group_or_twice_is_still_unknown() -> None:
    @asset(key_prefix="a", group_name="one")
    def comments() -> int:
        return 1

    @asset(key_prefix="b", group_name="one", name="comments")
    def more_comments() -> int:
        return 2

    @asset(group_name="two")
    def elsewhere(comments: int) -> int:
        return comments

    @asset(key_prefix="c", group_name="one")
    def ambiguous(comments: int) -> int:
        return comments

    with pytest.raises(DefinitionError, match="parameter 'comments'"):
        Definitions([comments, elsewhere])
    with pytest.raises(DefinitionError, match="parameter 'comments'"):
        Definitions([comments, more_comments, ambiguous])


def test_ten_thousand_assets_build_and_order() -> None:
    from assetgraph import AssetIn

    def add(x: int, y: int) -> int:
        return x + y

    assets = [asset(name=f"a_0_{i}")(lambda: 1) for i in range(100)]
    for layer in range(1, 100):
        for i in range(100):
            ins = {
                "x": AssetIn(f"a_{layer - 1}_{i}"),
                "y": AssetIn(f"a_{layer - 1}_{(i + 1) % 100}"),
            }
            assets.append(asset(name=f"a_{layer}_{i}", ins=ins)(add))
    graph = Definitions(assets).graph
    assert len(graph.all_keys) == 10_000
    position = {key: n for n, key in enumerate(graph.all_keys)}
    for key in graph.all_keys:
        assert all(position[parent] < position[key] for parent in graph.parents(key))


def test_upstream_keys_are_the_graph_s_own_key_objects() -> None:
    graph = Definitions(assets=_chain()).graph  # type: ignore[arg-type]
    own = {id(key) for key in graph.all_keys}
    assert all(id(parent) in own for key in graph.all_keys for parent in graph.parents(key))


def test_an_asset_key_pickled_in_one_process_works_as_a_dict_key_in_another() -> None:
    # String hashes differ between processes: a key must not carry its hash across.
    def child(code: str, seed: str, stdin: bytes = b"") -> bytes:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], input=stdin, capture_output=True, env=env, check=True
        )
        return done.stdout

    pickled = child(
        "import pickle, sys; from assetgraph import AssetKey; "
        "sys.stdout.buffer.write(pickle.dumps({AssetKey(('shop', 'orders')): 'found'}))",
        "1",
    )
    found = child(
        "import pickle, sys; from assetgraph import AssetKey; "
        "print(pickle.loads(sys.stdin.buffer.read()).get(AssetKey('shop/orders')))",
        "2",
        pickled,
    )
    assert found.decode().strip() == "found"


def test_an_input_its_input_manager_loads_may_name_an_asset_nobody_defines() -> None:
    from assetgraph import AssetIn

    @asset(ins={"table": AssetIn(key_prefix="public", input_manager_key="warehouse")})
    def reader(table: int) -> int:
        return table

    graph = Definitions(assets=[reader]).graph
    assert graph.is_external(AssetKey(["public", "table"]))

    @asset
    def misspelled(tabel: int) -> int:  # no input manager: still an error naming it
        return tabel

    with pytest.raises(DefinitionError, match="'tabel'"):
        Definitions(assets=[misspelled]).graph  # noqa: B018
