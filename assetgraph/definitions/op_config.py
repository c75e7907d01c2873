"""Checking an op's config before a run: a ``Config`` class or Dagster's ``config_schema``.

``config_schema`` takes Dagster's shorthand: a Python type (``str``, ``int``, ``float``,
``bool``, ``list``, ``dict``, ``Any``), a list of one type (``[str]``), a dict of field
name to schema, or a field object with ``config_type`` / ``default_value`` /
``is_required`` (Dagster's ``Field``). A value that does not fit is a ``RunConfigError``
naming the op and the field, raised before any op runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assetgraph.errors import RunConfigError

_SCALARS: dict[type, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (float, int),
    bool: (bool,),
    list: (list,),
    dict: (dict,),
}
_MISSING = object()


def is_config_class(annotation: Any) -> bool:
    """Whether ``annotation`` is a ``Config`` subclass (a parameter that takes op config)."""
    return isinstance(annotation, type) and getattr(annotation, "__assetgraph_kind__", "") == (
        "config"
    )


def validate_config_class(op: str, cls: type, given: Any) -> Any:
    """An instance of the ``Config`` class ``cls`` from ``given`` (a mapping or instance)."""
    if isinstance(given, cls):
        return given
    from pydantic import ValidationError  # a Config class means pydantic is loaded already

    try:
        return cls.model_validate(dict(given or {}))  # type: ignore[attr-defined]
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc']) or '?'}': {err['msg']}"
            for err in exc.errors()
        )
        raise RunConfigError(f"Config of op '{op}' is not valid: {problems}.") from None


def validate_schema(op: str, schema: Any, given: Any) -> Any:
    """``given`` checked against ``config_schema`` ``schema``, with defaults filled in."""
    value = _check(op, "", schema, _MISSING if given is None else given)
    return None if value is _MISSING else value


def has_required_fields(schema: Any) -> bool:
    """Whether config for ``schema`` must be given (some field has no default)."""
    if _is_field(schema):
        return bool(getattr(schema, "is_required", False))
    if isinstance(schema, Mapping):
        return any(has_required_fields(sub) for sub in schema.values())
    if isinstance(schema, list) or (isinstance(schema, type) and schema in _SCALARS):
        return True
    return bool(getattr(schema, "is_required", False))  # another schema type: its own say


def _check(op: str, path: str, schema: Any, value: Any) -> Any:
    where = f"op '{op}'" + (f", field '{path}'" if path else "")
    if _is_field(schema):
        has_default, default = _field_default(schema)
        if value is _MISSING:
            if has_default:
                return default
            if getattr(schema, "is_required", True):
                raise RunConfigError(f"Config of {where} is missing: give a value in run config.")
            return _MISSING
        return _check(op, path, getattr(schema, "config_type", Any), value)
    if schema is None or schema is Any:
        return value
    if isinstance(schema, Mapping):
        return _check_dict(op, path, schema, value)
    if isinstance(schema, list) and len(schema) == 1:
        if value is _MISSING:
            raise RunConfigError(f"Config of {where} is missing: give a list in run config.")
        if not isinstance(value, list):
            raise RunConfigError(f"Config of {where} must be a list, got {type(value).__name__}.")
        return [_check(op, f"{path}[{i}]", schema[0], item) for i, item in enumerate(value)]
    if value is _MISSING:
        raise RunConfigError(f"Config of {where} is missing: give a value in run config.")
    accepted = _SCALARS.get(schema) if isinstance(schema, type) else None
    if accepted is not None:
        if not isinstance(value, accepted) or (schema is not bool and isinstance(value, bool)):
            raise RunConfigError(f"Config of {where} must be {schema.__name__}, got {value!r}.")
        return float(value) if schema is float and isinstance(value, int | float) else value
    validate = getattr(schema, "validate_value", None)  # richer schema types, when present
    return validate(op, path, value) if callable(validate) else value


def _check_dict(op: str, path: str, schema: Mapping[str, Any], value: Any) -> Any:
    where = f"op '{op}'" + (f", field '{path}'" if path else "")
    if value is _MISSING:
        value = {}
    if not isinstance(value, Mapping):
        raise RunConfigError(f"Config of {where} must be a mapping, got {value!r}.")
    unknown = sorted(set(value) - set(schema))
    if unknown:
        raise RunConfigError(
            f"Config of {where} has unknown field(s) {', '.join(repr(u) for u in unknown)} "
            f"(fields: {', '.join(schema) or 'none'})."
        )
    checked: dict[str, Any] = {}
    for name, sub in schema.items():
        sub_path = f"{path}.{name}" if path else name
        found = _check(op, sub_path, sub, value.get(name, _MISSING))
        if found is not _MISSING:
            checked[name] = found
    return checked


def _field_default(field: Any) -> tuple[bool, Any]:
    """Whether a field object has a default, and the default (Dagster's ``Field`` raises
    when asked for a default it lacks)."""
    provided = getattr(field, "default_provided", getattr(field, "has_default_value", None))
    if provided is False:
        return False, _MISSING
    try:
        default = field.default_value
    except Exception:
        return False, _MISSING
    return (provided is True or default is not None), default


def _is_field(schema: Any) -> bool:
    return hasattr(schema, "config_type") and hasattr(schema, "is_required")
