"""Contexts an IO manager receives, built the way the executor builds them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assetgraph import AssetKey
from assetgraph.io import InputContext, OutputContext


def output_context(
    key: str, partitions: tuple[str, ...] = (), metadata: Mapping[str, Any] | None = None
) -> OutputContext:
    """What ``handle_output`` gets when storing ``key`` (for ``partitions``)."""
    return OutputContext(
        AssetKey.from_user(key),
        run_id="r",
        step_key=key,
        partition_keys=partitions,
        metadata=metadata or {},
    )


def input_context(
    key: str, partitions: tuple[str, ...] = (), metadata: Mapping[str, Any] | None = None
) -> InputContext:
    """What ``load_input`` gets when loading ``key`` (for ``partitions``)."""
    return InputContext(
        AssetKey.from_user(key), run_id="r", partition_keys=partitions, metadata=metadata or {}
    )
