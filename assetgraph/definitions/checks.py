"""Asset checks and pandera schemas: what a value must satisfy before it is stored.

``@asset_check(asset=...)`` declares a function that receives an asset's value (the one
just produced, before its IO manager stores it) and returns an ``AssetCheckResult`` (or a
bare bool). A pandera schema comes from ``@asset(schema=...)`` or from a
``pandera.typing.DataFrame[Model]`` return annotation, and is validated lazily so every
failure case is collected. A failed blocking check or schema fails the step: nothing is
stored. A failed non-blocking check is recorded as a warning and the value goes through.

This module runs the checks and returns what they found (``CheckEvaluation``); turning
that into events and step failures is the executor's job. pandera is never imported here
unless an asset declares a schema (and then the user's code has imported it already).
"""

from __future__ import annotations

import contextlib
import inspect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from assetgraph.context import AssetExecutionContext
from assetgraph.definitions.assets import CONTEXT_PARAM, AssetsDefinition, source_location
from assetgraph.definitions.check_specs import AssetCheckSpec, checked_asset_key
from assetgraph.definitions.metadata import normalize_metadata
from assetgraph.errors import USER_CODE_FAILURES, DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey

AssetCheckExecutionContext = AssetExecutionContext
"""Dagster's name for the context a check receives; here the asset's execution context."""

SCHEMA_CHECK_NAME = "pandera_schema"
"""The check name under which a pandera schema's validation is recorded."""

MAX_FAILURE_VALUES = 5
"""How many offending values a failure-case summary keeps per (column, check)."""

EVALUATION_EVENT_TYPE = "asset_check_evaluation"
"""The event type check evaluations are stored under (``EventType.ASSET_CHECK_EVALUATION``)."""


class AssetCheckSeverity(StrEnum):
    """How bad a failed check is; a failed blocking check blocks only at ``ERROR``."""

    WARN = "WARN"
    ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class AssetCheckResult:
    """What a check returns or an asset yields: whether the check passed, and why.

    ``metadata`` (plain values or ``MetadataValue``s) is recorded with the result;
    ``severity=WARN`` lets a failed blocking check through with a warning, as in Dagster.
    ``check_name`` and ``asset_key`` say which check this is for; they may be left out
    when only one check could be meant (the asset has one check spec, the step one asset).
    """

    passed: bool
    metadata: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    check_name: str | None = field(default=None, kw_only=True)
    asset_key: AssetKey | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if self.asset_key is not None and not isinstance(self.asset_key, AssetKey):
            object.__setattr__(self, "asset_key", AssetKey.from_user(self.asset_key))
        object.__setattr__(self, "metadata", dict(self.metadata or {}))


class AssetChecksDefinition:
    """A check on one asset, made by ``@asset_check``; call it like the function in tests."""

    def __init__(
        self,
        *,
        fn: Callable[..., Any],
        name: str,
        asset_key: AssetKey,
        blocking: bool,
        description: str | None,
        value_param: str | None,
        context_param: str | None,
        specs: Sequence[AssetCheckSpec] | None = None,
    ) -> None:
        self.fn = fn
        self.name = name
        self.asset_key = asset_key
        self.blocking = blocking
        self.description = description
        self.value_param = value_param
        self.context_param = context_param
        self.is_multi = specs is not None
        """True for a ``@multi_asset_check``: one function reporting on several checks."""
        self.specs: tuple[AssetCheckSpec, ...] = (
            tuple(specs)
            if specs is not None
            else (
                AssetCheckSpec(name, asset=asset_key, description=description, blocking=blocking),
            )
        )
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    @property
    def check_key(self) -> str:
        """``asset/key:check_name``, unique within a code location."""
        return f"{self.asset_key.to_string()}:{self.name}"

    @property
    def source_location(self) -> str:
        """``file:line`` of the check function, for messages."""
        return source_location(self.fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __reduce__(self) -> Any:
        """By reference when it is a module attribute (see ``assetgraph.definitions.pickling``)."""
        from assetgraph.definitions.pickling import reduce_by_reference, reduce_by_value

        return reduce_by_reference(self, self.fn) or reduce_by_value(self)

    def __repr__(self) -> str:
        if self.is_multi:
            checks = ", ".join(spec.check_key for spec in self.specs)
            return f"<AssetChecksDefinition {self.name}: {checks}>"
        mode = "blocking" if self.blocking else "non-blocking"
        return f"<AssetChecksDefinition {self.check_key} ({mode})>"


def asset_check(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    asset: AssetsDefinition | CoercibleToAssetKey | None = None,
    name: str | None = None,
    blocking: bool = False,
    description: str | None = None,
    additional_deps: Iterable[AssetsDefinition | CoercibleToAssetKey] | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Declare a function as a check on ``asset`` (a definition, a key, or ``"a/b"``).

    The function's parameter named like the asset (else its first parameter besides
    ``context``) receives the asset's value; ``context`` receives the asset's execution
    context; any other parameter must have a default. It returns an ``AssetCheckResult``
    or a bool. A ``blocking`` check that fails fails the asset's step before anything is
    stored; a non-blocking one records a warning. Register checks with
    ``Definitions(asset_checks=[...])``. ``additional_deps`` (Dagster's) are recorded only.
    """
    extra_deps = tuple(checked_asset_key(dep) for dep in additional_deps or ())
    if fn is not None:
        raise DefinitionError(
            f"@asset_check on '{getattr(fn, '__name__', fn)}' needs the asset it checks: "
            "write @asset_check(asset=...)."
        )
    if asset is None:
        raise DefinitionError("@asset_check needs the asset it checks: @asset_check(asset=...).")
    asset_key = checked_asset_key(asset)

    def decorate(func: Callable[..., Any]) -> AssetChecksDefinition:
        if not callable(func):
            raise DefinitionError(
                f"@asset_check must decorate a function, got {type(func).__name__} {func!r}."
            )
        check_name = name or func.__name__
        try:
            AssetKey((check_name,))
        except DefinitionError as exc:
            raise DefinitionError(f"Asset check {check_name!r}: invalid name: {exc}") from exc
        value_param, context_param = _check_params(func, check_name, asset_key)
        doc = inspect.getdoc(func)
        built = AssetChecksDefinition(
            fn=func,
            name=check_name,
            asset_key=asset_key,
            blocking=bool(blocking),
            description=description if description is not None else (doc or None),
            value_param=value_param,
            context_param=context_param,
        )
        if extra_deps:
            built.specs = (
                AssetCheckSpec(
                    check_name,
                    asset=asset_key,
                    description=built.description,
                    blocking=built.blocking,
                    additional_deps=extra_deps,
                ),
            )
        return built

    return decorate


def multi_asset_check(
    *,
    specs: Sequence[AssetCheckSpec],
    name: str | None = None,
    description: str | None = None,
    can_subset: bool = False,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Declare one function that reports on several checks (Dagster's ``@multi_asset_check``).

    The function takes ``context`` (optional) and yields or returns one
    ``AssetCheckResult`` per spec, each naming its ``asset_key`` and ``check_name`` (either
    may be left out when only one spec could be meant). A spec without a result, or a
    result for no spec, fails the step. It runs in the step of the checked asset that is
    downstream of the others (see ``Definitions``), after that asset's value is produced.
    ``can_subset`` is accepted for Dagster compatibility: every spec always runs.
    """
    del can_subset
    checked = list(specs)
    if not checked or not all(isinstance(spec, AssetCheckSpec) for spec in checked):
        raise DefinitionError(
            "@multi_asset_check needs specs=[AssetCheckSpec(name, asset=...), ...]."
        )
    keys = [spec.check_key for spec in checked]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise DefinitionError(f"@multi_asset_check: check(s) {', '.join(duplicates)} given twice.")

    def decorate(func: Callable[..., Any]) -> AssetChecksDefinition:
        if not callable(func):
            raise DefinitionError(
                f"@multi_asset_check must decorate a function, got {type(func).__name__}."
            )
        check_name = name or func.__name__
        value_param, context_param = _check_params(func, check_name, checked[0].asset_key)
        if value_param is not None:
            raise DefinitionError(
                f"@multi_asset_check '{check_name}' ({source_location(func)}) takes "
                f"'{value_param}': a multi-asset check receives only 'context'; read the "
                "assets from where they are stored."
            )
        doc = inspect.getdoc(func)
        return AssetChecksDefinition(
            fn=func,
            name=check_name,
            asset_key=checked[0].asset_key,
            blocking=any(spec.blocking for spec in checked),
            description=description if description is not None else (doc or None),
            value_param=None,
            context_param=context_param,
            specs=checked,
        )

    return decorate


def _check_params(
    func: Callable[..., Any], check_name: str, asset_key: AssetKey
) -> tuple[str | None, str | None]:
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError) as exc:
        raise DefinitionError(
            f"Asset check '{check_name}': cannot read its signature: {exc}"
        ) from exc
    context_param: str | None = None
    others: list[str] = []
    optional: set[str] = set()
    for param in params:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = param.annotation
        kind = getattr(annotation, "__assetgraph_kind__", None)
        if (
            param.name == CONTEXT_PARAM
            or kind == "context"
            or annotation in ("AssetExecutionContext", "AssetCheckExecutionContext")
        ):
            context_param = param.name
        else:
            others.append(param.name)
            if param.default is not param.empty:
                optional.add(param.name)
    value_param = asset_key.name if asset_key.name in others else (others[0] if others else None)
    if any(p != value_param and p not in optional for p in others):
        raise DefinitionError(
            f"Asset check '{check_name}' ({source_location(func)}) takes "
            f"{', '.join(repr(p) for p in others)}: a check receives the value of asset "
            f"'{asset_key}' (in a parameter named '{asset_key.name}') and optionally 'context'."
        )
    return value_param, context_param


# -- evaluating checks and schemas ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckEvaluation:
    """The outcome of one check or schema on one value.

    ``exception`` is set when the check function itself raised (the check then failed);
    ``failure_cases`` summarises a pandera schema's failures.
    """

    check_name: str
    asset_key: AssetKey
    passed: bool
    blocking: bool
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    failure_cases: Mapping[str, Any] | None = None
    location: str | None = None
    exception: BaseException | None = field(default=None, compare=False)

    @property
    def blocks(self) -> bool:
        """True when this result must stop the value from being stored."""
        return not self.passed and self.blocking and self.severity is AssetCheckSeverity.ERROR

    def summary(self) -> str:
        """One line: what failed and why (for step errors and warnings)."""
        what = "schema" if self.check_name == SCHEMA_CHECK_NAME else "check"
        label = self.metadata.get("schema", self.check_name) if what == "schema" else None
        head = f"{what} '{label or self.check_name}'"
        if self.passed:
            return f"{head} passed"
        if self.exception is not None:
            return f"{head} raised {type(self.exception).__name__}: {self.exception}"
        return f"{head} failed" + (f": {self.description}" if self.description else "")

    def to_payload(self, partition_keys: Sequence[str]) -> dict[str, Any]:
        """The JSON payload of the ``asset_check_evaluation`` event."""
        payload: dict[str, Any] = {
            "check_name": self.check_name,
            "asset_key": self.asset_key.to_string(),
            "partition_keys": list(partition_keys),
            "passed": self.passed,
            "blocking": self.blocking,
            "severity": self.severity.value,
            "description": self.description,
            "metadata": normalize_metadata(self.metadata),
        }
        if self.failure_cases is not None:
            payload["failure_cases"] = dict(self.failure_cases)
        if self.exception is not None:
            payload["error"] = {
                "type": type(self.exception).__name__,
                "message": str(self.exception),
            }
        return payload


def evaluate_check(
    check: AssetChecksDefinition, value: Any, context: Any = None
) -> CheckEvaluation:
    """Run ``check`` on ``value``; a check that raises or returns nonsense has failed."""
    kwargs: dict[str, Any] = {}
    if check.value_param is not None:
        kwargs[check.value_param] = value
    if check.context_param is not None:
        kwargs[check.context_param] = context
    base: dict[str, Any] = {
        "check_name": check.name,
        "asset_key": check.asset_key,
        "blocking": check.blocking,
        "location": check.source_location,
    }
    try:
        result = check.fn(**kwargs)
    except USER_CODE_FAILURES as exc:
        return CheckEvaluation(passed=False, exception=exc, description=str(exc), **base)
    if isinstance(result, bool):
        return CheckEvaluation(passed=result, description=check.description, **base)
    if isinstance(result, AssetCheckResult):
        return CheckEvaluation(
            passed=bool(result.passed),
            severity=AssetCheckSeverity(result.severity),
            description=result.description,
            metadata=dict(result.metadata),
            **base,
        )
    error = TypeError(
        f"asset check '{check.name}' returned {type(result).__name__}; return an "
        "AssetCheckResult(passed=..., metadata=...) or a bool"
    )
    return CheckEvaluation(passed=False, exception=error, description=str(error), **base)


def evaluate_multi_check(
    check: AssetChecksDefinition, context: Any = None
) -> list[CheckEvaluation]:
    """Run a ``@multi_asset_check``: one evaluation per spec.

    A function that raises fails every spec; a missing or unknown result is a failed
    evaluation carrying an error (so the step fails, as in Dagster).
    """
    kwargs = {} if check.context_param is None else {check.context_param: context}
    try:
        returned = check.fn(**kwargs)
        results = list(returned) if inspect.isgenerator(returned) else returned
    except USER_CODE_FAILURES as exc:
        return [_raised(spec, exc, check.source_location) for spec in check.specs]
    if isinstance(results, AssetCheckResult):
        results = [results]
    if not isinstance(results, list | tuple):
        results = [results]
    evaluations, problems = match_check_results(results, check.specs, check.source_location)
    for problem in problems:
        evaluations.append(_raised(check.specs[0], TypeError(problem), check.source_location))
    return evaluations


def match_check_results(
    results: Sequence[Any], specs: Sequence[AssetCheckSpec], location: str | None = None
) -> tuple[list[CheckEvaluation], list[str]]:
    """Each declared spec's evaluation from the results a function produced.

    A result names its spec by ``asset_key`` and ``check_name``; either may be left out
    when only one spec matches. Returns the evaluations (in spec order) and what was
    wrong: a result matching no spec or several, a spec given two results or none.
    """
    problems: list[str] = []
    found: dict[str, CheckEvaluation] = {}
    for result in results:
        if not isinstance(result, AssetCheckResult):
            problems.append(
                f"expected AssetCheckResult objects, got {type(result).__name__} {result!r}"
            )
            continue
        candidates = [
            spec
            for spec in specs
            if (result.asset_key is None or spec.asset_key == result.asset_key)
            and (result.check_name is None or spec.name == result.check_name)
        ]
        if len(candidates) != 1:
            named = (
                f"AssetCheckResult(asset_key={_key_text(result.asset_key)}, "
                f"check_name={result.check_name!r})"
            )
            declared = ", ".join(spec.check_key for spec in specs) or "none"
            reason = "matches no declared check" if not candidates else "matches several checks"
            problems.append(f"{named} {reason} (declared: {declared})")
            continue
        spec = candidates[0]
        if spec.check_key in found:
            problems.append(f"check '{spec.check_key}' got two results")
            continue
        found[spec.check_key] = CheckEvaluation(
            check_name=spec.name,
            asset_key=spec.asset_key,
            passed=bool(result.passed),
            blocking=spec.blocking,
            severity=AssetCheckSeverity(result.severity),
            description=result.description or spec.description,
            metadata=dict(result.metadata),
            location=location,
        )
    missing = [spec.check_key for spec in specs if spec.check_key not in found]
    if missing:
        problems.append(
            f"no AssetCheckResult for declared check(s) {', '.join(missing)}: yield or return "
            "one per check spec"
        )
    return [found[spec.check_key] for spec in specs if spec.check_key in found], problems


def _key_text(key: AssetKey | None) -> str:
    return "None" if key is None else repr(key.to_string())


def _raised(spec: AssetCheckSpec, exc: BaseException, location: str | None) -> CheckEvaluation:
    return CheckEvaluation(
        check_name=spec.name,
        asset_key=spec.asset_key,
        passed=False,
        blocking=spec.blocking,
        description=str(exc),
        location=location,
        exception=exc,
    )


def evaluate_schema(schema: Any, value: Any, asset_key: AssetKey) -> tuple[Any, CheckEvaluation]:
    """Validate ``value`` against a pandera schema or model, collecting every failure.

    Returns the validated value (coerced, if the schema coerces) and the evaluation.
    """
    from pandera.errors import SchemaError, SchemaErrors

    label = schema_name(schema)
    base: dict[str, Any] = {
        "check_name": SCHEMA_CHECK_NAME,
        "asset_key": asset_key,
        "blocking": True,
        "metadata": {"schema": label},
    }
    try:
        validated = schema.validate(value, lazy=True)
    except SchemaErrors as exc:
        cases = summarize_failure_cases(exc.failure_cases)
        return value, CheckEvaluation(
            passed=False, description=_cases_text(cases), failure_cases=cases, **base
        )
    except SchemaError as exc:
        cases = summarize_failure_cases(getattr(exc, "failure_cases", None))
        return value, CheckEvaluation(
            passed=False, description=str(exc).splitlines()[0], failure_cases=cases, **base
        )
    except Exception as exc:
        text = f"cannot validate a {type(value).__name__} against {label}: {exc}"
        return value, CheckEvaluation(passed=False, description=text, **base)
    return validated, CheckEvaluation(passed=True, **base)


def schema_name(schema: Any) -> str:
    """A readable name of a pandera schema (``DataFrameSchema`` name) or model class."""
    if isinstance(schema, type):
        return schema.__name__
    return str(getattr(schema, "name", None) or type(schema).__name__)


def summarize_failure_cases(frame: Any) -> dict[str, Any]:
    """pandera's failure-case frame, per (column, check): count and a few offending values.

    Returns ``{"total": N, "cases": [{"column", "check", "count", "values", "index"}]}``;
    ``values`` and ``index`` keep at most ``MAX_FAILURE_VALUES`` entries.
    """
    if frame is None or not hasattr(frame, "groupby") or len(frame) == 0:
        return {"total": 0, "cases": []}
    cases: list[dict[str, Any]] = []
    keys = [name for name in ("column", "check") if name in frame.columns]
    for group_key, rows in frame.groupby(keys, dropna=False, sort=False):
        parts = dict(
            zip(keys, group_key if isinstance(group_key, tuple) else (group_key,), strict=True)
        )
        head = rows.head(MAX_FAILURE_VALUES)
        cases.append(
            {
                "column": _text_or_none(parts.get("column")),
                "check": _text_or_none(parts.get("check")),
                "count": len(rows),
                "values": [_json_value(v) for v in head.get("failure_case", [])],
                "index": [_json_value(v) for v in head.get("index", [])],
            }
        )
    return {"total": len(frame), "cases": cases}


def _cases_text(cases: Mapping[str, Any]) -> str:
    parts = [
        f"{case['column'] or '<frame>'}: {case['check']} "
        f"({case['count']} failing, e.g. {', '.join(repr(v) for v in case['values'])})"
        for case in cases["cases"]
    ]
    return f"{cases['total']} failure case(s): " + "; ".join(parts)


def _text_or_none(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _json_value(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):
        with contextlib.suppress(ValueError, TypeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# -- reading check results back (for status) -----------------------------------------------


class _Event(Protocol):
    """The parts of an ``EventRecord`` read here (storage is not imported by definitions)."""

    @property
    def run_id(self) -> str: ...
    @property
    def event_type(self) -> str: ...
    @property
    def timestamp(self) -> float: ...
    @property
    def asset_key(self) -> str | None: ...
    @property
    def partition_key(self) -> str | None: ...
    @property
    def payload(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class AssetCheckStatus:
    """The latest results of one check on one asset.

    ``passed`` is the latest evaluation (of every partition, for partitioned assets);
    ``failing_partitions`` lists the partitions whose latest evaluation failed.
    """

    asset_key: str
    check_name: str
    passed: bool
    blocking: bool
    run_id: str
    timestamp: float
    description: str | None
    failing_partitions: tuple[str, ...] = ()
    failure_cases: Mapping[str, Any] | None = None


def latest_check_statuses(events: Iterable[_Event]) -> dict[str, list[AssetCheckStatus]]:
    """Asset key -> the latest status of each of its checks, from ``asset_check_evaluation``
    events (any order; other events are ignored). Checks appear in first-seen order.

    A partitioned asset's check has failed while the latest evaluation of any of its
    partitions failed; ``run_id``, ``timestamp`` and ``description`` are those of the most
    recent evaluation (of a failing one, if any fails).
    """
    evaluations = sorted(
        (e for e in events if e.event_type == EVALUATION_EVENT_TYPE and e.asset_key),
        key=lambda e: e.timestamp,
    )
    per_partition: dict[tuple[str, str], dict[str | None, _Event]] = {}
    for event in evaluations:
        check = (str(event.asset_key), str(event.payload.get("check_name")))
        partitions = event.payload.get("partition_keys") or [event.partition_key]
        latest = per_partition.setdefault(check, {})
        for partition in partitions:
            latest[partition] = event
    statuses: dict[str, list[AssetCheckStatus]] = {}
    for (asset_key, check_name), latest in per_partition.items():
        failing = {p: e for p, e in latest.items() if not e.payload.get("passed")}
        shown = max((failing or latest).values(), key=lambda e: e.timestamp)
        statuses.setdefault(asset_key, []).append(
            AssetCheckStatus(
                asset_key=asset_key,
                check_name=check_name,
                passed=not failing,
                blocking=bool(shown.payload.get("blocking")),
                run_id=shown.run_id,
                timestamp=shown.timestamp,
                description=shown.payload.get("description"),
                failing_partitions=tuple(sorted(p for p in failing if p is not None)),
                failure_cases=shown.payload.get("failure_cases"),
            )
        )
    return statuses
