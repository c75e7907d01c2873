"""Fingerprints of a definition's index space: equal exactly when stored indices still hold."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings, strategies as st

from assetgraph.partitions.definitions import (
    DynamicPartitionsDefinition,
    DynamicPartitionsStore,
    InMemoryDynamicPartitionsStore,
    PartitionsDefinition,
    StaticPartitionsDefinition,
)
from assetgraph.partitions.fingerprint import status_fingerprint
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.time_window import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    TimeWindowPartitionsDefinition,
)

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def fp(pdef: PartitionsDefinition, store: DynamicPartitionsStore | None = None) -> str:
    return status_fingerprint(pdef, NOW, store)


def test_a_fingerprint_is_a_sha256_hex_digest_that_fits_the_column() -> None:
    value = fp(DailyPartitionsDefinition(start_date="2025-01-01"))
    assert len(value) == 64 and int(value, 16) >= 0


def test_time_windows_ignore_the_end_which_only_changes_the_count() -> None:
    base = fp(DailyPartitionsDefinition(start_date="2025-01-01"))
    assert fp(DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-03-01")) == base
    assert fp(DailyPartitionsDefinition(start_date="2025-01-01", end_offset=2)) == base
    assert fp(DailyPartitionsDefinition(start_date=datetime(2025, 1, 1, tzinfo=UTC))) == base
    assert (
        status_fingerprint(
            DailyPartitionsDefinition(start_date="2025-01-01"), NOW.replace(year=2030)
        )
        == base
    )


def test_time_windows_change_with_what_numbers_them() -> None:
    base = fp(DailyPartitionsDefinition(start_date="2025-01-01"))
    others = [
        DailyPartitionsDefinition(start_date="2025-01-02"),
        DailyPartitionsDefinition(start_date="2025-01-01", timezone="Europe/Paris"),
        DailyPartitionsDefinition(start_date="2025-01-01", fmt="%Y%m%d"),
        DailyPartitionsDefinition(start_date="2025-01-01", hour_offset=3),
        HourlyPartitionsDefinition(start_date="2025-01-01"),
        TimeWindowPartitionsDefinition("0 0 * * 1-5", start="2025-01-01", fmt="%Y-%m-%d"),
    ]
    found = {fp(pdef) for pdef in others}
    assert base not in found and len(found) == len(others)


def test_a_start_inside_a_window_counts_from_the_next_window() -> None:
    # Both start their first window at 2025-01-02 00:00: the same keys at the same indices.
    late = DailyPartitionsDefinition(start_date=datetime(2025, 1, 1, 6, tzinfo=UTC))
    assert fp(late) == fp(DailyPartitionsDefinition(start_date="2025-01-02"))


def test_static_definitions_depend_on_their_keys_in_order() -> None:
    base = fp(StaticPartitionsDefinition(["a", "b", "c"]))
    assert fp(StaticPartitionsDefinition(["a", "b", "c"])) == base
    assert fp(StaticPartitionsDefinition(["a", "x", "b", "c"])) != base, "key inserted"
    assert fp(StaticPartitionsDefinition(["b", "a", "c"])) != base, "keys reordered"
    assert fp(StaticPartitionsDefinition(["a", "b"])) != base, "key removed"
    assert fp(StaticPartitionsDefinition(["ab", "c"])) != fp(
        StaticPartitionsDefinition(["a", "bc"])
    )


def test_dynamic_definitions_depend_on_their_name_not_on_their_keys() -> None:
    store = InMemoryDynamicPartitionsStore()
    before = fp(DynamicPartitionsDefinition("customers"), store)
    store.add_dynamic_partitions("customers", ["acme", "globex"])
    assert fp(DynamicPartitionsDefinition("customers"), store) == before
    assert fp(DynamicPartitionsDefinition("suppliers"), store) != before


def test_a_multi_definition_changes_when_a_dimension_grows() -> None:
    store = InMemoryDynamicPartitionsStore()
    store.add_dynamic_partitions("customers", ["acme"])
    multi = MultiPartitionsDefinition(
        {
            "customer": DynamicPartitionsDefinition("customers"),
            "color": StaticPartitionsDefinition(["red", "blue"]),
        }
    )
    before = fp(multi, store)
    assert fp(multi, store) == before
    store.add_dynamic_partitions("customers", ["globex"])
    assert fp(multi, store) != before, "row-major indices moved when a dimension grew"


def test_a_multi_definition_with_a_time_dimension_changes_as_windows_end() -> None:
    multi = MultiPartitionsDefinition(
        {
            "day": DailyPartitionsDefinition(start_date="2025-01-01"),
            "color": StaticPartitionsDefinition(["red"]),
        }
    )
    today = status_fingerprint(multi, NOW)
    assert status_fingerprint(multi, NOW + timedelta(hours=1)) == today
    assert status_fingerprint(multi, NOW + timedelta(days=1)) != today


def test_a_multi_definition_changes_with_its_dimensions() -> None:
    colors = StaticPartitionsDefinition(["red", "blue"])
    days = DailyPartitionsDefinition(start_date="2025-01-01")
    base = fp(MultiPartitionsDefinition({"day": days, "color": colors}))
    assert fp(MultiPartitionsDefinition({"color": colors, "day": days})) == base
    assert fp(MultiPartitionsDefinition({"date": days, "color": colors})) != base
    assert (
        fp(
            MultiPartitionsDefinition(
                {"day": days, "color": StaticPartitionsDefinition(["blue", "red"])}
            )
        )
        != base
    )


class _Letters(PartitionsDefinition):
    """A definition of another kind: the first ``n`` letters."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return "_Letters()"

    def count(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        return self.n

    def key_at(
        self,
        index: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str:
        return "abcdefghij"[index]

    def index_of(
        self,
        key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        return "abcdefghij".index(key)


def test_a_definition_of_another_kind_changes_with_its_size_and_description() -> None:
    assert fp(_Letters(3)) == fp(_Letters(3))
    assert fp(_Letters(3)) != fp(_Letters(4))


def _keys(pdef: TimeWindowPartitionsDefinition, n: int) -> Iterator[str]:
    return (pdef.key_for_index(i) for i in range(n))


@settings(max_examples=100, deadline=None)
@given(
    first=st.integers(0, 40),
    second=st.integers(0, 40),
    hour_a=st.sampled_from([0, 0, 6]),
    hour_b=st.sampled_from([0, 0, 6]),
    zone=st.sampled_from(["UTC", "America/New_York", "Australia/Lord_Howe"]),
    end_a=st.one_of(st.none(), st.integers(41, 60)),
    end_b=st.one_of(st.none(), st.integers(41, 60)),
)
def test_equal_fingerprints_mean_equal_keys_at_every_index(
    first: int,
    second: int,
    hour_a: int,
    hour_b: int,
    zone: str,
    end_a: int | None,
    end_b: int | None,
) -> None:
    origin = datetime(2025, 3, 1)

    def daily(start_day: int, hour: int, end: int | None) -> DailyPartitionsDefinition:
        return DailyPartitionsDefinition(
            start_date=origin + timedelta(days=start_day, hours=hour),
            end_date=None if end is None else origin + timedelta(days=end),
            timezone=zone,
        )

    a, b = daily(first, hour_a, end_a), daily(second, hour_b, end_b)
    same_keys: Sequence[str] = list(_keys(a, 30))
    assert (fp(a) == fp(b)) == (same_keys == list(_keys(b, 30)))
