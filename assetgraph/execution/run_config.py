"""Run config: validate a mapping of asset -> config fields against each ``Config`` model.

Two shapes are accepted: ``{"report": {"title": "monthly"}}`` and Dagster's
``{"ops": {"report": {"config": {"title": "monthly"}}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assetgraph.assets import AssetsDefinition
from assetgraph.errors import RunConfigError, UsageError, did_you_mean
from assetgraph.graph import AssetGraph


def load_run_config_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML or JSON run config file."""
    import yaml

    file = Path(path)
    if not file.is_file():
        raise UsageError(f"Run config file '{file}' does not exist.")
    try:
        loaded = yaml.safe_load(file.read_text()) or {}
    except yaml.YAMLError as exc:
        raise RunConfigError(f"Run config file '{file}' is not valid YAML/JSON: {exc}") from exc
    if not isinstance(loaded, dict):
        raise RunConfigError(
            f"Run config file '{file}' must hold a mapping of asset key -> config fields, "
            f"got {type(loaded).__name__}."
        )
    return loaded


def resolve_run_config(
    graph: AssetGraph, assets_defs: Sequence[AssetsDefinition], run_config: Mapping[str, Any] | None
) -> dict[AssetsDefinition, Any]:
    """Build each planned asset's ``Config`` object, or raise a ``RunConfigError``.

    Names in run config must be assets of the code location (nearest names suggested);
    config for an asset outside the plan is ignored.
    """
    entries = _normalize(run_config or {})
    names: dict[str, AssetsDefinition] = {}
    for assets_def in graph.assets_defs:
        names[assets_def.step_name] = assets_def
        names[assets_def.name] = assets_def
        for key in assets_def.keys:
            names[key.to_string()] = assets_def
    for name in entries:
        if name not in names:
            raise RunConfigError(
                f"Run config names '{name}', which is not an asset in this code location."
                + did_you_mean(name, names)
            )
        target = names[name]
        if target.config_param is None:
            raise RunConfigError(
                f"Run config gives fields for asset '{name}', but its function takes no Config "
                "parameter."
            )
    configs: dict[AssetsDefinition, Any] = {}
    for assets_def in assets_defs:
        if assets_def.config_param is None:
            continue
        fields: dict[str, Any] = {}
        for name, value in entries.items():
            if names[name] is assets_def:
                fields.update(value)
        configs[assets_def] = _instantiate(assets_def, fields)
    return configs


def _normalize(run_config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for name, value in run_config.items():
        if name == "ops" and isinstance(value, Mapping):
            for op_name, op_value in value.items():
                config = op_value.get("config", {}) if isinstance(op_value, Mapping) else op_value
                entries[op_name] = _mapping(op_name, config)
        else:
            entries[name] = _mapping(name, value)
    return entries


def _mapping(name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RunConfigError(
            f"Run config for asset '{name}' must be a mapping of field -> value, "
            f"got {type(value).__name__} {value!r}."
        )
    return dict(value)


def _instantiate(assets_def: AssetsDefinition, fields: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    assert assets_def.config_param is not None
    param, config_class = assets_def.config_param
    try:
        return config_class(**fields)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or param
            given = f" (got {error['input']!r})" if error["type"] != "missing" else ""
            problems.append(f"field '{field}': {error['msg']}{given}")
        raise RunConfigError(
            f"Invalid run config for asset '{assets_def.name}' ({config_class.__name__}): "
            + "; ".join(problems)
            + "."
        ) from None
