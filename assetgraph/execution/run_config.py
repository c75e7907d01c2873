"""Run config: validate a mapping of asset -> config fields against each ``Config`` model.

Two shapes are accepted: ``{"report": {"title": "monthly"}}`` and Dagster's
``{"ops": {"report": {"config": {"title": "monthly"}}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.config_schema import process_config
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
        if target.config_param is None and target.config_schema is None:
            raise RunConfigError(
                f"Run config gives fields for asset '{name}', but its function takes no Config "
                "parameter."
            )
    configs: dict[AssetsDefinition, Any] = {}
    for assets_def in assets_defs:
        if assets_def.config_param is None and assets_def.config_schema is None:
            continue
        given = [(name, value) for name, value in entries.items() if names.get(name) is assets_def]
        if assets_def.config_schema is not None:
            # Dagster's config_schema: any shape (a scalar too), defaults filled in.
            configs[assets_def] = process_config(
                assets_def.config_schema,
                given[-1][1] if given else None,
                f"asset '{assets_def.name}'",
                path=f"ops:{assets_def.name}:config",
            )
            continue
        fields: dict[str, Any] = {}
        for name, value in given:
            fields.update(_mapping(name, value))
        configs[assets_def] = _instantiate(assets_def, fields)
    return configs


def _normalize(run_config: Mapping[str, Any]) -> dict[str, Any]:
    """Asset name -> its config, as given (a ``Config`` model's must be a mapping; a
    ``config_schema`` may be a scalar)."""
    entries: dict[str, Any] = {}
    for name, value in run_config.items():
        if name == "resources" and isinstance(value, Mapping):
            continue  # Dagster's resource config: read when resources are set up
        if name == "execution":
            continue  # Dagster's executor section: recorded with the run, not asset config
        if name == "loggers":
            continue  # Dagster's loggers section: read when the run's loggers are built
        if name == "ops" and isinstance(value, Mapping):
            for op_name, op_value in value.items():
                config = op_value.get("config", {}) if isinstance(op_value, Mapping) else op_value
                entries[op_name] = config
        else:
            entries[name] = value
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


def with_run_config(
    resources: Mapping[str, Any], run_config: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``resources`` with Dagster's run config for them applied: ``resources: {name:
    {config: {...}}}`` configures a ``@resource`` (``ResourceDefinition.configured``) or
    completes a resource configured at launch (``configure_at_launch()``), which then
    replaces it where another resource holds it as a field. Config for a resource that
    takes none, or that does not exist, is an error; so is a resource configured at launch
    that run config leaves out."""
    section = (run_config or {}).get("resources") or {}
    if not isinstance(section, Mapping):
        raise RunConfigError(
            f"Run config 'resources' must map resource names to {{config: ...}}, got "
            f"{type(section).__name__}."
        )
    configured = dict(resources)
    for name, entry in section.items():
        if name not in resources:
            raise RunConfigError(
                f"Run config configures resource '{name}', which Definitions does not "
                "provide." + did_you_mean(str(name), resources)
            )
        config = entry.get("config") if isinstance(entry, Mapping) else None
        resource = resources[name]
        if hasattr(type(resource), "model_fields") and isinstance(config, Mapping):
            # a ConfigurableResource: run config overrides its fields, as in Dagster
            fields = {field: getattr(resource, field) for field in type(resource).model_fields}
            configured[name] = _rebuilt(name, resource, {**fields, **config})
            continue
        if not callable(getattr(resource, "configured", None)) or not hasattr(
            resource, "config_schema"
        ):
            raise RunConfigError(
                f"Run config configures resource '{name}' ({type(resource).__name__}), which "
                "takes no run config: set its fields where Definitions(resources=...) builds "
                "it (EnvVar for values the environment decides)."
            )
        configured[name] = resource.configured(config if config is not None else {})
    launched = {id(resources[name]): configured[name] for name in section}
    for name, resource in resources.items():
        if type(resource).__name__ == "PartialResource" and name not in section:
            raise RunConfigError(
                f"Resource '{name}' ({resource!r}) is configured at launch: give its fields in "
                f"run config resources: {{{name}: {{config: {{...}}}}}}."
            )
        partials = getattr(resource, "_partials", None)
        if partials:
            fields = {field: getattr(resource, field) for field in type(resource).model_fields}
            for field, partial in partials.items():
                if id(partial) not in launched:
                    raise RunConfigError(
                        f"Resource '{name}': field '{field}' is {partial!r}, which no "
                        "top-level resource configured by run config is: register it in "
                        "Definitions(resources=...) and configure it in run config."
                    )
                fields[field] = launched[id(partial)]
            configured[name] = _rebuilt(name, resource, fields)
    return configured


def _rebuilt(name: str, resource: Any, fields: Mapping[str, Any]) -> Any:
    from pydantic import ValidationError

    try:
        return type(resource)(**fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors()
        )
        raise RunConfigError(
            f"Run config for resource '{name}' ({type(resource).__name__}): {problems}."
        ) from None
