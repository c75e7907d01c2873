"""Tiny code locations for the lineage tests, written to ``tmp_path`` and loaded from there."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetgraph import Definitions, Instance
from assetgraph.definitions.code_location import load_definitions

UNPARTITIONED = """
from assetgraph import asset, AssetIn, Definitions

@asset(group="raw", key_prefix=["wh-1"], owners=["team:data"], tags={"tier": "bronze"},
       description='Raw "orders" <from> the API\\nsecond line')
def orders():
    return [1, 2, 3]

@asset(group="mart", ins={"orders": AssetIn(key="wh-1/orders")}, code_version="v7")
def report(orders):
    return len(orders)

@asset(group="mart")
def broken(report):
    raise RuntimeError("warehouse unreachable")

@asset(group="mart")
def after_broken(broken):
    return broken

@asset
def lonely():
    return 0

defs = Definitions(assets=[orders, report, broken, after_broken, lonely])
"""

PARTITIONED = """
from assetgraph import (
    asset, AssetIn, Definitions, DailyPartitionsDefinition, TimeWindowPartitionMapping,
)
from assetgraph.partitions import (
    DynamicPartitionsDefinition, MultiPartitionsDefinition, StaticPartitionsDefinition,
)

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-11")
regions = StaticPartitionsDefinition([f"region-{n}" for n in range(12)])

@asset(partitions_def=daily, group="sales")
def raw_events(context):
    return 1

@asset(partitions_def=daily, group="sales",
       ins={"raw_events": AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-6))})
def weekly(raw_events):
    return 1

@asset(partitions_def=daily, group="sales")
def cleaned(raw_events):
    return 1

@asset(group="sales")
def summary(weekly):
    return 1

@asset(partitions_def=regions, group="geo")
def by_region():
    return 1

@asset(partitions_def=DynamicPartitionsDefinition(name="customers"), group="geo")
def per_customer():
    return 1

@asset(partitions_def=MultiPartitionsDefinition({"day": daily, "region": regions}), group="geo")
def grid():
    return 1

defs = Definitions(assets=[raw_events, weekly, cleaned, summary, by_region, per_customer, grid])
"""


def _write(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "defs.py"
    path.write_text(source)
    return path


@pytest.fixture
def unpartitioned_file(tmp_path: Path) -> Path:
    """``defs.py`` of unpartitioned assets in groups raw and mart (one step fails)."""
    return _write(tmp_path / "unpartitioned", UNPARTITIONED)


@pytest.fixture
def partitioned_file(tmp_path: Path) -> Path:
    """``defs.py`` of daily, static, dynamic and multi-partitioned assets."""
    return _write(tmp_path / "partitioned", PARTITIONED)


@pytest.fixture
def unpartitioned(unpartitioned_file: Path) -> Definitions:
    return load_definitions(file=unpartitioned_file)


@pytest.fixture
def partitioned(partitioned_file: Path) -> Definitions:
    return load_definitions(file=partitioned_file)


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    """A SQLite instance in ``tmp_path``."""
    return Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
