"""``RetryPolicy``: how often and how soon a failed step is tried again."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from assetgraph.errors import DefinitionError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry a failed step up to ``max_retries`` times, waiting ``delay`` seconds first.

    ``backoff="exponential"`` doubles the wait after each attempt (``delay``, ``2*delay``,
    ``4*delay``...), ``"linear"`` grows it by ``delay`` (``delay``, ``2*delay``,
    ``3*delay``...), ``None`` keeps it constant. ``jitter`` (0 to 1) spreads each wait by up
    to that fraction, so many steps failing together do not retry together. Every attempt
    is recorded in the event log.
    """

    max_retries: int = 1
    delay: float = 0.0
    backoff: Literal["exponential", "linear"] | None = None
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise DefinitionError(
                "RetryPolicy: max_retries must be a non-negative integer, got "
                f"{self.max_retries!r}."
            )
        if self.delay < 0:
            raise DefinitionError(f"RetryPolicy: delay must be >= 0 seconds, got {self.delay!r}.")
        if self.backoff not in (None, "exponential", "linear"):
            raise DefinitionError(
                f"RetryPolicy: backoff must be 'exponential', 'linear' or None, got "
                f"{self.backoff!r}."
            )
        if not 0 <= self.jitter <= 1:
            raise DefinitionError(f"RetryPolicy: jitter must be from 0 to 1, got {self.jitter!r}.")

    def wait_before(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt number ``attempt`` (2 is the first retry)."""
        retry = max(1, attempt - 1)
        if self.backoff == "exponential":
            wait = self.delay * 2 ** (retry - 1)
        elif self.backoff == "linear":
            wait = self.delay * retry
        else:
            wait = self.delay
        if self.jitter:
            wait *= 1 + (rng or random).uniform(-self.jitter, self.jitter)
        return max(0.0, float(wait))
