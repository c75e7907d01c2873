"""Requests a sensor makes to add or delete keys of a ``DynamicPartitionsDefinition``.

Built with ``DynamicPartitionsDefinition.build_add_request(keys)`` /
``build_delete_request(keys)`` and returned in ``SensorResult(dynamic_partitions_requests=)``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AddDynamicPartitionsRequest:
    """Add ``partition_keys`` to the dynamic partitions definition ``partitions_def_name``."""

    partitions_def_name: str
    partition_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeleteDynamicPartitionsRequest:
    """Delete ``partition_keys`` from the dynamic partitions definition
    ``partitions_def_name``."""

    partitions_def_name: str
    partition_keys: tuple[str, ...]
