"""Retries by automation: when a partition whose last attempt failed is requested again.

A failed partition waits for new upstream data or a code change. With a ``RetryPolicy`` (the
asset's, else ``Definitions(retry_policy=)``) it is also requested again while the policy
allows another attempt: every recorded failed attempt of the partition since the last
change counts (a run's own retries too), so there are never more than ``1 + max_retries``
attempts between two changes; the policy's delay (with its backoff, and its jitter drawn
the same way on every tick) is counted from the last failure. The last change is the newest
of: the partition's last materialization, the newest data of the upstream partitions it
reads, and the tick that retried it after a code change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from assetgraph.definitions.retry import RetryPolicy


class Attempts(NamedTuple):
    """The failed attempts of one partition since its last change."""

    made: int
    last_failed_at: float


@dataclass(frozen=True, slots=True)
class RetryVerdict:
    """Whether automation may request a failed partition again now, and the words why."""

    now: bool
    words: str


def verdict(
    policy: RetryPolicy, attempts: Attempts, now: float, seed: str, nothing_new: str
) -> RetryVerdict:
    """Judge the next attempt after ``attempts`` under ``policy`` at ``now``; ``seed`` fixes
    the jitter (the same on every tick), ``nothing_new`` ends the words when none is left."""
    failed = f"failed at {_when(attempts.last_failed_at)}"
    retry = attempts.made  # the next attempt is retry number ``made``
    if retry > policy.max_retries:
        tries = "attempt" if attempts.made == 1 else "attempts"
        return RetryVerdict(
            False,
            f"{failed} ({attempts.made} {tries}; RetryPolicy max_retries="
            f"{policy.max_retries} used up); {nothing_new}",
        )
    wait = policy.wait_before(retry + 1, random.Random(f"{seed}|{retry}"))
    due = attempts.last_failed_at + wait
    which = f"retry {retry} of {policy.max_retries}"
    if now >= due:
        return RetryVerdict(True, f"{failed}; {which} (RetryPolicy)")
    return RetryVerdict(False, f"{failed}; {which} after {_when(due)}")


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
