"""``/metrics``: the platform's state in the Prometheus text exposition format (0.0.4).

Values are read from the metadata database at scrape time, so several UI servers over
one database agree, and a restart loses nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from assetgraph.status.assets import STATUSES
from assetgraph.storage.records import RunStatus
from assetgraph.ui import history

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage
    from assetgraph.ui.models import AssetSummary

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
STEP_WINDOW = 10_000
"""How many of the latest finished steps the step duration histogram covers."""
BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)


def label_value(value: str) -> str:
    """A label value escaped as the exposition format requires."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return "+Inf" if value == float("inf") else repr(float(value)) if value % 1 else str(int(value))


def _family(name: str, kind: str, help_text: str, samples: Iterable[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


def step_duration_histogram(durations: list[tuple[str, float]]) -> list[str]:
    """Cumulative histogram samples of step durations, by step outcome."""
    name = "assetgraph_step_duration_seconds"
    samples: list[str] = []
    for outcome in ("success", "failure"):
        values = [seconds for kind, seconds in durations if kind == outcome]
        for bound in (*BUCKETS, float("inf")):
            count = sum(1 for seconds in values if seconds <= bound)
            samples.append(f'{name}_bucket{{status="{outcome}",le="{_number(bound)}"}} {count}')
        samples.append(f'{name}_sum{{status="{outcome}"}} {sum(values)!r}')
        samples.append(f'{name}_count{{status="{outcome}"}} {len(values)}')
    return samples


def render_metrics(storage: SqlStorage, assets: list[AssetSummary]) -> str:
    """The exposition text: runs by status, step durations, materializations, statuses."""
    runs = history.run_counts_by_status(storage)
    lines = _family(
        "assetgraph_runs",
        "gauge",
        "Runs in the metadata database, by status.",
        (f'assetgraph_runs{{status="{s.value}"}} {runs.get(s.value, 0)}' for s in RunStatus),
    )
    lines += _family(
        "assetgraph_step_duration_seconds",
        "histogram",
        f"Durations of the latest {STEP_WINDOW} finished steps, by outcome "
        "(recomputed from the event log at each scrape).",
        step_duration_histogram(history.recent_step_durations(storage, STEP_WINDOW)),
    )
    materializations = history.materialization_counts(storage)
    lines += _family(
        "assetgraph_materializations_total",
        "counter",
        "Materializations recorded in the event log, by asset.",
        (
            f'assetgraph_materializations_total{{asset_key="{label_value(asset.key)}"}} '
            f"{materializations.get(asset.key, 0)}"
            for asset in assets
        ),
    )
    by_status = Counter(asset.status for asset in assets)
    statuses = [*STATUSES, *sorted(set(by_status) - set(STATUSES))]
    lines += _family(
        "assetgraph_assets",
        "gauge",
        "Assets of the code location, by summary status.",
        (f'assetgraph_assets{{status="{s}"}} {by_status.get(s, 0)}' for s in statuses),
    )
    lines += _family(
        "assetgraph_stale_assets",
        "gauge",
        "Assets with at least one stale partition (materialized, but its code or an upstream "
        "changed since; 'assetgraph status' says why).",
        [f"assetgraph_stale_assets {sum(1 for asset in assets if _has_stale(asset))}"],
    )
    return "\n".join(lines) + "\n"


def _has_stale(asset: AssetSummary) -> bool:
    """Stale by summary, or with stale partitions behind a summary that wins (failed)."""
    return asset.status == "stale" or bool(asset.partitions and asset.partitions.stale)
