"""What a schedule's or sensor's run builds: its job, ``target``, ``asset_selection``, or a
``RunRequest``'s own ``job_name`` / ``asset_selection`` (stored runs are checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetgraph import (
    AssetSelection,
    DefaultSensorStatus,
    Definitions,
    Instance,
    RunRequest,
    asset,
    define_asset_job,
    sensor,
)
from assetgraph.errors import UsageError

from .conftest import at, tick


@asset(group_name="raw")
def raw_a():  # type: ignore[no-untyped-def]
    return 1


@asset(group_name="raw")
def raw_b():  # type: ignore[no-untyped-def]
    return 2


@asset
def total(raw_a, raw_b):  # type: ignore[no-untyped-def]
    return raw_a + raw_b


def instance_at(tmp_path: Path) -> Instance:
    found = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    found.storage.upgrade()
    return found


def test_requests_run_the_sensor_target_a_named_job_or_a_subset(tmp_path: Path) -> None:
    everything = define_asset_job("everything", selection=AssetSelection.all())

    @sensor(
        asset_selection=AssetSelection.groups("raw"),
        minimum_interval_seconds=0,
        default_status=DefaultSensorStatus.RUNNING,
    )
    def three_ways(context):  # type: ignore[no-untyped-def]
        yield RunRequest(run_key="target")
        yield RunRequest(run_key="job", job_name="everything", tags={"why": "all"})
        yield RunRequest(run_key="subset", job_name="everything", asset_selection=[total.key])

    defs = Definitions([raw_a, raw_b, total], jobs=[everything], sensors=[three_ways])
    instance = instance_at(tmp_path)
    outcome = tick(defs, instance, at(1))
    assert [sorted(r["targets"]) for r in outcome.runs] == [
        ["raw_a", "raw_b"],
        ["raw_a", "raw_b", "total"],
        ["total"],
    ]
    runs = {r["tags"]["assetgraph/run_key"]: r["tags"] for r in outcome.runs}
    assert runs["job"]["assetgraph/job"] == "everything" and runs["job"]["why"] == "all"
    assert "assetgraph/job" not in runs["target"]
    stored = instance.storage.get_run(outcome.runs[1]["run_id"])
    assert stored is not None and set(stored.asset_keys) == {"raw_a", "raw_b", "total"}


def test_a_request_for_an_unknown_job_fails_the_sensor_with_the_known_names(
    tmp_path: Path,
) -> None:
    everything = define_asset_job("everything")

    @sensor(minimum_interval_seconds=0, default_status=DefaultSensorStatus.RUNNING)
    def typo(context):  # type: ignore[no-untyped-def]
        return RunRequest(job_name="everythin")

    defs = Definitions([raw_a, raw_b, total], jobs=[everything], sensors=[typo])
    outcome = tick(defs, instance_at(tmp_path), at(1))
    (error,) = outcome.payload["errors"]
    assert error.startswith("sensor:typo failed: UsageError:")
    assert "everythin" in error and "everything" in error
    assert outcome.runs == []


def test_keys_of_reads_every_way_of_naming_assets() -> None:
    from assetgraph.automation.job_targets import keys_of

    defs = Definitions([raw_a, raw_b, total])
    names = ["raw_a", "raw_b", "total"]
    assert [k.to_string() for k in keys_of(defs, None)] == names
    assert [k.to_string() for k in keys_of(defs, "+total")] == names
    assert [k.to_string() for k in keys_of(defs, [raw_b, total])] == ["raw_b", "total"]
    assert [k.to_string() for k in keys_of(defs, AssetSelection.groups("raw"))] == names[:2]
    with pytest.raises(UsageError, match="nope"):
        keys_of(defs, AssetSelection.assets("nope"))
