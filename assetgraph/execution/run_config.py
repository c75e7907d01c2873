"""Run config: validate a mapping of asset -> config fields against each ``Config`` model.

Two shapes are accepted: ``{"report": {"title": "monthly"}}`` and Dagster's
``{"ops": {"report": {"config": {"title": "monthly"}}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.errors import RunConfigError, UsageError, did_you_mean
from assetgraph.graph import AssetGraph

MAX_RUN_CONFIG_BYTES = 10 * 1024 * 1024
"""The largest run config file read: run config holds settings, not data."""
MAX_RUN_CONFIG_VALUES = 1_000_000
"""The most values a run config file may hold once its YAML aliases are expanded, so that a
"billion laughs" file (a few lines of aliases of aliases) is refused instead of expanded."""


def load_run_config_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML or JSON run config file (at most 10 MB and 1,000,000 values)."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"Run config file '{file}' does not exist.")
    if file.stat().st_size > MAX_RUN_CONFIG_BYTES:
        raise RunConfigError(
            f"Run config file '{file}' is larger than {MAX_RUN_CONFIG_BYTES // 2**20} MB: run "
            "config holds settings, not data; read large inputs from an asset or a resource."
        )
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RunConfigError(
            f"Run config file '{file}' is not a text file (byte {exc.start} is not UTF-8): "
            "give a YAML or JSON file."
        ) from None
    return parse_run_config_text(text, f"Run config file '{file}'")


def parse_run_config_text(text: str, source: str = "Run config") -> dict[str, Any]:
    """Parse run config written as YAML or JSON (at most 1,000,000 values once YAML aliases
    are expanded); ``source`` names where it came from in error messages."""
    import yaml

    if len(text.encode("utf-8")) > MAX_RUN_CONFIG_BYTES:
        raise RunConfigError(
            f"{source} is larger than {MAX_RUN_CONFIG_BYTES // 2**20} MB: run config holds "
            "settings, not data; read large inputs from an asset or a resource."
        )
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expanded_size(node, source)
        loaded = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        reason = " ".join(str(exc).split())
        raise RunConfigError(f"{source} is not valid YAML/JSON: {reason}") from exc
    except RecursionError:
        raise RunConfigError(f"{source} is nested too deeply to read: flatten it.") from None
    finally:
        loader.dispose()
    loaded = loaded or {}
    if not isinstance(loaded, dict):
        raise RunConfigError(
            f"{source} must hold a mapping of asset key -> config fields, "
            f"got {type(loaded).__name__}."
        )
    return loaded


def _check_expanded_size(root: Any, source: str) -> None:
    """Count the values of a composed YAML document as if every alias were written out
    (each node once, sizes memoized, so the count costs no more than the file), and refuse
    a document over ``MAX_RUN_CONFIG_VALUES`` or one whose alias sits inside its own anchor."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _yaml_children(node)
        if finished:
            on_path.discard(id(node))
            sizes[id(node)] = size = 1 + sum(sizes[id(child)] for child in children)
            if size > MAX_RUN_CONFIG_VALUES:
                raise RunConfigError(
                    f"{source} holds more than {MAX_RUN_CONFIG_VALUES:,} values "
                    "once its YAML aliases (*name) are expanded: refusing to expand it; write "
                    "the config out with fewer aliases."
                )
            continue
        if id(node) in sizes:
            continue
        if id(node) in on_path:
            raise RunConfigError(
                f"{source} uses a YAML alias inside its own anchor (a structure "
                "that contains itself): write the config out without it."
            )
        on_path.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _yaml_children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def run_config_mapping(run_config: Any) -> dict[str, Any] | None:
    """Run config as a plain mapping: from a mapping, or from Dagster's ``RunConfig``."""
    if run_config is None:
        return None
    to_dict = getattr(run_config, "to_config_dict", None)
    if callable(to_dict):
        run_config = to_dict()
    if not isinstance(run_config, Mapping):
        raise RunConfigError(
            f"run_config must be a mapping of asset name -> config, or a RunConfig; got "
            f"{type(run_config).__name__}."
        )
    return dict(run_config)


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
    # Ops of @graph_asset definitions read their config themselves (definitions/ops.py).
    op_names = {op for a in graph.assets_defs for op in getattr(a, "op_names", ())}
    for name in entries:
        if name in op_names and name not in names:
            continue
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
            if names.get(name) is assets_def:
                fields.update(value)
        configs[assets_def] = _instantiate(assets_def, fields)
    return configs


_NOT_ASSETS = frozenset({"execution"})


def _normalize(run_config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for name, value in run_config.items():
        if name in _NOT_ASSETS:
            continue  # Dagster's executor section: recorded with the run, not asset config
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
