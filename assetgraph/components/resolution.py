"""How a component's YAML ``attributes`` become its Python fields (Dagster's ``Model``,
``Resolvable`` and ``Resolver``).

A ``Resolvable`` class (a ``Model``, a dataclass, or a class whose ``__init__`` is
annotated) declares its fields with type annotations. Its ``model()`` is a pydantic model
of what YAML may hold for them: the field's own type, or the ``model_field_type`` of a
``Resolver`` in ``Annotated[T, Resolver(fn, model_field_type=...)]``, or the model of a
nested ``Resolvable``. ``resolve_from_model`` turns a validated model into the class:
each ``Resolver`` function is called with ``(context, value)``, nested ``Resolvable``
values (in lists and optionals too) are resolved in turn.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

import pydantic

from assetgraph.definitions.specs import AssetSpec
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey


class Model(pydantic.BaseModel):
    """A pydantic model whose fields YAML fills; unknown fields are refused."""

    model_config = pydantic.ConfigDict(extra="forbid", arbitrary_types_allowed=True)


@dataclasses.dataclass(frozen=True)
class ResolutionContext:
    """What a ``Resolver`` function receives: the rendering scope and where in the YAML
    it is (``path``, for messages)."""

    scope: Mapping[str, Any]
    path: tuple[str | int, ...] = ()

    def at_path(self, part: str | int) -> ResolutionContext:
        """The context one level down, at ``part``."""
        return dataclasses.replace(self, path=(*self.path, part))

    def with_scope(self, **names: Any) -> ResolutionContext:
        """The context with ``names`` added to the rendering scope."""
        return dataclasses.replace(self, scope={**self.scope, **names})

    def resolve_value(self, value: Any, as_type: Any = None) -> Any:
        """``value`` with its templates rendered (values are rendered when loaded, so this
        renders what a resolver builds itself)."""
        from assetgraph.components.templating import render

        return render(value, self.scope, ".".join(map(str, self.path)) or "value")


class Resolver:
    """How one field is made from its YAML value: ``fn(context, value)``; the YAML value
    is validated as ``model_field_type`` (the field's own type when not given)."""

    def __init__(
        self,
        fn: Callable[[ResolutionContext, Any], Any],
        *,
        model_field_type: Any = None,
        model_field_name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] | None = None,
    ) -> None:
        self.fn = fn
        self.model_field_type = model_field_type
        self.model_field_name = model_field_name
        self.description = description

    @classmethod
    def default(cls, **kwargs: Any) -> Resolver:
        """The default resolution (the value as validated), with a description or examples."""
        return cls(lambda _context, value: value, **kwargs)

    def __repr__(self) -> str:
        return f"Resolver({getattr(self.fn, '__name__', self.fn)!r})"


class AssetSpecModel(Model):
    """What YAML may say of an asset (an ``AssetSpec``)."""

    key: str
    deps: list[str] = []
    description: str | None = None
    metadata: dict[str, Any] = {}
    group_name: str | None = None
    skippable: bool = False
    code_version: str | None = None
    owners: list[str] = []
    tags: dict[str, str] = {}
    kinds: list[str] = []
    automation_condition: Any = None
    partitions_def: Any = None


def _asset_spec(context: ResolutionContext, model: AssetSpecModel) -> AssetSpec:
    fields = {name: getattr(model, name) for name in type(model).model_fields}
    return AssetSpec(fields.pop("key"), **fields)


def _asset_key(context: ResolutionContext, value: str) -> AssetKey:
    return AssetKey.from_user(value)


ResolvedAssetSpec = Annotated[AssetSpec, Resolver(_asset_spec, model_field_type=AssetSpecModel)]
ResolvedAssetKey = Annotated[AssetKey, Resolver(_asset_key, model_field_type=str)]


class Resolvable:
    """Mix into a component (or a part of one) to build it from YAML attributes."""

    _model_cache: ClassVar[dict[type, type[pydantic.BaseModel]]] = {}

    @classmethod
    def model(cls) -> type[pydantic.BaseModel]:
        """The pydantic model YAML attributes are validated against."""
        made = Resolvable._model_cache.get(cls)
        if made is None:
            fields: dict[str, Any] = {}
            for name, (annotation, default) in _fields(cls).items():
                model_type = _model_type(annotation)
                key = _model_name(name, annotation)
                fields[key] = (model_type, ... if default is _REQUIRED else default)
            made = pydantic.create_model(f"{cls.__name__}Model", __base__=Model, **fields)
            Resolvable._model_cache[cls] = made
        return made

    @classmethod
    def resolve_from_model(cls, context: ResolutionContext, model: Any) -> Any:
        """An instance of ``cls`` from a validated model (or mapping) of its attributes."""
        values = model if isinstance(model, Mapping) else dict(model or {})
        kwargs: dict[str, Any] = {}
        for name, (annotation, _default) in _fields(cls).items():
            key = _model_name(name, annotation)
            if key in values:
                kwargs[name] = _resolve(annotation, values[key], context.at_path(key))
        return cls(**kwargs)

    @classmethod
    def resolve_from_dict(cls, attributes: Mapping[str, Any]) -> Any:
        """An instance of ``cls`` from plain attributes (validated, templates rendered)."""
        from assetgraph.components.templating import base_scope

        validated = cls.model().model_validate(dict(attributes))
        return cls.resolve_from_model(ResolutionContext(base_scope()), validated)


_REQUIRED = object()


def _fields(cls: type) -> dict[str, tuple[Any, Any]]:
    """Field name -> (annotation, default or _REQUIRED)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    if issubclass(cls, pydantic.BaseModel):
        return {
            name: (hints.get(name, info.annotation), _default_of(info))
            for name, info in cls.model_fields.items()
        }
    if dataclasses.is_dataclass(cls):
        found = {}
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            default: Any = f.default
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            found[f.name] = (
                hints.get(f.name, f.type),
                _REQUIRED if default is dataclasses.MISSING else default,
            )
        return found
    init = cls.__init__
    init_hints = typing.get_type_hints(init, include_extras=True)
    params = list(inspect.signature(init).parameters.values())[1:]
    return {
        p.name: (
            init_hints.get(p.name, Any),
            _REQUIRED if p.default is inspect.Parameter.empty else p.default,
        )
        for p in params
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    }


def _default_of(info: Any) -> Any:
    if info.is_required():
        return _REQUIRED
    return info.get_default(call_default_factory=True)


def _model_name(name: str, annotation: Any) -> str:
    """The YAML name of field ``name`` (a ``Resolver``'s ``model_field_name`` renames it)."""
    resolver = _resolver_of(annotation)
    return resolver.model_field_name if resolver and resolver.model_field_name else name


def _resolver_of(annotation: Any) -> Resolver | None:
    if get_origin(annotation) is Annotated:
        for extra in annotation.__metadata__:
            if isinstance(extra, Resolver):
                return extra
    return None


def _is_resolvable(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Resolvable)


def _model_type(annotation: Any) -> Any:
    """The type YAML must match for a field annotated ``annotation``."""
    resolver = _resolver_of(annotation)
    if resolver is not None:
        if resolver.model_field_type is not None:
            return resolver.model_field_type
        return _model_type(get_args(annotation)[0])
    if get_origin(annotation) is Annotated:
        return _model_type(get_args(annotation)[0])
    if _is_resolvable(annotation):
        return annotation.model()
    if annotation is AssetSpec:
        return AssetSpecModel
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (list, Sequence, tuple) and args:
        return list[_model_type(args[0])]  # type: ignore[misc]
    if origin in (Union, types.UnionType):
        return Union[tuple(_model_type(a) for a in args)]  # noqa: UP007
    if origin in (dict, Mapping) and len(args) == 2:
        return dict[args[0], _model_type(args[1])]  # type: ignore[misc, valid-type]
    return annotation


def _resolve(annotation: Any, value: Any, context: ResolutionContext) -> Any:
    resolver = _resolver_of(annotation)
    if resolver is not None:
        return resolver.fn(context, value)
    if get_origin(annotation) is Annotated:
        return _resolve(get_args(annotation)[0], value, context)
    if value is None:
        return None
    if _is_resolvable(annotation):
        if isinstance(value, annotation):
            return value
        return annotation.resolve_from_model(context, value)
    if annotation is AssetSpec and isinstance(value, AssetSpecModel):
        return _asset_spec(context, value)
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (list, Sequence, tuple) and args and isinstance(value, list | tuple):
        items = [_resolve(args[0], v, context.at_path(i)) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin in (Union, types.UnionType):
        for arg in args:
            if arg is not type(None) and _matches(arg, value):
                return _resolve(arg, value, context)
    if origin in (dict, Mapping) and len(args) == 2 and isinstance(value, Mapping):
        return {k: _resolve(args[1], v, context.at_path(str(k))) for k, v in value.items()}
    return value


def _matches(annotation: Any, value: Any) -> bool:
    """Whether ``value`` (validated) was validated as ``annotation``'s model type."""
    model_type = _model_type(annotation)
    target = get_origin(model_type) or model_type
    try:
        return isinstance(value, target)
    except TypeError:
        return True


def validation_error(
    where: str,
    error: pydantic.ValidationError,
    locate: Callable[[tuple[Any, ...]], int | None] | None = None,
) -> DefinitionError:
    """A ``DefinitionError`` naming ``where`` and each field pydantic refused (with its
    line, when ``locate`` finds the field's place in the file)."""
    problems = []
    for e in error.errors():
        line = locate(tuple(e["loc"])) if locate is not None else None
        at = f" (line {line})" if line is not None else ""
        problems.append(f"{'.'.join(str(p) for p in e['loc']) or '(attributes)'}: {e['msg']}{at}")
    return DefinitionError(f"{where}: invalid attributes: {'; '.join(problems)}.")
