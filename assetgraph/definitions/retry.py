"""``RetryPolicy``: how often and how soon a failed step is tried again."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from assetgraph.errors import DefinitionError


class Backoff(StrEnum):
    """Dagster's names for how the wait grows: ``RetryPolicy(backoff=Backoff.EXPONENTIAL)``."""

    EXPONENTIAL = "exponential"
    LINEAR = "linear"


class Jitter(StrEnum):
    """Dagster's random spread of each wait: ``FULL`` (0 to the wait) or ``PLUS_MINUS``
    (the wait, plus or minus up to itself)."""

    FULL = "full"
    PLUS_MINUS = "plus_minus"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry a failed step up to ``max_retries`` times, waiting ``delay`` seconds first.

    ``backoff="exponential"`` doubles the wait after each attempt (``delay``, ``2*delay``,
    ``4*delay``...), ``"linear"`` grows it by ``delay`` (``delay``, ``2*delay``,
    ``3*delay``...), ``None`` keeps it constant. ``jitter`` (0 to 1) spreads each wait by up
    to that fraction, so many steps failing together do not retry together. Every attempt
    is recorded in the event log. Dagster's ``Backoff`` and ``Jitter`` names are accepted
    (``Jitter.PLUS_MINUS`` is ``jitter=1``; ``Jitter.FULL`` waits from 0 to the wait).
    """

    max_retries: int = 1
    delay: float | None = 0.0
    backoff: Literal["exponential", "linear"] | Backoff | None = None
    jitter: float | Jitter | None = 0.0

    def __post_init__(self) -> None:
        if isinstance(self.backoff, Backoff):
            object.__setattr__(self, "backoff", self.backoff.value)
        if self.delay is None:
            object.__setattr__(self, "delay", 0.0)
        if self.jitter is None:
            object.__setattr__(self, "jitter", 0.0)
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise DefinitionError(
                "RetryPolicy: max_retries must be a non-negative integer, got "
                f"{self.max_retries!r}."
            )
        if (self.delay or 0.0) < 0:
            raise DefinitionError(f"RetryPolicy: delay must be >= 0 seconds, got {self.delay!r}.")
        if self.backoff not in (None, "exponential", "linear"):
            raise DefinitionError(
                f"RetryPolicy: backoff must be 'exponential', 'linear' or None, got "
                f"{self.backoff!r}."
            )
        if not isinstance(self.jitter, Jitter) and not 0 <= (self.jitter or 0.0) <= 1:
            raise DefinitionError(f"RetryPolicy: jitter must be from 0 to 1, got {self.jitter!r}.")

    def wait_before(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt number ``attempt`` (2 is the first retry)."""
        retry = max(1, attempt - 1)
        delay = float(self.delay or 0.0)
        if self.backoff == "exponential":
            wait = delay * 2 ** (retry - 1)
        elif self.backoff == "linear":
            wait = delay * retry
        else:
            wait = delay
        if self.jitter is Jitter.FULL:
            wait *= (rng or random).uniform(0, 1)
        elif self.jitter is Jitter.PLUS_MINUS:
            wait *= 1 + (rng or random).uniform(-1, 1)
        elif self.jitter:
            wait *= 1 + (rng or random).uniform(-float(self.jitter), float(self.jitter))
        return max(0.0, float(wait))
