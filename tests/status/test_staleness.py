"""Stale status: code changes, upstream changes through mappings, early cut-off, --stale.

The property test compares the bulk computation with a slow model that replays, step by
step, what every materialization read.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assetgraph import (
    AssetIn,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    StaleCause,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    asset,
    materialize,
    stale_status,
)

DAYS = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-21")
SOURCE: dict[str, int] = {}


def pipeline(raw_version: str = "1") -> Definitions:
    @asset(partitions_def=DAYS, code_version=raw_version)
    def raw(context: Any) -> int:
        return SOURCE.get(context.partition_key, 0)

    @asset(partitions_def=DAYS, code_version="1")
    def cleaned(raw: int) -> int:
        return raw * 10

    @asset(
        partitions_def=DAYS,
        code_version="1",
        ins={
            "cleaned": AssetIn(
                partition_mapping=TimeWindowPartitionMapping(
                    start_offset=-6, allow_nonexistent_upstream_partitions=True
                )
            )
        },
    )
    def weekly(cleaned: dict[str, int] | int) -> int:
        return sum(cleaned.values()) if isinstance(cleaned, dict) else cleaned

    @asset(code_version="1")
    def total(cleaned: dict[str, int]) -> int:
        return sum(cleaned.values())

    @asset(code_version="1")
    def report(total: int) -> str:
        return f"total={total}"

    return Definitions([raw, cleaned, weekly, total, report])


@pytest.fixture
def instance(storage_url: str, tmp_path: Path) -> Instance:
    SOURCE.clear()
    return Instance(storage_url=storage_url, home=tmp_path / "home")


def stale_map(defs: Definitions, instance: Instance) -> dict[str, list[str]]:
    report = stale_status(defs, instance=instance)
    found: dict[str, list[str]] = {}
    for status in report:
        if status.stale:
            keys = list(status.stale.keys())
            found[status.key.to_string()] = keys if status.is_partitioned else ["*"]
    return found


def test_everything_is_missing_then_fresh(instance: Instance) -> None:
    defs = pipeline()
    report = stale_status(defs, instance=instance)
    assert {s.status for s in report} == {"missing"}
    assert len(report["raw"].missing) == 20
    assert materialize(defs, instance=instance, all_partitions=True).success
    assert {s.status for s in stale_status(defs, instance=instance)} == {"fresh"}


def test_a_code_change_makes_that_asset_and_its_downstream_stale(instance: Instance) -> None:
    materialize(pipeline(), instance=instance, all_partitions=True)
    defs = pipeline(raw_version="2")
    report = stale_status(defs, instance=instance)
    assert {s.key.to_string(): s.status for s in report} == {
        "raw": "stale",
        "cleaned": "stale",
        "weekly": "stale",
        "total": "stale",
        "report": "stale",
    }
    [cause] = report["raw"].causes
    assert cause.cause is StaleCause.CODE_CHANGED and cause.detail == "v: 1 -> 2"
    assert (
        cause.describe(report["raw"].key)
        == "raw[2025-01-01...2025-01-20]: code changed (v: 1 -> 2)"
    )
    assert {c.cause for c in report["report"].causes} == {StaleCause.UPSTREAM_STALE}
    assert report.root_causes("report") == [cause.describe(report["raw"].key)]


def test_identical_data_leaves_downstream_fresh(instance: Instance) -> None:
    defs = pipeline()
    materialize(defs, instance=instance, all_partitions=True)
    materialize(defs, instance=instance, selection="raw", partition_key="2025-01-05")
    assert stale_map(defs, instance) == {}


def test_changed_data_marks_exactly_the_mapped_downstream_partitions(instance: Instance) -> None:
    defs = pipeline()
    materialize(defs, instance=instance, all_partitions=True)
    SOURCE["2025-01-05"] = 7
    materialize(defs, instance=instance, selection="raw", partition_key="2025-01-05")
    assert stale_map(defs, instance) == {
        "cleaned": ["2025-01-05"],  # identity
        "weekly": [f"2025-01-{d:02d}" for d in range(5, 12)],  # a 7-day window reads it
        "total": ["*"],  # reads all partitions
        "report": ["*"],
    }
    report = stale_status(defs, instance=instance)
    [changed] = report["cleaned"].causes
    assert changed.cause is StaleCause.UPSTREAM_CHANGED
    assert (
        changed.describe(report["cleaned"].key)
        == "cleaned[2025-01-05]: upstream raw[2025-01-05] changed"
    )

    result = materialize(defs, instance=instance, stale=True)
    assert result.plan.step_keys == [
        "cleaned[2025-01-05]",
        *[f"weekly[2025-01-{d:02d}]" for d in range(5, 12)],
        "total",
        "report",
    ]
    assert result.success and stale_map(defs, instance) == {}


def test_changing_back_is_not_a_change(instance: Instance) -> None:
    defs = pipeline()
    materialize(defs, instance=instance, all_partitions=True)
    SOURCE["2025-01-02"] = 3
    materialize(defs, instance=instance, selection="raw", partition_key="2025-01-02")
    SOURCE["2025-01-02"] = 0
    materialize(defs, instance=instance, selection="raw", partition_key="2025-01-02")
    assert stale_map(defs, instance) == {}


def test_a_new_upstream_partition_makes_an_all_partitions_reader_stale(instance: Instance) -> None:
    open_ended = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(partitions_def=open_ended)
    def events() -> int:
        return 1

    @asset
    def count(events: dict[str, int]) -> int:
        return len(events)

    defs = Definitions([events, count])
    jan_10 = datetime(2025, 1, 10, 6, tzinfo=UTC)
    assert materialize(defs, instance=instance, all_partitions=True, current_time=jan_10).success
    assert {s.status for s in stale_status(defs, instance=instance, current_time=jan_10)} == {
        "fresh"
    }
    report = stale_status(defs, instance=instance, current_time=jan_10 + timedelta(days=1))
    assert [r.start for r in report["events"].missing.ranges()] == ["2025-01-10"]
    [cause] = report["count"].causes
    assert cause.cause is StaleCause.UPSTREAM_MISSING
    assert cause.describe(report["count"].key) == "count: upstream events[2025-01-10] is missing"


def test_missing_and_stale_together(instance: Instance) -> None:
    defs = pipeline()
    materialize(
        defs, instance=instance, selection="raw cleaned", partition_range="2025-01-01...2025-01-03"
    )
    SOURCE["2025-01-02"] = 1
    materialize(defs, instance=instance, selection="raw", partition_key="2025-01-02")
    result = materialize(
        defs,
        instance=instance,
        selection="cleaned",
        partition_range="2025-01-01...2025-01-05",
        stale=True,
        missing=True,
    )
    assert result.plan.step_keys == [
        "cleaned[2025-01-02]",
        "cleaned[2025-01-04]",
        "cleaned[2025-01-05]",
    ]


# -- property test against a slow model ------------------------------------------------------

REGIONS = StaticPartitionsDefinition(["eu", "us"])


@st.composite
def dags(draw: st.DrawFn) -> list[tuple[list[int], bool]]:
    """Each asset: (its parents among earlier assets, whether it is partitioned)."""
    size = draw(st.integers(2, 30))
    assets = []
    for index in range(size):
        parents = (
            draw(st.lists(st.integers(0, index - 1), max_size=3, unique=True)) if index else []
        )
        assets.append((parents, draw(st.booleans())))
    return assets


class Model:
    """What a careful person would conclude, asset by asset, from the history."""

    def __init__(self, shape: list[tuple[list[int], bool]]) -> None:
        self.shape = shape
        self.value: dict[tuple[int, str], int] = {}
        self.read: dict[tuple[int, str], dict[tuple[int, str], int]] = {}
        self.code: dict[tuple[int, str], int] = {}

    def partitions(self, index: int) -> list[str]:
        return ["eu", "us"] if self.shape[index][1] else [""]

    def reads(self, index: int, partition: str) -> list[tuple[int, str]]:
        found = []
        for parent in self.shape[index][0]:
            if not self.shape[parent][1]:
                found.append((parent, ""))
            elif self.shape[index][1]:
                found.append((parent, partition))
            else:
                found += [(parent, "eu"), (parent, "us")]
        return found

    def build(self, index: int, partition: str, source: dict[int, int], code: int) -> None:
        inputs = {up: self.value[up] for up in self.reads(index, partition)}
        parents_total = sum(inputs.values())
        self.value[(index, partition)] = (
            source.get(index, 0) if not self.shape[index][0] else parents_total % 3
        )
        self.read[(index, partition)] = inputs
        self.code[(index, partition)] = code

    def status(self, codes: dict[int, int]) -> dict[tuple[int, str], set[str]]:
        """(asset, partition) -> causes ({"missing"} when never built, {} when fresh)."""
        result: dict[tuple[int, str], set[str]] = {}
        for index in range(len(self.shape)):
            for partition in self.partitions(index):
                node = (index, partition)
                if node not in self.value:
                    result[node] = {"missing"}
                    continue
                causes = set()
                if self.code[node] != codes.get(index, 0):
                    causes.add("code_changed")
                for up in self.reads(index, partition):
                    up_status = result[up]
                    if "missing" in up_status:
                        causes.add("upstream_missing")
                    elif up_status:
                        causes.add("upstream_stale")
                    if up in self.value and self.read[node].get(up) != self.value[up]:
                        causes.add("upstream_changed")
                result[node] = causes
        return result


def build_defs(
    shape: list[tuple[list[int], bool]], codes: dict[int, int], source: dict[int, int]
) -> Definitions:
    assets = []
    for index, (parents, partitioned) in enumerate(shape):
        params = ", ".join(f"a{p}" for p in parents)
        body = (
            f"    return SOURCE.get({index}, 0)\n"
            if not parents
            else "    return sum(_total(v) for v in (" + params + ",)) % 3\n"
        )
        namespace: dict[str, Any] = {"SOURCE": source, "_total": _total}
        exec(f"def a{index}({params}):\n{body}", namespace)
        decorate = asset(
            code_version=str(codes.get(index, 0)), partitions_def=REGIONS if partitioned else None
        )
        assets.append(decorate(namespace[f"a{index}"]))
    return Definitions(assets)


def _total(value: Any) -> int:
    return sum(value.values()) if isinstance(value, dict) else int(value)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("source"), st.integers(0, 29), st.integers(0, 1)),
        st.tuples(st.just("code"), st.integers(0, 29), st.integers(1, 3)),
        st.tuples(st.just("build"), st.integers(0, 29), st.sampled_from(["", "eu", "us"])),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(), operations)
def test_bulk_status_matches_a_slow_model(
    shape: list[tuple[list[int], bool]], ops: list[tuple[str, int, Any]]
) -> None:
    source: dict[int, int] = {}
    codes: dict[int, int] = {}
    model = Model(shape)
    with tempfile.TemporaryDirectory() as folder:
        instance = Instance(storage_url=f"sqlite:///{folder}/m.db", home=folder)
        _build(shape, model, instance, codes, source, None, None)
        for kind, target, value in ops:
            index = target % len(shape)
            if kind == "source":
                source[index] = value
            elif kind == "code":
                codes[index] = codes.get(index, 0) + value
            else:
                _build(shape, model, instance, codes, source, index, value)
        defs = build_defs(shape, codes, source)
        report = stale_status(defs, instance=instance)
        expected = model.status(codes)
        for index in range(len(shape)):
            status = report[f"a{index}"]
            for partition in model.partitions(index):
                causes = {
                    c.cause.value
                    for c in status.causes
                    if (partition or "__unpartitioned__") in c.partitions
                }
                if (partition or "__unpartitioned__") in status.missing:
                    causes = {"missing"}
                assert causes == expected[(index, partition)], (index, partition, status)


def _build(
    shape: list[tuple[list[int], bool]],
    model: Model,
    instance: Instance,
    codes: dict[int, int],
    source: dict[int, int],
    index: int | None,
    partition: str | None,
) -> None:
    """Materialize one asset (one partition) or, with ``index`` None, everything; replay it
    in the model step by step."""
    defs = build_defs(shape, codes, source)
    if index is None:
        result = materialize(defs, instance=instance, all_partitions=True)
    else:
        partitioned = shape[index][1]
        result = materialize(
            defs,
            instance=instance,
            selection=f"a{index}",
            partition_key=(partition or "eu") if partitioned else None,
        )
    assert result.success, [o.error.summary() for o in result.failures if o.error]
    for step in result.plan.steps:
        step_index = int(step.assets_def.name[1:])
        for key in step.partition_keys or ("",):
            model.build(step_index, key, source, codes.get(step_index, 0))


def test_a_changed_observation_of_a_source_reaches_through_a_window_mapping(
    instance: Instance,
) -> None:
    from assetgraph import observable_source_asset, observe
    from io_managers.memory import InMemoryIOManager

    seen = {day: "v1" for day in DAYS.get_partition_keys()}

    @observable_source_asset(partitions_def=DAYS, io_manager_key="feed")
    def feed() -> dict[str, str]:
        return dict(seen)

    @asset(
        partitions_def=DAYS,
        code_version="1",
        ins={
            "feed": AssetIn(
                partition_mapping=TimeWindowPartitionMapping(
                    start_offset=-6, allow_nonexistent_upstream_partitions=True
                )
            )
        },
    )
    def week(context: Any, feed: list[str]) -> str:
        return f"{context.partition_key}: {len(feed)} days"

    class Feed(InMemoryIOManager):
        def load_input(self, context: Any) -> Any:
            return list(context.partition_keys)

    defs = Definitions([feed, week], io_managers={"feed": Feed()})
    observe(defs, instance=instance)
    assert materialize(defs, all_partitions=True, instance=instance).success
    assert stale_map(defs, instance) == {}
    seen["2025-01-05"] = "v2"
    observe(defs, instance=instance)
    assert stale_map(defs, instance) == {
        "week": [f"2025-01-{d:02d}" for d in range(5, 12)]  # the 7 windows holding that day
    }


def test_a_multi_asset_whose_outputs_read_each_other_is_fresh_after_one_run(
    instance: Instance,
) -> None:
    """Outputs are recorded in dependency order, whatever the order of the specs, and each
    records the version its sibling got in the same step."""
    from assetgraph import AssetSpec, DataVersion, MaterializeResult, multi_asset

    runs = []

    @multi_asset(
        specs=[AssetSpec("second", deps=["first"]), AssetSpec("first"), AssetSpec("third")],
        can_subset=True,
    )
    def chain(context: Any) -> Any:
        runs.append(context.run_id)
        for key in sorted(context.selected_asset_keys, key=lambda k: k.to_string()):
            yield MaterializeResult(asset_key=key, data_version=DataVersion(str(len(runs))))

    defs = Definitions(assets=[chain])
    for _ in range(2):  # each run gives every output a new data version
        assert materialize(defs, instance=instance).success
        report = stale_status(defs, instance=instance)
        assert {k.to_string(): s.status for k, s in report.assets.items()} == {
            "first": "fresh",
            "second": "fresh",
            "third": "fresh",
        }
