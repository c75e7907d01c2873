"""``BackfillPolicy``: how many partitions of an asset one step materializes."""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.errors import DefinitionError


@dataclass(frozen=True, slots=True)
class BackfillPolicy:
    """One step per partition (the default), or one step for a whole range of partitions.

    ``BackfillPolicy.single_run()`` gives one step per contiguous range of the partitions a
    run selects; the asset function reads ``context.partition_key_range`` (and
    ``context.partition_time_window``) and returns the value for all of them.
    ``BackfillPolicy.multi_run(n)`` cuts those ranges into steps of at most ``n``.
    """

    max_partitions_per_run: int | None = 1

    def __post_init__(self) -> None:
        limit = self.max_partitions_per_run
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise DefinitionError(
                f"BackfillPolicy: max_partitions_per_run must be a positive integer or None, "
                f"got {limit!r}."
            )

    @classmethod
    def single_run(cls) -> BackfillPolicy:
        """One step for each contiguous range of selected partitions."""
        return cls(max_partitions_per_run=None)

    @classmethod
    def multi_run(cls, max_partitions_per_run: int = 1) -> BackfillPolicy:
        """Steps of at most ``max_partitions_per_run`` partitions each."""
        return cls(max_partitions_per_run=max_partitions_per_run)

    @property
    def is_single_run(self) -> bool:
        return self.max_partitions_per_run is None
