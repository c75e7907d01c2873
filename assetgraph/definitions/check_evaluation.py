"""Running asset checks: a check function (or the results an asset yields) -> evaluations.

A ``CheckEvaluation`` is what one check found on one value; turning evaluations into
events and step failures is the executor's job. A check that raises, or returns
something other than an ``AssetCheckResult`` or a bool, has failed.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assetgraph.definitions.check_specs import AssetCheckSpec
from assetgraph.definitions.checks import (
    SCHEMA_CHECK_NAME,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
)
from assetgraph.definitions.metadata import normalize_metadata
from assetgraph.errors import USER_CODE_FAILURES
from assetgraph.keys import AssetKey


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
    kwargs.update(check_resources(check, context))
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


def check_resources(check: AssetChecksDefinition, context: Any) -> dict[str, Any]:
    """The resources a check's parameters name, from the run's (set up on first use)."""
    run_resources = getattr(context, "resources", None)
    return {param: getattr(run_resources, param) for param in check.resource_params}


def evaluate_multi_check(
    check: AssetChecksDefinition, context: Any = None
) -> list[CheckEvaluation]:
    """Run a ``@multi_asset_check``: one evaluation per spec.

    A function that raises fails every spec; a missing or unknown result is a failed
    evaluation carrying an error (so the step fails, as in Dagster).
    """
    kwargs = {} if check.context_param is None else {check.context_param: context}
    kwargs.update(check_resources(check, context))
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
