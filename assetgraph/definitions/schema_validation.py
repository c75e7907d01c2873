"""Validating a value against a pandera schema, collecting every failure case.

A pandera schema comes from ``@asset(schema=...)`` or from a
``pandera.typing.DataFrame[Model]`` return annotation; it is a blocking check recorded
under ``SCHEMA_CHECK_NAME``. pandera is imported only when a value is validated (and then
the user's code has imported it already).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import Any

from assetgraph.definitions.check_evaluation import CheckEvaluation
from assetgraph.definitions.checks import SCHEMA_CHECK_NAME
from assetgraph.keys import AssetKey

MAX_FAILURE_VALUES = 5
"""How many offending values a failure-case summary keeps per (column, check)."""


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
    if frame is not None and type(frame).__module__.startswith("polars"):
        frame = frame.to_pandas()  # pandera's Polars schemas report a polars frame
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
