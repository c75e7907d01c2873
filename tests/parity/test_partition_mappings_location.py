"""``locations/partition_mappings.py``: MultiPartitionMapping with DimensionPartitionMapping,
and SpecificPartitionsPartitionMapping, through the CLI and the Python API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assetgraph import (
    AssetKey,
    DimensionPartitionMapping,
    IdentityPartitionMapping,
    Instance,
    MultiPartitionMapping,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    load_definitions,
    materialize,
)
from assetgraph.errors import DefinitionError

Cli = Callable[..., tuple[int, str]]


def test_a_weekly_partition_reads_its_region_s_seven_days(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("partition_mappings"))
    code, out = cli("materialize", "-f", location, "--select", "daily_sales", "--all-partitions")
    assert code == 0, out
    code, out = cli(
        "materialize", "-f", location, "--select", "weekly_sales", "--partition", "us|2025-01-12"
    )
    assert code == 0, out

    defs = load_definitions(file=location)
    result = materialize(defs, selection="weekly_sales", partition_key="eu|2025-01-05")
    assert not result.success, "an ephemeral instance has no daily_sales: the input is missing"
    instance = Instance.from_env()
    result = materialize(
        defs, selection="weekly_sales", partition_key="eu|2025-01-05", instance=instance
    )
    assert result.success
    week = result.output_for("weekly_sales", "eu|2025-01-05")
    assert week["region"] == "eu"
    assert week["days"] == [f"2025-01-{day:02d}" for day in range(5, 12)]
    assert week["amount"] == sum(range(5, 12))


def test_a_region_s_week_needs_only_that_region_s_days(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("partition_mappings"))
    us_days = [f"2025-01-{day:02d}|us" for day in range(12, 19)]
    defs = load_definitions(file=location)
    instance = Instance.from_env()
    assert materialize(
        defs, selection="daily_sales", partition_keys=us_days, instance=instance
    ).success

    code, out = cli(
        "materialize", "-f", location, "--select", "weekly_sales", "--partition", "us|2025-01-12"
    )
    assert code == 0, out
    code, out = cli(
        "materialize", "-f", location, "--select", "weekly_sales", "--partition", "eu|2025-01-12"
    )
    assert code == 1, "the eu days of that week were never materialized"
    assert "daily_sales" in out and "2025-01-12|eu" in out, out


def test_every_region_reads_only_the_reference_rate(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("partition_mappings"))
    code, out = cli(
        "materialize", "-f", location, "--select", "exchange_rates", "--partition", "reference"
    )
    assert code == 0, out
    code, out = cli(
        "materialize", "-f", location, "--select", "regional_prices", "--all-partitions"
    )
    assert code == 0, out

    code, out = cli("list", "-f", location, "--json")
    listed = {row["key"]: row for row in json.loads(out)}
    assert listed["regional_prices"]["upstream"] == ["exchange_rates"]
    defs = load_definitions(file=location)
    result = materialize(
        defs, selection="regional_prices", partition_key="us", instance=Instance.from_env()
    )
    assert result.output_for("regional_prices", "us") == {"region": "us", "rate": 1.0}


def test_an_unpartitioned_asset_reads_only_the_partitions_its_mapping_names(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("partition_mappings"))
    code, out = cli(
        "materialize", "-f", location, "--select", "exchange_rates", "--partition", "reference"
    )
    assert code == 0, out
    code, out = cli("materialize", "-f", location, "--select", "reference_rate")
    assert code == 0, "the other currency pairs are not needed: " + out
    code, out = cli("materialize", "-f", location, "--select", "latest_pair")
    assert code == 1 and "usd_gbp" in out, "the last partition was never materialized: " + out

    code, out = cli("materialize", "-f", location, "--select", "exchange_rates", "--all-partitions")
    assert code == 0, out
    defs = load_definitions(file=location)
    result = materialize(defs, selection="reference_rate latest_pair", instance=Instance.from_env())
    assert result.output_for("reference_rate") == 1.0
    assert result.output_for("latest_pair") == "usd_gbp"


def test_a_dimension_mapped_twice_or_missing_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="at most once"):
        MultiPartitionMapping(
            {
                "a": DimensionPartitionMapping("x", IdentityPartitionMapping()),
                "b": DimensionPartitionMapping("x", IdentityPartitionMapping()),
            }
        )
    mapping = MultiPartitionMapping(
        {"date": DimensionPartitionMapping("day", TimeWindowPartitionMapping())}
    )
    single = StaticPartitionsDefinition(["a"])
    assert mapping.problem(single, single) is not None
    assert AssetKey("weekly_sales").to_string() == "weekly_sales"


def test_only_a_change_to_a_named_partition_makes_the_unpartitioned_reader_stale() -> None:
    from assetgraph import (
        AssetIn,
        Definitions,
        SpecificPartitionsPartitionMapping,
        asset,
        stale_status,
    )

    rates = {"reference": 1.0, "usd_eur": 0.9}

    @asset(partitions_def=StaticPartitionsDefinition(["reference", "usd_eur"]))
    def exchange_rates(context) -> float:  # type: ignore[no-untyped-def]
        return rates[context.partition_key]

    @asset(
        ins={
            "exchange_rates": AssetIn(
                partition_mapping=SpecificPartitionsPartitionMapping(["reference"])
            )
        }
    )
    def reference_rate(exchange_rates: float) -> float:
        return exchange_rates

    defs = Definitions(assets=[exchange_rates, reference_rate])
    instance = Instance.from_env()
    assert materialize(defs, selection="exchange_rates", all_partitions=True, instance=instance)
    assert materialize(defs, selection="reference_rate", instance=instance).success

    rates["usd_eur"] = 0.8
    materialize(defs, selection="exchange_rates", partition_key="usd_eur", instance=instance)
    report = stale_status(defs, instance=instance)
    assert report.assets[AssetKey("reference_rate")].status == "fresh"

    rates["reference"] = 1.1
    materialize(defs, selection="exchange_rates", partition_key="reference", instance=instance)
    report = stale_status(defs, instance=instance)
    assert report.assets[AssetKey("reference_rate")].status == "stale"
