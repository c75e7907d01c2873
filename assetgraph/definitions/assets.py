"""``@asset``: from a function's signature to its lineage.

Each parameter of an asset function names an upstream asset, except ``context``, a
parameter annotated with a ``ConfigurableResource`` subclass (a resource), and one
annotated with a ``Config`` subclass (run config). Upstream names are resolved to keys
later, by the asset graph, which knows every asset.
"""

from __future__ import annotations

import builtins
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, overload

from assetgraph.definitions.backfill import BackfillPolicy
from assetgraph.definitions.resource_params import resource_param_type
from assetgraph.definitions.schemas import is_pandera_schema, schema_from_annotation
from assetgraph.definitions.specs import as_asset_deps, kind_tags
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.versions.code import source_code_version

if TYPE_CHECKING:
    from assetgraph.definitions.automation_condition import AutomationCondition
    from assetgraph.definitions.policies import AutomationPolicy, FreshnessPolicy
    from assetgraph.definitions.retry import RetryPolicy
    from assetgraph.partitions.definitions import PartitionsDefinition

DEFAULT_GROUP = "default"
DEFAULT_IO_MANAGER_KEY = "io_manager"
CONTEXT_PARAM = "context"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True, init=False)
class AssetIn:
    """Tunes one input: which asset a parameter reads (``key``) and how."""

    key: AssetKey | None
    key_prefix: tuple[str, ...]
    partition_mapping: Any
    metadata: Mapping[str, Any]

    def __init__(
        self,
        key: CoercibleToAssetKey | None = None,
        *,
        key_prefix: str | Sequence[str] | None = None,
        partition_mapping: Any = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "key", None if key is None else AssetKey.from_user(key))
        object.__setattr__(self, "key_prefix", _as_prefix(key_prefix))
        object.__setattr__(self, "partition_mapping", partition_mapping)
        object.__setattr__(self, "metadata", dict(metadata or {}))


@dataclass(frozen=True, slots=True)
class AssetOut:
    """One output of a ``@multi_asset``; unset fields default to the multi-asset's own.

    Dagster's fields keep Dagster's meaning: ``group_name`` (or ``group``), ``kinds``
    (recorded as ``dagster/kind/<kind>`` tags), ``is_required=False`` (the function may
    leave the output out; nothing is stored for it then), ``dagster_type`` (accepted and
    not checked: use ``schema`` for validation).
    """

    key: CoercibleToAssetKey | None = None
    key_prefix: str | Sequence[str] | None = None
    group: str | None = None
    group_name: str | None = None
    dagster_type: Any = None
    is_required: bool = True
    kinds: Iterable[str] | None = None
    tags: Mapping[str, str] | None = None
    description: str | None = None
    metadata: Mapping[str, Any] | None = None
    owners: Sequence[str] | None = None
    code_version: str | None = None
    io_manager_key: str | None = None
    schema: Any = None
    freshness_policy: FreshnessPolicy | None = None
    automation_policy: AutomationPolicy | None = None
    automation_condition: AutomationCondition | None = None


@dataclass(frozen=True, slots=True)
class AssetOutputSpec:
    """Everything declared about one asset key."""

    key: AssetKey
    output_name: str
    group: str = DEFAULT_GROUP
    tags: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    owners: tuple[str, ...] = ()
    code_version: str | None = None
    io_manager_key: str = DEFAULT_IO_MANAGER_KEY
    schema: Any = field(default=None, compare=False)
    """A pandera schema or model the value must satisfy before it is stored."""
    freshness_policy: FreshnessPolicy | None = None
    automation_policy: AutomationPolicy | None = None
    automation_condition: AutomationCondition | None = None
    is_required: bool = True
    """False: a multi-asset may leave this output out (Dagster's ``is_required``/``skippable``)."""


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One upstream of an asset function, before its key is resolved.

    ``param`` is None for ordering-only ``deps``. ``name`` is the key to resolve (relative
    to the asset's own prefix first) unless ``key`` is given explicitly.
    """

    param: str | None
    name: AssetKey
    key: AssetKey | None = None
    partition_mapping: Any = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


class AssetsDefinition:
    """A function that materializes one or more assets, with what it reads.

    Made by ``@asset`` and ``@multi_asset``; call it like the function for unit tests.
    """

    def __init__(
        self,
        *,
        fn: Callable[..., Any],
        name: str,
        specs: Sequence[AssetOutputSpec],
        inputs: Sequence[InputSpec],
        context_param: str | None,
        resource_params: Mapping[str, type],
        config_param: tuple[str, type] | None,
        partitions_def: PartitionsDefinition | None = None,
        backfill_policy: BackfillPolicy | None = None,
    ) -> None:
        self.fn = fn
        self.name = name
        self.specs = tuple(specs)
        self.inputs = tuple(inputs)
        self.context_param = context_param
        self.resource_params = dict(resource_params)
        self.config_param = config_param
        self.partitions_def = partitions_def
        self.backfill_policy = backfill_policy
        self.retry_policy: RetryPolicy | None = None
        self.pool: str | None = None
        self.required_resource_keys: frozenset[str] = frozenset()
        self.compute_kind: str | None = None
        self.check_specs: tuple[Any, ...] = ()
        """``AssetCheckSpec``s whose results the function yields or returns."""
        self.can_subset = False
        """A multi-asset that can build any subset of its keys (``can_subset=True``)."""
        self.internal_deps: Mapping[AssetKey, frozenset[AssetKey]] = {}
        """Key -> the upstream keys it depends on, for keys that depend on fewer than all."""
        self.outputs_from_specs = False
        """Outputs declared by ``AssetSpec``: one the function returns nothing for is None."""
        self._spec_by_key = {spec.key: spec for spec in self.specs}
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    @property
    def keys(self) -> tuple[AssetKey, ...]:
        """The asset keys this definition materializes, in output order."""
        return tuple(spec.key for spec in self.specs)

    @property
    def key(self) -> AssetKey:
        """The only key of a single-asset definition."""
        if len(self.specs) != 1:
            raise DefinitionError(
                f"'{self.name}' materializes {len(self.specs)} assets; use .keys instead of .key."
            )
        return self.specs[0].key

    @property
    def is_multi(self) -> bool:
        return len(self.specs) > 1 or self.specs[0].output_name != "result"

    @property
    def step_name(self) -> str:
        """The name of the step that runs this function: the key, or the multi-asset's name."""
        return self.name if self.is_multi else self.specs[0].key.to_string()

    def spec(self, key: AssetKey) -> AssetOutputSpec:
        return self._spec_by_key[key]

    def code_version(self, key: AssetKey) -> str:
        """The declared code version of ``key``, else a hash of the function's source."""
        declared = self._spec_by_key[key].code_version
        return declared if declared is not None else source_code_version(self.fn)

    @property
    def source_location(self) -> str:
        """``file:line`` of the function, for messages."""
        return source_location(self.fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the function directly (a unit test), as Dagster's asset definitions allow.

        A context from ``build_asset_context()``, passed first or as the context
        parameter, learns this definition's keys and partitions definition.
        """
        context = args[0] if args else kwargs.get(self.context_param or CONTEXT_PARAM)
        bind = getattr(context, "bind_to", None)
        if self.context_param is not None and callable(bind):
            bind(self)
        return self.fn(*args, **kwargs)

    def __reduce__(self) -> Any:
        """By reference when it is a module attribute (see ``assetgraph.definitions.pickling``)."""
        from assetgraph.definitions.pickling import reduce_by_reference, reduce_by_value

        return reduce_by_reference(self, self.fn) or reduce_by_value(self)

    def __repr__(self) -> str:
        keys = ", ".join(key.to_string() for key in self.keys)
        return f"<AssetsDefinition {self.name}: {keys}>"


@overload
def asset(fn: F, /) -> AssetsDefinition: ...


@overload
def asset(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group: str | None = None,
    group_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    owners: Sequence[str] | None = None,
    code_version: str | None = None,
    io_manager_key: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
    schema: Any = None,
    retry_policy: RetryPolicy | None = None,
    pool: str | None = None,
    freshness_policy: FreshnessPolicy | None = None,
    automation_policy: AutomationPolicy | None = None,
    automation_condition: AutomationCondition | None = None,
    # Dagster names: see assetgraph.automation.legacy and Definitions.
    required_resource_keys: Iterable[str] | None = None,
    auto_materialize_policy: Any = None,
    # Dagster names: the full key, kinds, and the checks the asset reports.
    key: CoercibleToAssetKey | None = None,
    compute_kind: str | None = None,
    kinds: Iterable[str] | None = None,
    check_specs: Sequence[Any] | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]: ...


def asset(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group: str | None = None,
    group_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    owners: Sequence[str] | None = None,
    code_version: str | None = None,
    io_manager_key: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
    schema: Any = None,
    retry_policy: RetryPolicy | None = None,
    pool: str | None = None,
    freshness_policy: FreshnessPolicy | None = None,
    automation_policy: AutomationPolicy | None = None,
    automation_condition: AutomationCondition | None = None,
    # Dagster names: see assetgraph.automation.legacy and Definitions.
    required_resource_keys: Iterable[str] | None = None,
    auto_materialize_policy: Any = None,
    # Dagster names: the full key, kinds, and the checks the asset reports.
    key: CoercibleToAssetKey | None = None,
    compute_kind: str | None = None,
    kinds: Iterable[str] | None = None,
    check_specs: Sequence[Any] | None = None,
) -> AssetsDefinition | Callable[[Callable[..., Any]], AssetsDefinition]:
    """Declare a function as the definition of one asset.

    The asset key is ``key_prefix + (name or the function's name)``. Parameters name the
    upstream assets (see the module docstring); ``ins`` renames or tunes them and ``deps``
    adds upstreams that are only ordered before this one, not loaded. ``group_name`` is
    accepted as Dagster's spelling of ``group``. ``partitions_def`` splits the asset into
    partitions; ``backfill_policy`` says how many of them one step materializes.
    ``schema`` (a pandera ``DataFrameSchema`` or ``DataFrameModel``; by default the model
    of a ``pandera.typing.DataFrame[Model]`` return annotation) is validated before the
    value is stored. ``retry_policy`` retries a failed step; ``pool`` names a concurrency
    pool whose limit (``Definitions(pools={...})``) caps how many of its steps run at
    once, across runs. ``freshness_policy`` bounds how old the asset's data may be and
    ``automation_policy`` (assetgraph's) or ``automation_condition`` (Dagster's
    ``AutomationCondition``) says when ``assetgraph automate`` builds it.
    """

    def decorate(func: Callable[..., Any]) -> AssetsDefinition:
        _check_callable(func, "@asset")
        asset_key = _full_key(key, name, key_prefix, func)
        asset_name = asset_key.name if key is not None else (name or func.__name__)
        _check_policies(asset_name, freshness_policy, automation_policy)
        _check_condition(asset_name, automation_condition, automation_policy)
        legacy_policy = _legacy_policy(auto_materialize_policy, asset_name)
        spec = AssetOutputSpec(
            key=asset_key,
            output_name="result",
            group=_check_group(group or group_name, asset_name),
            tags={
                **_check_tags(tags, asset_name),
                **_kind_tags(kinds, compute_kind, asset_name),
            },
            description=description if description is not None else _docstring(func),
            metadata=dict(metadata or {}),
            owners=tuple(owners or ()),
            code_version=code_version,
            io_manager_key=io_manager_key or DEFAULT_IO_MANAGER_KEY,
            schema=(
                _check_schema(schema, asset_name) if schema is not None else _annotated_schema(func)
            ),
            freshness_policy=freshness_policy,
            automation_policy=automation_policy or legacy_policy,
            automation_condition=automation_condition,
        )
        built = _build(func, asset_name, [spec], ins, deps, partitions_def, backfill_policy)
        built = _with_step_options(built, retry_policy, pool)
        built.required_resource_keys = _check_resource_keys(required_resource_keys, asset_name)
        built.compute_kind = compute_kind
        built.check_specs = _check_own_check_specs(check_specs, built)
        return built

    if fn is not None:
        return decorate(fn)
    return decorate


def _full_key(
    key: CoercibleToAssetKey | None,
    name: str | None,
    key_prefix: str | Sequence[str] | None,
    func: Callable[..., Any],
) -> AssetKey:
    """``key`` when given (exclusive with ``name``/``key_prefix``, as in Dagster)."""
    if key is None:
        return AssetKey((*_as_prefix(key_prefix), name or func.__name__))
    if name is not None or key_prefix is not None:
        raise DefinitionError(
            f"Asset '{func.__name__}' ({source_location(func)}): Cannot specify a name or key "
            "prefix for @asset when the key argument is provided."
        )
    return AssetKey.from_user(key)


def _kind_tags(
    kinds: Iterable[str] | None, compute_kind: str | None, asset_name: str
) -> dict[str, str]:
    """The ``dagster/kind/...`` tags of ``kinds`` (at most three, as Dagster allows)."""
    if compute_kind is not None and kinds:
        raise DefinitionError(
            f"Asset '{asset_name}': Cannot specify compute_kind and kinds on the @asset decorator."
        )
    if compute_kind is not None and not isinstance(compute_kind, str):
        raise DefinitionError(f"Asset '{asset_name}': compute_kind must be a string.")
    if isinstance(kinds, str):
        kinds = [kinds]
    names = list(dict.fromkeys(kinds or ()))
    if len(names) > 3:
        raise DefinitionError(
            f"Asset '{asset_name}': Assets can have at most three kinds currently "
            f"(got {', '.join(map(str, names))})."
        )
    if not all(isinstance(kind, str) and kind for kind in names):
        raise DefinitionError(f"Asset '{asset_name}': each of kinds must be a non-empty string.")
    # compute_kind is also shown as a kind, as @multi_asset records it.
    return kind_tags(names or ([compute_kind] if compute_kind else []))


def _check_own_check_specs(specs: Sequence[Any] | None, built: AssetsDefinition) -> tuple[Any, ...]:
    """``check_specs`` of an asset: each an ``AssetCheckSpec`` on one of its keys, names unique."""
    if not specs:
        return ()
    from assetgraph.definitions.check_specs import AssetCheckSpec

    seen: set[str] = set()
    for spec in specs:
        if not isinstance(spec, AssetCheckSpec):
            raise DefinitionError(
                f"Asset '{built.name}': check_specs must hold AssetCheckSpec objects, got "
                f"{type(spec).__name__}."
            )
        if spec.asset_key not in built.keys:
            raise DefinitionError(
                f"Asset '{built.name}': check spec '{spec.name}' is on asset '{spec.asset_key}', "
                f"which this definition does not materialize "
                f"({', '.join(k.to_string() for k in built.keys)})."
            )
        if spec.check_key in seen:
            raise DefinitionError(
                f"Asset '{built.name}': check spec '{spec.check_key}' given twice."
            )
        seen.add(spec.check_key)
    return tuple(specs)


def _build(
    func: Callable[..., Any],
    name: str,
    specs: Sequence[AssetOutputSpec],
    ins: Mapping[str, AssetIn] | None,
    deps: Iterable[Any] | None,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
) -> AssetsDefinition:
    _check_partitioning(name, func, partitions_def, backfill_policy)
    ins = dict(ins or {})
    params = cached_signature(func, name).parameters
    unknown_ins = sorted(set(ins) - set(params))
    if unknown_ins:
        raise DefinitionError(
            f"Asset '{name}' ({source_location(func)}): ins={{...}} names "
            f"{', '.join(repr(p) for p in unknown_ins)}, which "
            f"{'is not a parameter' if len(unknown_ins) == 1 else 'are not parameters'} "
            f"of the function. Parameters: {', '.join(params) or 'none'}."
        )
    context_param: str | None = None
    resource_params: dict[str, type] = {}
    config_param: tuple[str, type] | None = None
    inputs: list[InputSpec] = []
    for param in params.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            star = "*" if param.kind is param.VAR_POSITIONAL else "**"
            raise DefinitionError(
                f"Asset '{name}' ({source_location(func)}) takes {star}{param.name}: asset "
                "functions must name each upstream asset as its own parameter."
            )
        if param.kind is param.POSITIONAL_ONLY:
            raise DefinitionError(
                f"Asset '{name}' ({source_location(func)}): parameter '{param.name}' is "
                "positional-only; assets receive their inputs by name, so drop the '/'."
            )
        kind = getattr(param.annotation, "__assetgraph_kind__", None)
        if param.name in ins:
            asset_in = ins[param.name]
            if not isinstance(asset_in, AssetIn):
                raise DefinitionError(
                    f"Asset '{name}': ins['{param.name}'] must be an AssetIn, "
                    f"got {type(asset_in).__name__}."
                )
            inputs.append(
                InputSpec(
                    param=param.name,
                    name=AssetKey((*asset_in.key_prefix, param.name)),
                    key=asset_in.key,
                    partition_mapping=asset_in.partition_mapping,
                    metadata=asset_in.metadata,
                )
            )
        elif param.name == CONTEXT_PARAM or kind == "context":
            context_param = param.name
        elif (plain_resource := resource_param_type(param.annotation)) is not None:
            resource_params[param.name] = plain_resource
        elif kind == "resource":
            resource_params[param.name] = param.annotation
        elif kind == "config":
            if config_param is not None:
                raise DefinitionError(
                    f"Asset '{name}' has two Config parameters ('{config_param[0]}' and "
                    f"'{param.name}'); merge them into one Config class."
                )
            config_param = (param.name, param.annotation)
        else:
            inputs.append(InputSpec(param=param.name, name=_param_key(param.name, name, func)))
    for dep in as_asset_deps(deps, f"Asset '{name}' ({source_location(func)}): deps=[...]"):
        key = dep.asset_key
        explicit = key if len(key.path) > 1 else None  # a bare name resolves like a parameter
        inputs.append(
            InputSpec(param=None, name=key, key=explicit, partition_mapping=dep.partition_mapping)
        )
    return AssetsDefinition(
        fn=func,
        name=name,
        specs=specs,
        inputs=inputs,
        context_param=context_param,
        resource_params=resource_params,
        config_param=config_param,
        partitions_def=partitions_def,
        backfill_policy=backfill_policy,
    )


def _with_step_options(
    built: AssetsDefinition, retry_policy: object, pool: object
) -> AssetsDefinition:
    """Attach how the step runs: its retry policy and its concurrency pool."""
    from assetgraph.definitions.retry import RetryPolicy

    if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
        raise DefinitionError(
            f"Asset '{built.name}': retry_policy must be a RetryPolicy, got "
            f"{type(retry_policy).__name__}."
        )
    if pool is not None and (not isinstance(pool, str) or not pool.strip()):
        raise DefinitionError(f"Asset '{built.name}': pool must be a non-empty name, got {pool!r}.")
    built.retry_policy = retry_policy
    built.pool = pool
    return built


def _check_resource_keys(keys: Iterable[str] | None, asset_name: str) -> frozenset[str]:
    """Dagster's ``required_resource_keys``: resources the asset reads from its context."""
    if keys is None:
        return frozenset()
    if isinstance(keys, str) or not all(isinstance(k, str) and k for k in keys):
        raise DefinitionError(
            f"Asset '{asset_name}': required_resource_keys must be a set of resource names, "
            f"such as {{'db'}}; got {keys!r}."
        )
    return frozenset(keys)


def _legacy_policy(policy: object, asset_name: str) -> AutomationPolicy | None:
    """Dagster's ``auto_materialize_policy=``, mapped to an automation policy (warns)."""
    if policy is None:
        return None
    from assetgraph.automation.legacy import automation_policy_for

    return automation_policy_for(policy, asset_name)


def _check_condition(name: str, condition: object, policy: object) -> None:
    if condition is None:
        return
    from assetgraph.definitions.automation_condition import check_automation_condition

    check_automation_condition(name, condition, policy)


def _check_policies(name: str, freshness: object, automation: object) -> None:
    if freshness is None and automation is None:
        return
    from assetgraph.definitions.policies import check_policies

    check_policies(name, freshness, automation)


def _check_partitioning(
    name: str,
    func: Callable[..., Any],
    partitions_def: object,
    backfill_policy: object,
) -> None:
    from assetgraph.partitions.definitions import PartitionsDefinition

    if partitions_def is not None and not isinstance(partitions_def, PartitionsDefinition):
        raise DefinitionError(
            f"Asset '{name}' ({source_location(func)}): partitions_def must be a partitions "
            f"definition such as DailyPartitionsDefinition(...), got "
            f"{type(partitions_def).__name__}."
        )
    if backfill_policy is not None and not isinstance(backfill_policy, BackfillPolicy):
        raise DefinitionError(
            f"Asset '{name}': backfill_policy must be a BackfillPolicy, got "
            f"{type(backfill_policy).__name__}."
        )


_SIGNATURES: dict[object, inspect.Signature] = {}
"""Signatures by what determines them, so assets made by one factory read theirs once."""


def cached_signature(func: Callable[..., Any], name: str) -> inspect.Signature:
    """The signature of ``func`` (asset ``name``), read once per code object."""
    key = _signature_key(func)
    cached = _SIGNATURES.get(key) if key is not None else None
    if cached is None:
        cached = _read_signature(func, name)
        if key is not None:
            _SIGNATURES[key] = cached
    return cached


def _signature_key(func: Callable[..., Any]) -> object | None:
    """What a plain function's signature depends on, or None (not cached) if unhashable."""
    code = getattr(func, "__code__", None)
    if code is None or inspect.unwrap(func) is not func:
        return None
    try:
        key = (
            code,
            func.__defaults__,
            tuple(sorted((func.__kwdefaults__ or {}).items())),
            tuple(sorted(func.__annotations__.items())),
            id(func.__globals__),
        )
        hash(key)
    except (TypeError, AttributeError):
        return None
    return key


def _read_signature(func: Callable[..., Any], name: str) -> inspect.Signature:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError) as exc:
        raise DefinitionError(f"Asset '{name}': cannot read its signature: {exc}") from exc
    namespace = getattr(inspect.unwrap(func), "__globals__", {})
    params = [
        param.replace(annotation=_resolve_annotation(param.annotation, namespace))
        if isinstance(param.annotation, str)
        else param
        for param in signature.parameters.values()
    ]
    return signature.replace(parameters=params)


_DOTTED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _resolve_annotation(text: str, namespace: Mapping[str, Any]) -> Any:
    """The object a string annotation names (``from __future__ import annotations``).

    Dotted names are looked up directly, which is far cheaper than ``eval``; anything else
    is evaluated; an annotation that cannot be resolved stays a string (a plain upstream).
    """
    if _DOTTED_NAME.match(text):
        head, *rest = text.split(".")
        if head in namespace:
            value = namespace[head]
        elif hasattr(builtins, head):
            value = getattr(builtins, head)
        else:
            return text
        for part in rest:
            value = getattr(value, part, None)
            if value is None:
                return text
        return value
    try:
        return eval(text, dict(namespace))
    except Exception:
        return text


def _param_key(param: str, asset_name: str, func: Callable[..., Any]) -> AssetKey:
    try:
        return AssetKey((param,))
    except DefinitionError as exc:  # pragma: no cover - Python identifiers are valid key parts
        raise DefinitionError(f"Asset '{asset_name}' ({source_location(func)}): {exc}") from exc


def _check_callable(func: object, decorator: str) -> None:
    if not callable(func):
        raise DefinitionError(
            f"{decorator} must decorate a function, got {type(func).__name__} {func!r}."
        )


def _check_schema(schema: Any, asset_name: str) -> Any:
    if schema is None:
        return None
    if not is_pandera_schema(schema):
        raise DefinitionError(
            f"Asset '{asset_name}': schema= must be a pandera DataFrameSchema or a "
            f"DataFrameModel class, got {type(schema).__name__} {schema!r}."
        )
    return schema


def _annotated_schema(func: Callable[..., Any]) -> Any:
    """The model of a ``pandera.typing.DataFrame[Model]`` return annotation, else None."""
    annotation = getattr(inspect.unwrap(func), "__annotations__", {}).get("return")
    if annotation is None or "pandera" not in sys.modules:
        return None  # a pandera annotation means the user's module imported pandera
    if isinstance(annotation, str):
        if "DataFrame[" not in annotation:
            return None
        namespace = getattr(inspect.unwrap(func), "__globals__", {})
        annotation = _resolve_annotation(annotation, namespace)
    return schema_from_annotation(annotation)


def _check_group(group: str | None, asset_name: str) -> str:
    group = group or DEFAULT_GROUP
    if not isinstance(group, str) or not group.replace("_", "").replace("-", "").isalnum():
        raise DefinitionError(
            f"Asset '{asset_name}': invalid group name {group!r}; use letters, digits, '_' and '-'."
        )
    return group


def _check_tags(tags: Mapping[str, str] | None, asset_name: str) -> dict[str, str]:
    checked: dict[str, str] = {}
    for tag_key, tag_value in (tags or {}).items():
        if not isinstance(tag_key, str) or not isinstance(tag_value, str):
            raise DefinitionError(
                f"Asset '{asset_name}': tag {tag_key!r}: {tag_value!r} must map a string to a "
                "string."
            )
        checked[tag_key] = tag_value
    return checked


def _as_prefix(prefix: str | Sequence[str] | None) -> tuple[str, ...]:
    if prefix is None:
        return ()
    if isinstance(prefix, str):
        return tuple(prefix.split("/"))
    return tuple(prefix)


def _docstring(func: Callable[..., Any]) -> str | None:
    doc = inspect.getdoc(func)
    return doc or None


def source_location(func: Callable[..., Any]) -> str:
    """``file:line`` where ``func`` is defined, or its qualified name when unknown."""
    code = getattr(inspect.unwrap(func), "__code__", None)
    if code is None:
        return getattr(func, "__qualname__", repr(func))
    return f"{code.co_filename}:{code.co_firstlineno}"
