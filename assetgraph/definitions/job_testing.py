"""Dagster's test helper ``create_test_asset_job``: a job over a few assets, for a test."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assetgraph.definitions.asset_selection import AssetSelection
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.jobs import JobDefinition, define_asset_job


def create_test_asset_job(
    assets: Iterable[Any],
    selection: Any = None,
    name: str = "asset_job",
    resources: Mapping[str, Any] | None = None,
    **job_options: Any,
) -> JobDefinition:
    """A job of ``assets`` (or of the ``selection`` of them, observable source assets
    included: a job of only those observes them), resolved against
    ``Definitions(assets=assets, resources=resources)``: ``execute_in_process()`` runs it.
    Asset checks among ``assets`` are the Definitions' checks."""
    given = list(assets)
    checks = [a for a in given if isinstance(a, AssetChecksDefinition)]
    assets_defs = [a for a in given if not isinstance(a, AssetChecksDefinition)]
    defs = Definitions(assets=assets_defs, asset_checks=checks, resources=resources)
    if selection is None:  # every asset given, source assets too (Dagster's default)
        selection = AssetSelection.assets(*assets_defs)
    return define_asset_job(name, selection, **job_options).resolve_for(defs)
