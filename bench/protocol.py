"""The child side of the harness: parse ``--impl``/``--size``, time the core phase, report.

A scenario process prints exactly one JSON line as the last line of its stdout::

    {"core_ms": 812.4, "core_cpu_ms": 790.1, "units": 1000, "peak_kb": 91234, "extra": {...}}

``core_ms`` is the phase the scenario is about, timed with ``time.perf_counter``;
``core_cpu_ms`` is the CPU time of this process over the same phase (``time.process_time``,
user and system: on a shared machine the steadier figure). The harness measures
whole-process wall time itself. ``peak_kb`` is the process's own
high-water RSS (``VmHWM``): ``ru_maxrss`` is not usable for it on Linux, where exec carries
over the high-water mark of the forking parent (the harness). Standard library only, so
that a baseline process pays nothing for it.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

REPORT_MARK = "BENCH-REPORT "


@dataclass(slots=True)
class Report:
    """What one scenario process measured about itself."""

    units: int
    core_ms: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Stopwatch:
    """Elapsed milliseconds of the ``timed()`` block (wall and this process's CPU), set
    when the block ends."""

    ms: float = 0.0
    cpu_ms: float = 0.0


_last: list[Stopwatch] = []
"""The last ``timed()`` block of this process, whose CPU time the report carries."""


@contextmanager
def timed() -> Iterator[Stopwatch]:
    """Time a block with ``perf_counter`` and ``process_time``: ``with timed() as t: ...``."""
    watch = Stopwatch()
    _last[:] = [watch]
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield watch
    finally:
        watch.ms = (time.perf_counter() - start) * 1000.0
        watch.cpu_ms = (time.process_time() - cpu) * 1000.0


Variant = Callable[[argparse.Namespace], Report]


def run_variants(
    variants: Mapping[str, Variant],
    *,
    description: str,
    default_size: int,
    extra_args: Callable[[argparse.ArgumentParser], object] | None = None,
    argv: list[str] | None = None,
) -> None:
    """Parse the command line, run the chosen variant, and print its report line."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--impl", choices=sorted(variants), required=True)
    parser.add_argument("--size", type=int, default=default_size, help="number of units")
    if extra_args is not None:
        extra_args(parser)
    args = parser.parse_args(argv)
    report = variants[args.impl](args)
    payload = {
        "core_ms": report.core_ms,
        "core_cpu_ms": _last[0].cpu_ms if _last and report.core_ms is not None else None,
        "units": report.units,
        "peak_kb": peak_rss_kb(),
        "extra": report.extra,
    }
    sys.stdout.write("\n" + REPORT_MARK + json.dumps(payload) + "\n")
    sys.stdout.flush()


def peak_rss_kb() -> int:
    """This process's peak resident set size in KiB, counted from its own exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def parse_report(stdout: str) -> dict[str, Any] | None:
    """The report a child printed, or None when it printed none (e.g. a start-up case)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(REPORT_MARK):
            parsed: dict[str, Any] = json.loads(line[len(REPORT_MARK) :])
            return parsed
    return None
