"""Property-based fuzzing of what users type: selections, partition keys and ranges.

Whatever the text, the parsers either answer or raise one of assetgraph's own errors
(``AssetgraphError`` subclasses) with a message: never a bare ``ValueError``, ``KeyError``,
``re.error`` or ``IndexError`` from inside. Accepted dynamic partition keys come back from
storage exactly as they went in.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from assetgraph import (
    AssetgraphError,
    AssetIn,
    DailyPartitionsDefinition,
    Definitions,
    HourlyPartitionsDefinition,
    Instance,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
    asset,
)
from assetgraph.partitions.definitions import partition_key_problem, validate_partition_key
from assetgraph.planning.planner import parse_partition_range
from assetgraph.selection import select_assets

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SELECTION_ALPHABET = string.ascii_letters[:8] + "sourcedvnu_" + string.digits + "+*,:=/ !.()[]?-\t"
SELECTION_WORDS = [
    "source",
    "scaled",
    "revenue",
    "raw/events",
    "group:raw",
    "group:mart",
    "tag:tier=gold",
    "tag:tier",
    "*",
    "+",
    ",",
    " ",
    "2+",
    "+1",
    "..",
    "/",
]
KEY_ALPHABET = st.characters(codec="utf-8") | st.sampled_from(
    list("-:|/\\.\x00\x01\n\r\t\x7f \u2028\u00e9")
)
KEY_PIECE = KEY_ALPHABET | st.sampled_from(["..", "...", "2025-01-01", "eu", "-13:00", "|"])


def key_text(min_size: int = 0, max_size: int = 20) -> st.SearchStrategy[str]:
    """Text made of single characters and tricky pieces (``..``, ``...``, dates, ``|``)."""
    return st.lists(KEY_PIECE, min_size=min_size, max_size=max_size).map("".join)


def _graph() -> Any:
    @asset(group="raw", tags={"tier": "bronze"})
    def source() -> int:
        return 1

    @asset(key_prefix=["raw"], group="raw")
    def events() -> int:
        return 1

    @asset(group="mart", tags={"tier": "gold"}, ins={"events": AssetIn("raw/events")})
    def scaled(source: int, events: int) -> int:
        return source

    @asset(group="mart")
    def revenue(scaled: int) -> int:
        return scaled

    return Definitions([source, events, scaled, revenue]).graph


GRAPH = _graph()


def _assert_own_error(call: Callable[[], object]) -> object:
    """Run ``call``; an exception must be an AssetgraphError with a message."""
    try:
        return call()
    except AssetgraphError as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        return exc


selection_text = st.one_of(
    st.text(alphabet=SELECTION_ALPHABET, max_size=40),
    st.lists(st.sampled_from(SELECTION_WORDS), max_size=8).map("".join),
)


@FUZZ
@given(text=selection_text, exclude=st.none() | selection_text)
def test_selection_parser_never_raises_a_foreign_error(text: str, exclude: str | None) -> None:
    result = _assert_own_error(lambda: select_assets(GRAPH, text, exclude))
    if not isinstance(result, Exception):
        assert isinstance(result, list)
        assert set(result) <= set(GRAPH.all_keys)


DAILY = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-03-01")
HOURLY = HourlyPartitionsDefinition(start_date="2025-01-01-00:00", end_date="2025-01-03-00:00")
STATIC = StaticPartitionsDefinition(["eu", "us", "ap-south", "a.b"])
MULTI = MultiPartitionsDefinition({"day": DAILY, "region": STATIC})
DEFINITIONS = {"daily": DAILY, "hourly": HOURLY, "static": STATIC, "multi": MULTI}


def _valid_keys(pdef: Any) -> list[str]:
    return list(itertools.islice(pdef.get_partition_keys(), 3))


def _partition_text() -> st.SearchStrategy[str]:
    valid = [key for pdef in DEFINITIONS.values() for key in _valid_keys(pdef)]
    return st.one_of(
        key_text(max_size=30),
        st.text(alphabet=string.digits + "-:| T/Z+.", max_size=25),
        st.sampled_from(valid),
        st.sampled_from(valid).map(lambda k: k + "x"),
        st.sampled_from(valid).map(lambda k: k.replace("1", "9")),
        st.sampled_from(
            [
                "2025-02-30",
                "2025-13-01",
                "2025-01-01-25:00",
                "9999-12-31",
                "0000-01-01",
                "2025-01-01|",
                "|eu",
                "2025-01-01|eu|us",
                "2025-01-01-00:00|eu",
            ]
        ),
    )


@FUZZ
@given(name=st.sampled_from(sorted(DEFINITIONS)), text=_partition_text())
@example(name="daily", text="9999-12-31")  # was ValueError: year 10000 is out of range
@example(name="hourly", text="9999-12-31-23:00")
@example(name="multi", text="9999-12-31|eu")
def test_index_of_never_raises_a_foreign_error(name: str, text: str) -> None:
    pdef = DEFINITIONS[name]
    index = _assert_own_error(lambda: pdef.index_of(text))
    if isinstance(index, int):
        assert pdef.key_at(index) == text


@FUZZ
@given(name=st.sampled_from(sorted(DEFINITIONS)), start=_partition_text(), end=_partition_text())
def test_subset_for_range_never_raises_a_foreign_error(name: str, start: str, end: str) -> None:
    pdef = DEFINITIONS[name]
    _assert_own_error(lambda: pdef.subset_for_range(PartitionKeyRange(start, end)))


@FUZZ
@given(text=st.one_of(_partition_text(), st.lists(_partition_text(), max_size=4).map("...".join)))
def test_parse_partition_range_never_raises_a_foreign_error(text: str) -> None:
    parsed = _assert_own_error(lambda: parse_partition_range(text))
    if isinstance(parsed, PartitionKeyRange):
        assert f"{parsed.start}...{parsed.end}" == text


dynamic_key = st.one_of(
    key_text(max_size=20),
    st.text(KEY_ALPHABET, min_size=200, max_size=300),
    st.sampled_from(
        ["..", ".", "../../etc/passwd", "a/b", "a\\b", "x\x00y", "", " ", "...", "é" * 130]
    ),
)


@FUZZ
@given(key=dynamic_key)
def test_validate_partition_key_only_raises_usage_errors(key: str) -> None:
    outcome = _assert_own_error(lambda: validate_partition_key(key))
    problem = partition_key_problem(key)
    assert (outcome is None) == (problem is None)
    if outcome is None:
        assert key and "/" not in key and "\\" not in key and key not in (".", "..")
        assert len(key.encode("utf-8")) <= 255


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    home = tmp_path_factory.mktemp("fuzz-home")
    yield Instance(storage_url=f"sqlite:///{home / 'meta.db'}", home=home)


_names = itertools.count()


@FUZZ
@given(keys=st.lists(dynamic_key, min_size=1, max_size=5))
def test_dynamic_partition_keys_round_trip_or_are_refused(
    instance: Instance, keys: list[str]
) -> None:
    name = f"fuzz_{next(_names)}"
    outcome = _assert_own_error(lambda: instance.add_dynamic_partitions(name, keys))
    stored = instance.get_dynamic_partitions(name)
    if isinstance(outcome, Exception):
        assert stored == [], "a refused call must add nothing"
        assert any(partition_key_problem(key) is not None for key in keys)
    else:
        assert stored == list(dict.fromkeys(keys))
        for key in keys:
            assert instance.storage.has_dynamic_partition(name, key)


@FUZZ
@given(name=key_text(min_size=1, max_size=20), key=st.sampled_from(["k1", "2025"]))
def test_any_dynamic_definition_name_round_trips(instance: Instance, name: str, key: str) -> None:
    outcome = _assert_own_error(lambda: instance.add_dynamic_partitions(name, [key]))
    if not isinstance(outcome, Exception):
        assert key in instance.get_dynamic_partitions(name)
