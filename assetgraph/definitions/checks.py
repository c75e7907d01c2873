"""Asset checks: what a value must satisfy before it is stored, as a user declares it.

``@asset_check(asset=...)`` declares a function that receives an asset's value (the one
just produced, before its IO manager stores it) and returns an ``AssetCheckResult`` (or a
bare bool); ``@multi_asset_check`` declares one function for several check specs. A
failed blocking check fails the step: nothing is stored. A failed non-blocking check is
recorded as a warning and the value goes through.

Running checks is ``assetgraph.definitions.check_evaluation``; validating pandera schemas
is ``assetgraph.definitions.schema_validation``; reading results back for status is
``assetgraph.status.checks``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assetgraph.definitions.assets import CONTEXT_PARAM, AssetsDefinition, source_location
from assetgraph.definitions.check_specs import AssetCheckKey, AssetCheckSpec, checked_asset_key
from assetgraph.definitions.resource_params import resource_param_type
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey

SCHEMA_CHECK_NAME = "pandera_schema"
"""The check name under which a pandera schema's validation is recorded."""


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
        resource_params: Sequence[str] = (),
    ) -> None:
        self.fn = fn
        self.name = name
        self.asset_key = asset_key
        self.blocking = blocking
        self.description = description
        self.value_param = value_param
        self.context_param = context_param
        self.resource_params = tuple(resource_params)
        """Parameters given the ``Definitions`` resource of their name."""
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
    def check_specs(self) -> tuple[AssetCheckSpec, ...]:
        """Dagster's name for the specs of the checks this definition runs."""
        return self.specs

    @property
    def check_keys(self) -> set[AssetCheckKey]:
        """Dagster's name for the checks this definition runs: their ``AssetCheckKey``s."""
        return {spec.key for spec in self.specs}

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
    metadata: Mapping[str, Any] | None = None,
    partitions_def: Any = None,
    automation_condition: Any = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Declare a function as a check on ``asset`` (a definition, a key, or ``"a/b"``).

    As in Dagster, ``context`` receives the asset's execution context, a parameter
    annotated with a resource class receives the resource of its name, and the one other
    parameter (any name; none for a check that loads nothing) receives the asset's value.
    It returns an ``AssetCheckResult`` or a bool. A ``blocking`` check that fails fails
    the asset's step before anything is stored; a non-blocking one records a warning.
    Register checks with ``Definitions(asset_checks=[...])``. ``additional_deps``
    (Dagster's) are recorded only.
    A check runs in its asset's step, once per partition built (``context.partition_key``),
    so ``partitions_def`` must be the asset's; ``automation_condition`` is recorded only.
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
        value_param, context_param, resource_params = _check_params(func, check_name, asset_key)
        doc = inspect.getdoc(func)
        built = AssetChecksDefinition(
            fn=func,
            name=check_name,
            asset_key=asset_key,
            blocking=bool(blocking),
            description=description if description is not None else (doc or None),
            value_param=value_param,
            context_param=context_param,
            resource_params=resource_params,
        )
        built.specs = (
            AssetCheckSpec(
                check_name,
                asset=asset_key,
                description=built.description,
                blocking=built.blocking,
                additional_deps=extra_deps,
                metadata=metadata,
                partitions_def=partitions_def,
                automation_condition=automation_condition,
            ),
        )
        _check_partitions(built, asset)
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
        value_param, context_param, resource_params = _check_params(
            func, check_name, checked[0].asset_key
        )
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
            resource_params=resource_params,
            specs=checked,
        )

    return decorate


def _check_partitions(check: AssetChecksDefinition, asset: Any) -> None:
    """A partitioned check's ``partitions_def`` must be its asset's, when the asset is given."""
    wanted = check.specs[0].partitions_def
    if wanted is None or not isinstance(asset, AssetsDefinition):
        return
    if wanted != asset.partitions_def:
        raise DefinitionError(
            f"Asset check '{check.name}' ({check.source_location}) has partitions_def="
            f"{wanted!r}, not that of asset '{check.asset_key}' ({asset.partitions_def!r}): "
            "a check runs with its asset, once per partition; give it the asset's."
        )


def _check_params(
    func: Callable[..., Any], check_name: str, asset_key: AssetKey
) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(value parameter, context parameter, resource parameters) of a check function.

    As in Dagster, ``context`` and resource-typed parameters aside, the one parameter
    left (whatever its name) receives the checked asset's value; with none left, the
    check loads nothing. Parameters with defaults may be added.
    """
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError) as exc:
        raise DefinitionError(
            f"Asset check '{check_name}': cannot read its signature: {exc}"
        ) from exc
    context_param: str | None = None
    resources: list[str] = []
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
        elif kind == "resource" or resource_param_type(annotation) is not None:
            resources.append(param.name)
        else:
            others.append(param.name)
            if param.default is not param.empty:
                optional.add(param.name)
    required = [p for p in others if p not in optional]
    if asset_key.name in others:
        value_param: str | None = asset_key.name
    elif required:
        value_param = required[0]
    else:
        value_param = None
    if any(p != value_param for p in required):
        raise DefinitionError(
            f"Asset check '{check_name}' ({source_location(func)}) takes "
            f"{', '.join(repr(p) for p in required)}: a check receives the value of asset "
            f"'{asset_key}' in one parameter, optionally 'context', and resources in "
            "parameters annotated with their resource class."
        )
    return value_param, context_param, tuple(resources)
