"""The selection language: keys, up/downstream with depth, groups, tags, union, intersection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from assetgraph import AssetGraph, SelectionError, asset, select_assets


@asset(group="raw", tags={"tier": "bronze"})
def orders() -> int:
    return 1


@asset(group="raw", tags={"tier": "bronze"})
def customers() -> int:
    return 1


@asset(group="clean", tags={"tier": "silver"})
def cleaned(orders: int) -> int:
    return orders


@asset(group="mart", tags={"tier": "gold"})
def revenue(cleaned: int, customers: int) -> int:
    return cleaned + customers


@asset(group="mart", key_prefix="reports", tags={"tier": "gold", "pii": "no"})
def weekly(revenue: int) -> int:
    return revenue


GRAPH = AssetGraph([orders, customers, cleaned, revenue, weekly])


def names(selection: str, exclude: str | None = None) -> list[str]:
    return [key.to_string() for key in select_assets(GRAPH, selection, exclude)]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ("revenue", ["revenue"]),
        ("reports/weekly", ["reports/weekly"]),
        ("+revenue", ["orders", "customers", "cleaned", "revenue"]),
        ("1+revenue", ["customers", "cleaned", "revenue"]),
        ("revenue+", ["revenue", "reports/weekly"]),
        ("orders+1", ["orders", "cleaned"]),
        ("2+cleaned+1", ["orders", "cleaned", "revenue"]),
        ("group:raw", ["orders", "customers"]),
        ("tag:tier=gold", ["revenue", "reports/weekly"]),
        ("tag:pii", ["reports/weekly"]),
        ("orders customers", ["orders", "customers"]),
        ("group:mart,tag:pii=no", ["reports/weekly"]),
        ("+revenue,group:raw", ["orders", "customers"]),
        ("reports/*", ["reports/weekly"]),
        ("c*", ["customers", "cleaned"]),
        ("*", ["orders", "customers", "cleaned", "revenue", "reports/weekly"]),
    ],
)
def test_selection_forms(selection: str, expected: list[str]) -> None:
    assert sorted(names(selection)) == sorted(expected)


def test_results_come_in_topological_order() -> None:
    order = [key.to_string() for key in GRAPH.all_keys]
    got = names("reports/weekly revenue+ +revenue")
    assert got == sorted(got, key=order.index) and len(got) == 5


def test_exclude_subtracts_in_the_same_language() -> None:
    assert names("+revenue", exclude="group:raw") == ["cleaned", "revenue"]
    assert names("*", exclude="tag:tier=gold tag:tier=bronze") == ["cleaned"]


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        ("+revnue", "Unknown asset 'revnue'. Did you mean 'revenue'?"),
        ("group:mrt", "Unknown group 'mrt'. Did you mean 'mart'?"),
        ("+rev!", "unexpected character '!' at column 5 in '+rev!'"),
        ("orders,,cleaned", "empty atom at column 8"),
        ("++", "'++' at column 1 names no asset"),
        ("zz*", "Pattern 'zz*' matches no asset"),
        ("   ", "Empty selection"),
    ],
)
def test_errors_point_at_the_offending_token(selection: str, message: str) -> None:
    with pytest.raises(SelectionError) as caught:
        select_assets(GRAPH, selection)
    assert message in str(caught.value)


KEYS = ["orders", "customers", "cleaned", "revenue", "reports/weekly"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(KEYS), min_size=1, max_size=3),
    st.booleans(),
    st.booleans(),
)
def test_upstream_and_downstream_agree_with_the_graph(
    picked: list[str], up: bool, down: bool
) -> None:
    text = " ".join(("+" if up else "") + key + ("+" if down else "") for key in picked)
    got = set(names(text))
    import networkx as nx

    expected: set[str] = set()
    for key_text in picked:
        key = GRAPH.find(key_text)
        expected.add(key_text)
        if up:
            expected |= {k.to_string() for k in nx.ancestors(GRAPH.nx_graph, key)}
        if down:
            expected |= {k.to_string() for k in nx.descendants(GRAPH.nx_graph, key)}
    assert got == expected
