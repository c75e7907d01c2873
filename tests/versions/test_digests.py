"""What a materialization records of the data versions it read from one upstream."""

from __future__ import annotations

from hypothesis import given, strategies as st

from assetgraph.versions.digests import INPUT_VERSIONS_LIMIT, read_versions_record

versions = st.one_of(st.none(), st.text(alphabet="0123456789abcdef", min_size=1, max_size=16))


def _read(count: int, changed: int | None = None) -> dict[str, str | None]:
    return {f"p{i:05d}": ("new" if i == changed else f"v{i}") for i in range(count)}


@given(st.dictionaries(st.text(max_size=12), versions, max_size=50))
def test_up_to_the_limit_every_version_read_is_recorded(read: dict[str, str | None]) -> None:
    assert read_versions_record(read) == read


def test_past_the_limit_only_a_digest_and_the_count_are_recorded() -> None:
    record = read_versions_record(_read(INPUT_VERSIONS_LIMIT + 1))
    assert set(record) == {"__digest__", "__count__"}
    assert record["__count__"] == str(INPUT_VERSIONS_LIMIT + 1)


@given(st.integers(min_value=0, max_value=INPUT_VERSIONS_LIMIT + 4))
def test_the_digest_changes_with_any_version_read(changed: int) -> None:
    count = INPUT_VERSIONS_LIMIT + 5
    before = read_versions_record(_read(count))
    assert read_versions_record(_read(count)) == before  # stable
    assert read_versions_record(_read(count, changed)) != before


def test_the_digest_does_not_depend_on_the_order_partitions_were_read() -> None:
    read = _read(INPUT_VERSIONS_LIMIT + 2)
    backwards = dict(reversed(list(read.items())))
    assert read_versions_record(backwards) == read_versions_record(read)
