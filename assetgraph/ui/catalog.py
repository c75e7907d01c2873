"""What the catalog, asset and lineage pages show, assembled from the graph and storage.

Every function answers for the whole graph (or one asset) with a fixed number of bulk
queries: statuses come from ``assetgraph.status.assets.asset_statuses`` (the same ones
the lineage export shows), last materializations from one grouped query.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from assetgraph.keys import AssetKey
from assetgraph.lineage.colors import FILL, STROKE
from assetgraph.lineage.model import describe_mapping, describe_partitions
from assetgraph.status.assets import STATUSES, AssetStatus, asset_statuses
from assetgraph.status.partitions import partition_status_ranges
from assetgraph.ui import history
from assetgraph.ui.models import (
    AssetDetail,
    AssetSummary,
    CatalogOut,
    CheckEvaluationOut,
    CheckOut,
    CheckPartitionOut,
    ChecksOut,
    ConditionOut,
    FailureOut,
    MaterializationOut,
    PartitionCountsOut,
    PartitionDetailOut,
    PartitionsOut,
    StaleCauseOut,
    StatusRangeOut,
    StatusStyle,
    UpstreamOut,
    WhyOut,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assetgraph.definitions.automation_condition import AutomationCondition
    from assetgraph.definitions.checks import AssetChecksDefinition
    from assetgraph.graph import AssetGraph
    from assetgraph.partitions.subset import PartitionsSubset
    from assetgraph.storage.sql_storage import SqlStorage


def status_styles() -> list[StatusStyle]:
    """Every asset status with its colours, in legend order.

    The single source is ``assetgraph.status.assets.STATUSES`` with ``lineage.colors``:
    adding ``stale`` there adds it to every page, the legend and the CSS.
    """
    return [StatusStyle(status=s, fill=FILL[s], stroke=STROKE[s]) for s in STATUSES]


def status_css() -> str:
    """The ``.st-<status>`` classes every page uses to colour badges, nodes and strips.

    Badges take the pale fill, partition strip segments the strong stroke colour, but
    for ``missing``: the absence of data is drawn pale, so what exists stands out.
    """
    rules = []
    for style in status_styles():
        rules.append(
            f".st-{style.status}{{background:{style.fill};border-color:{style.stroke};color:#222}}"
        )
        strip = style.fill if style.status == "missing" else style.stroke
        rules.append(f".strip .seg.st-{style.status}{{background:{strip}}}")
    return "\n".join(rules) + "\n"


def summarize_asset(
    graph: AssetGraph, key: AssetKey, status: AssetStatus, last_at: float | None
) -> AssetSummary:
    spec = graph.spec(key)
    return AssetSummary(
        key=key.to_string(),
        group=spec.group,
        description=spec.description,
        tags=dict(spec.tags),
        owners=list(spec.owners),
        partitioned=graph.partitions_def(key) is not None,
        status=status.status,
        last_materialized_at=status.last_materialized_at or last_at,
        last_run_id=status.last_run_id,
        partitions=partition_counts(status),
        source=graph.is_source(key),
    )


def partition_counts(status: AssetStatus) -> PartitionCountsOut | None:
    """The partition counts of a partitioned asset's ``status`` (None: unpartitioned)."""
    counts = status.partitions
    if counts is None:
        return None
    return PartitionCountsOut(
        total=counts.total,
        materialized=counts.materialized,
        failed=counts.failed,
        missing=counts.missing,
        stale=counts.stale,
    )


def catalog(graph: AssetGraph, storage: SqlStorage, now: datetime) -> CatalogOut:
    """Every asset with its status and last materialization, in topological order."""
    keys = list(graph.all_keys)
    statuses = asset_statuses(graph, keys, storage, now)
    last = history.last_materialized_at(storage, [key.to_string() for key in keys])
    assets = [summarize_asset(graph, key, statuses[key], last.get(key.to_string())) for key in keys]
    tags = sorted({f"{name}={value}" for asset in assets for name, value in asset.tags.items()})
    return CatalogOut(assets=assets, groups=graph.groups(), tags=tags, statuses=status_styles())


def filter_catalog(
    assets: list[AssetSummary],
    search: str | None = None,
    group: str | None = None,
    tag: str | None = None,
    status: str | None = None,
) -> list[AssetSummary]:
    """The assets matching every given filter.

    ``search`` is a case-insensitive substring of the key or description; ``tag`` is
    ``KEY=VALUE`` (or ``KEY`` for any value).
    """
    needle = (search or "").strip().lower()
    tag_name, has_value, tag_value = (tag or "").partition("=")
    kept = []
    for asset in assets:
        if (
            needle
            and needle not in asset.key.lower()
            and (needle not in (asset.description or "").lower())
        ):
            continue
        if group and asset.group != group:
            continue
        if status and asset.status != status:
            continue
        if tag_name and (
            tag_name not in asset.tags or (has_value and asset.tags[tag_name] != tag_value)
        ):
            continue
        kept.append(asset)
    return kept


def check_names(
    graph: AssetGraph, key: AssetKey, asset_checks: Sequence[AssetChecksDefinition]
) -> list[str]:
    """The names of the checks defined on ``key``: its own specs, then ``asset_checks``'."""
    own = (s.name for s in getattr(graph.assets_def(key), "check_specs", ()) if s.asset_key == key)
    other = (s.name for check in asset_checks for s in check.specs if s.asset_key == key)
    return list(dict.fromkeys([*own, *other]))


def asset_detail(
    graph: AssetGraph,
    key: AssetKey,
    storage: SqlStorage,
    now: datetime,
    asset_checks: Sequence[AssetChecksDefinition] = (),
) -> AssetDetail:
    """Everything the asset page shows but its history and partitions; ``checks`` names the
    asset's check specs and those of ``asset_checks`` on it."""
    spec = graph.spec(key)
    status = asset_statuses(graph, [key], storage, now)[key]
    last = history.last_materialized_at(storage, [key.to_string()]).get(key.to_string())
    partitions_def = graph.partitions_def(key)
    upstream = []
    for parent in graph.parents(key):
        mapping = describe_mapping(graph.partition_mapping(key, parent))
        upstream.append(
            UpstreamOut(
                key=parent.to_string(), partition_mapping=None if mapping is None else mapping.text
            )
        )
    return AssetDetail(
        summary=summarize_asset(graph, key, status, last),
        code_version=graph.assets_def(key).code_version(key),
        io_manager_key=spec.io_manager_key,
        metadata={name: _jsonable(value) for name, value in spec.metadata.items()},
        partitions_def=None if partitions_def is None else describe_partitions(partitions_def),
        upstream=upstream,
        downstream=[child.to_string() for child in graph.children(key)],
        checks=check_names(graph, key, asset_checks),
        freshness_policy=None if (fresh := spec.freshness_policy) is None else fresh.describe(),
        automation_policy=None if (policy := spec.automation_policy) is None else policy.describe(),
        automation_condition=None
        if spec.automation_condition is None
        else condition_tree(spec.automation_condition),
    )


def condition_tree(condition: AutomationCondition) -> ConditionOut:
    """An automation condition and its operands, as the definition shows them."""
    return ConditionOut(
        name=condition.name,
        label=condition.get_label(),
        children=[condition_tree(child) for child in condition.children],
    )


def partitions(
    graph: AssetGraph, key: AssetKey, storage: SqlStorage, now: datetime
) -> PartitionsOut:
    """The partitions health strip: runs of equal status, ranges collapsed."""
    from assetgraph.status.staleness import compute_staleness

    partitions_def = graph.partitions_def(key)
    if partitions_def is None:
        return PartitionsOut(key=key.to_string(), partitioned=False, total=1, ranges=[])
    stale = compute_staleness(graph, [key], storage, now)[key].stale
    ranges = partition_status_ranges(key, partitions_def, storage, current_time=now, stale=stale)
    return PartitionsOut(
        key=key.to_string(),
        partitioned=True,
        total=sum(r.count for r in ranges),
        ranges=[
            StatusRangeOut(status=r.status, first=r.first, last=r.last, count=r.count)
            for r in ranges
        ],
    )


def materializations(storage: SqlStorage, key: AssetKey, limit: int) -> list[MaterializationOut]:
    """The latest materializations of ``key``, newest first."""
    return [
        MaterializationOut(
            event_id=event.event_id,
            run_id=event.run_id,
            timestamp=event.timestamp,
            partition_key=event.partition_key,
            code_version=event.code_version,
            data_version=event.data_version,
            duration=event.duration,
            metadata=event.metadata,
        )
        for event in history.recent_materializations(storage, key.to_string(), limit)
    ]


def _jsonable(value: object) -> object:
    """Definition metadata as JSON: plain values pass, a ``MetadataValue`` is stored typed
    (as materialization metadata is), anything else becomes its repr."""
    from assetgraph.definitions.metadata import MetadataValue

    if isinstance(value, MetadataValue):
        return value.to_stored()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(name): _jsonable(item) for name, item in value.items()}
    return repr(value)


MAX_CHECK_PARTITIONS = 500
CHECK_HISTORY = 20


def asset_checks(
    graph: AssetGraph,
    key: AssetKey,
    storage: SqlStorage,
    asset_checks: Sequence[AssetChecksDefinition] = (),
) -> ChecksOut:
    """Each check of ``key`` (defined, or seen in the event log): blocking or not, its latest
    result per partition, and its latest evaluations."""
    from assetgraph.status.checks import check_evaluations, latest_by_partition

    specs = {
        s.name: s
        for s in (
            *(s for s in getattr(graph.assets_def(key), "check_specs", ()) if s.asset_key == key),
            *(s for check in asset_checks for s in check.specs if s.asset_key == key),
        )
    }
    evaluations = check_evaluations(storage, key.to_string())
    latest = latest_by_partition(evaluations)
    names = list(specs) + [name for name in latest if name not in specs]
    checks = []
    for name in names:
        spec = specs.get(name)
        by_partition = latest.get(name, {})
        history = [e for e in evaluations if e.check_name == name]
        failing = [e for e in by_partition.values() if not e.passed]
        if not by_partition:
            status = "not_evaluated"
        elif not failing:
            status = "passed"
        elif all(e.severity == "WARN" for e in failing):
            status = "warning"
        else:
            status = "failed"
        rows = sorted(
            by_partition.items(),
            key=lambda item: (item[1].passed, -item[1].timestamp, item[0] or ""),
        )
        checks.append(
            CheckOut(
                name=name,
                description=spec.description if spec is not None else history[0].description,
                blocking=spec.blocking if spec is not None else history[0].blocking,
                defined=spec is not None,
                status=status,
                evaluated_partitions=len(by_partition),
                failing_partitions=len(failing),
                latest=[
                    CheckPartitionOut(
                        partition_key=partition,
                        passed=e.passed,
                        severity=e.severity,
                        run_id=e.run_id,
                        timestamp=e.timestamp,
                        description=e.description,
                    )
                    for partition, e in rows[:MAX_CHECK_PARTITIONS]
                ],
                history=[
                    CheckEvaluationOut(
                        check_name=e.check_name,
                        run_id=e.run_id,
                        timestamp=e.timestamp,
                        partition_keys=list(e.partition_keys),
                        passed=e.passed,
                        blocking=e.blocking,
                        severity=e.severity,
                        description=e.description,
                        metadata=e.metadata,
                        error=e.error,
                    )
                    for e in history[:CHECK_HISTORY]
                ],
            )
        )
    return ChecksOut(key=key.to_string(), checks=checks)


def why(graph: AssetGraph, key: AssetKey, storage: SqlStorage, now: datetime) -> WhyOut:
    """Why ``key`` has its status: stale causes and their root causes (as ``status`` says
    them), missing partitions, the last failure, and the freshness policy's standing."""
    from assetgraph.automation.freshness import freshness_statuses
    from assetgraph.status.failures import last_failure
    from assetgraph.status.staleness import UNPARTITIONED, StalenessReport, compute_staleness

    report: StalenessReport = compute_staleness(graph, [key], storage, now)
    staleness = report[key]

    def ranges(subset: PartitionsSubset | None) -> list[str]:
        if subset is None or subset.partitions_def is UNPARTITIONED:
            return []
        return [r.start if r.start == r.end else f"{r.start}...{r.end}" for r in subset.ranges()]

    roots = report.root_causes(key) if staleness.stale else []
    # Where each chain starts: the asset whose code changed, or the upstream that changed
    # or is missing.
    root_assets = list(
        dict.fromkeys(
            (cause.upstream or at).to_string()
            for at, cause in (report.root_cause_ranges(key) if staleness.stale else [])
        )
    )
    failure = last_failure(storage, key.to_string())
    status = asset_statuses(graph, [key], storage, now)[key]
    freshness = {s.key.to_string(): s for s in freshness_statuses(graph, storage, [key], now)}
    fresh = freshness.get(key.to_string())
    return WhyOut(
        key=key.to_string(),
        status=staleness.status,
        missing=ranges(staleness.missing)[:50],
        missing_count=len(staleness.missing),
        causes=[
            StaleCauseOut(
                cause=cause.cause.value,
                text=cause.describe(key),
                partitions=ranges(cause.partitions)[:50],
                upstream=None if cause.upstream is None else cause.upstream.to_string(),
                detail=cause.detail,
            )
            for cause in staleness.causes
        ],
        root_causes=roots,
        root_assets=[name for name in root_assets if name != key.to_string()],
        last_failure=None
        if failure is None
        else FailureOut(
            run_id=failure.run_id,
            step_key=failure.step_key,
            partition_key=failure.partition_key,
            timestamp=failure.timestamp,
            error=failure.error,
            error_type=failure.error_type,
            latest_attempt_failed=status.status == "failed"
            or (status.partitions is not None and status.partitions.failed > 0),
        ),
        freshness=None if fresh is None else fresh.to_json(),
    )


def partition_detail(
    graph: AssetGraph, key: AssetKey, partition: str | None, storage: SqlStorage, now: datetime
) -> PartitionDetailOut:
    """One partition of ``key`` (None: unpartitioned): its status and why, its latest
    materialization and its latest failure. A ``UsageError`` names a partition key that is
    not in the definition."""
    from assetgraph.errors import UsageError
    from assetgraph.status.partition_detail import partition_detail as read_detail
    from assetgraph.status.staleness import compute_staleness

    partitions_def = graph.partitions_def(key)
    if partitions_def is None and partition is not None:
        raise UsageError(f"Asset '{key.to_string()}' is not partitioned: name no partition.")
    if partitions_def is not None:
        if partition is None:
            raise UsageError(f"Asset '{key.to_string()}' is partitioned: name a partition.")
        partitions_def.index_of(partition, now, storage)
    detail = read_detail(storage, key.to_string(), partition)
    staleness = compute_staleness(graph, [key], storage, now)[key]
    causes: list[str] = []
    if partitions_def is None:
        stale = bool(staleness.stale)
        causes = [cause.describe(key) for cause in staleness.causes]
    else:
        stale = partition in staleness.stale
        causes = [c.describe(key) for c in staleness.causes if partition in c.partitions]
    if detail.failed:
        status = "failed"
    elif not detail.materialized:
        status = "missing"
    else:
        status = "stale" if stale else "materialized"
    return PartitionDetailOut(
        key=key.to_string(),
        partition_key=partition,
        status=status,
        stale_causes=causes if stale else [],
        materialization_run_id=detail.materialization_run_id,
        materialized_at=detail.materialized_at,
        code_version=detail.code_version,
        data_version=detail.data_version,
        duration=detail.duration,
        metadata=detail.metadata,
        failure_run_id=detail.failure_run_id,
        failed_at=detail.failed_at,
        error=detail.error,
    )
