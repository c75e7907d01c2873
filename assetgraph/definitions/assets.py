"""The asset definition objects: ``AssetsDefinition`` and the specs of its outputs and inputs.

``@asset`` (``assetgraph.definitions.asset_decorator``) and ``@multi_asset``
(``assetgraph.definitions.multi_assets``) make them from a function; its parameters
become its inputs in ``assetgraph.definitions.parameters``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.config_schema import process_config
from assetgraph.definitions.specs import external_asset_specs
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.versions.code import source_code_version

if TYPE_CHECKING:
    from assetgraph.definitions.automation_condition import AutomationCondition
    from assetgraph.definitions.backfill import BackfillPolicy
    from assetgraph.definitions.policies import AutomationPolicy, FreshnessPolicy
    from assetgraph.definitions.retry import RetryPolicy
    from assetgraph.partitions.definitions import PartitionsDefinition

DEFAULT_GROUP = "default"
DEFAULT_IO_MANAGER_KEY = "io_manager"
CONTEXT_PARAM = "context"


@dataclass(frozen=True, slots=True, init=False)
class AssetIn:
    """Tunes one input: which asset a parameter reads (``key``) and how."""

    key: AssetKey | None
    key_prefix: tuple[str, ...]
    partition_mapping: Any
    metadata: Mapping[str, Any]
    input_manager_key: str | None
    dagster_type: Any

    def __init__(
        self,
        key: CoercibleToAssetKey | None = None,
        *,
        key_prefix: str | Sequence[str] | None = None,
        partition_mapping: Any = None,
        metadata: Mapping[str, Any] | None = None,
        input_manager_key: str | None = None,
        dagster_type: Any = None,
    ) -> None:
        """``input_manager_key`` names the IO manager (or ``InputManager``) that loads this
        input instead of the upstream's own; ``dagster_type=Nothing`` makes it an
        ordering-only dependency with no parameter, as in Dagster."""
        object.__setattr__(self, "key", None if key is None else AssetKey.from_user(key))
        object.__setattr__(self, "key_prefix", as_prefix(key_prefix))
        object.__setattr__(self, "partition_mapping", partition_mapping)
        object.__setattr__(self, "metadata", dict(metadata or {}))
        object.__setattr__(self, "input_manager_key", input_manager_key)
        object.__setattr__(self, "dagster_type", dagster_type)


@dataclass(frozen=True, slots=True)
class AssetOut:
    """One output of a ``@multi_asset``; unset fields default to the multi-asset's own.

    Dagster's fields keep Dagster's meaning: ``group_name`` (or ``group``), ``kinds``
    (recorded as ``dagster/kind/<kind>`` tags), ``is_required=False`` (the function may
    leave the output out; nothing is stored for it then), ``dagster_type`` (a
    ``DagsterType`` checked before the value is stored; other types are not checked).
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
    dagster_type: Any = field(default=None, compare=False)
    """A ``DagsterType`` whose check the value must pass before it is stored (Dagster's)."""


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
    input_manager_key: str | None = None


class AssetsDefinition:
    """A function that materializes one or more assets, with what it reads.

    Made by ``@asset`` and ``@multi_asset``; call it like the function for unit tests.
    Dagster's ``AssetsDefinition(specs=[AssetSpec(...), ...])`` (no function) declares
    external assets: it returns their ``AssetSpecs``, external assets in ``Definitions(assets=)``.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is AssetsDefinition and "fn" not in kwargs and not args:
            return external_asset_specs(kwargs)
        return super().__new__(cls)

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
        self.config_schema: Any = None
        """Dagster's ``config_schema`` (checked run config for ``context.op_config``)."""
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
    def code_versions_by_key(self) -> dict[AssetKey, str | None]:
        """Dagster's property: the code version each asset declares (None where none is)."""
        return {spec.key: spec.code_version for spec in self.specs}

    @property
    def source_location(self) -> str:
        """``file:line`` of the function, for messages."""
        return source_location(self.fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the function directly (a unit test), as Dagster's asset definitions allow.

        A context from ``build_asset_context()``, passed first or as the context
        parameter, learns this definition's keys and partitions definition.
        """
        if self.context_param is not None and args and args[0] is None:
            # Dagster builds a context for ``asset(None, ...)``, as for no context at all.
            from assetgraph.context import build_asset_context

            args = (build_asset_context(), *args[1:])
        context = args[0] if args else kwargs.get(self.context_param or CONTEXT_PARAM)
        bind = getattr(context, "bind_to", None)
        if self.context_param is not None and callable(bind):
            bind(self)
            if self.config_schema is not None and getattr(context, "_direct", False):
                # build_asset_context(asset_config=...) checked as a run's config would be
                direct: Any = context
                direct.op_config = process_config(
                    self.config_schema, direct._asset_config, f"asset '{self.name}'"
                )
        return self.fn(*args, **kwargs)

    @property
    def op(self) -> Callable[..., Any]:
        """The op that computes it (Dagster's ``AssetsDefinition.op``): call it as a unit test
        does, ``asset.op(upstream=value)``; it returns what the function returns, a context
        built for it when it takes one and none is given."""

        def call_op(*args: Any, **kwargs: Any) -> Any:
            given = kwargs.get(self.context_param or CONTEXT_PARAM) is not None
            if self.context_param is not None and not given and not _is_context(args):
                args = (None, *args)  # __call__ builds the context for None, as Dagster does
            return self(*args, **kwargs)

        call_op.__name__ = call_op.__qualname__ = self.name.replace("/", "__")
        return call_op

    @classmethod
    def from_graph(cls, graph_def: Any, **kwargs: Any) -> AssetsDefinition:
        """Assets computed by a ``@graph`` (Dagster's): ``keys_by_input_name``,
        ``keys_by_output_name``, ``key_prefix``, ``group_name``, ``partitions_def``,
        ``partition_mappings``, ``backfill_policy`` and the ``*_by_output_name`` options."""
        from assetgraph.definitions.graph_backed_assets import assets_from_graph

        return assets_from_graph(graph_def, **kwargs)

    @classmethod
    def from_op(cls, op_def: Any, **kwargs: Any) -> AssetsDefinition:
        """Assets computed by an ``@op`` (Dagster's); the arguments of ``from_graph``."""
        from assetgraph.definitions.graph_backed_assets import assets_from_op

        return assets_from_op(op_def, **kwargs)

    def __reduce__(self) -> Any:
        """By reference when it is a module attribute (see ``assetgraph.definitions.pickling``)."""
        from assetgraph.definitions.pickling import reduce_by_reference, reduce_by_value

        return reduce_by_reference(self, self.fn) or reduce_by_value(self)

    def __repr__(self) -> str:
        keys = ", ".join(key.to_string() for key in self.keys)
        return f"<AssetsDefinition {self.name}: {keys}>"


def _is_context(args: Sequence[Any]) -> bool:
    """Whether a direct call's first argument is an execution context (or None for one)."""
    return bool(args) and (args[0] is None or callable(getattr(args[0], "bind_to", None)))


def as_prefix(prefix: str | Sequence[str] | None) -> tuple[str, ...]:
    """A key prefix as parts: ``"a/b"`` or ``["a", "b"]`` -> ``("a", "b")``."""
    if prefix is None:
        return ()
    if isinstance(prefix, str):
        return tuple(prefix.split("/"))
    return tuple(prefix)


def source_location(func: Callable[..., Any]) -> str:
    """``file:line`` where ``func`` is defined, or its qualified name when unknown."""
    code = getattr(inspect.unwrap(func), "__code__", None)
    if code is None:
        return getattr(func, "__qualname__", repr(func))
    return f"{code.co_filename}:{code.co_firstlineno}"
