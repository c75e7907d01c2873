"""Dagster's config schema types, for ``config_schema=`` on assets, resources and IO managers.

A schema is written as Dagster writes it: a Python type (``str``, ``int``, ``float``,
``bool``, ``list``, ``dict``), a dict of field name -> schema (a ``Shape``), a one-element
list (an ``Array``), or the types below (``Field``, ``Shape``, ``Permissive``,
``Selector``, ``Array``, ``Noneable``, ``Map``, ``Enum``, ``StringSource``...).
``process_config(schema, value, where)`` checks a value against it and returns the value
with defaults filled in, or raises ``RunConfigError`` (a ``DagsterInvalidConfigError``)
naming ``where`` (the asset or resource) and the path of the field at fault.

A leaf module: it imports nothing of assetgraph but ``errors``.
"""

from __future__ import annotations

import enum
import os
import typing as t
from collections.abc import Mapping, Sequence

from assetgraph.errors import DefinitionError, RunConfigError


class _NoDefault:
    def __repr__(self) -> str:
        return "<no default>"


NO_DEFAULT: t.Final = _NoDefault()


class ConfigType:
    """A type of config value; ``process`` checks a value and fills in defaults."""

    name = "Any"

    @property
    def required_by_default(self) -> bool:
        """Whether a ``Field`` of this type with no default must be given."""
        return True

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        return value

    def __repr__(self) -> str:
        return self.name


class _Scalar(ConfigType):
    def __init__(self, name: str, accepts: t.Callable[[t.Any], bool]) -> None:
        self.name = name
        self._accepts = accepts

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        if not self._accepts(value):
            _fail(where, path, f"expected {self.name}, got {type(value).__name__} {value!r}")
        return float(value) if self.name == "Float" else value


def _is_int(value: t.Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


Int = _Scalar("Int", _is_int)
String = _Scalar("String", lambda v: isinstance(v, str))
Bool = _Scalar("Bool", lambda v: isinstance(v, bool))
Float = _Scalar("Float", lambda v: isinstance(v, float) or _is_int(v))
Any = ConfigType()
"""Any value (Dagster's ``Any``)."""


class _Source(ConfigType):
    """A scalar given as itself or read from the environment: ``{"env": "VAR"}``."""

    def __init__(self, scalar: _Scalar, convert: t.Callable[[str], t.Any]) -> None:
        self.name = scalar.name + "Source"
        self._scalar = scalar
        self._convert = convert

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        if isinstance(value, Mapping):
            if set(value) != {"env"} or not isinstance(value["env"], str):
                _fail(where, path, f'expected {self.name}: a value or {{"env": "VAR"}}')
            var = value["env"]
            if var not in os.environ:
                _fail(where, path, f"environment variable '{var}' is not set")
            try:
                return self._convert(os.environ[var])
            except ValueError:
                _fail(where, path, f"environment variable '{var}' is not a {self._scalar.name}")
        return self._scalar.process(value, path, where)


def _to_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", ""):
        return False
    raise ValueError(text)


StringSource = _Source(String, str)
IntSource = _Source(Int, int)
BoolSource = _Source(Bool, _to_bool)


class Field:
    """One config field: its type, default and whether it must be given (Dagster's).

    ``is_required`` defaults to True unless ``default_value`` is given or the type needs
    nothing (a ``Noneable``, or a ``Shape`` whose fields are all optional).
    """

    def __init__(
        self,
        config: t.Any,
        default_value: t.Any = NO_DEFAULT,
        is_required: bool | None = None,
        description: str | None = None,
    ) -> None:
        self.config_type = resolve_config_type(config)
        self.description = description
        if (
            default_value is NO_DEFAULT
            and isinstance(self.config_type, Noneable)
            and not is_required
        ):
            default_value = None
        if is_required is None:
            is_required = default_value is NO_DEFAULT and self.config_type.required_by_default
        if is_required and default_value is not NO_DEFAULT:
            raise DefinitionError(
                f"Field({self.config_type!r}) is required and has a default value "
                f"{default_value!r}: drop one of them."
            )
        self.is_required = is_required
        self.default_value = default_value

    @property
    def default_provided(self) -> bool:
        return self.default_value is not NO_DEFAULT

    def process(self, value: t.Any, path: str, where: str, given: bool = True) -> t.Any:
        """``value`` checked; when not ``given``, the default (or an error if required)."""
        if given:
            return self.config_type.process(value, path, where)
        if self.default_provided:
            if self.default_value is None:
                return None
            return self.config_type.process(self.default_value, path, where)
        if isinstance(self.config_type, Shape) and not isinstance(self.config_type, Selector):
            return self.config_type.process({}, path, where)  # names the missing fields
        if self.is_required:
            _fail(where, path, "missing required config entry")
        if isinstance(self.config_type, Shape | Permissive):
            return self.config_type.process({}, path, where)
        return None

    def __repr__(self) -> str:
        return f"Field({self.config_type!r}, is_required={self.is_required})"


class Shape(ConfigType):
    """A mapping with the given fields; other keys are an error (Dagster's ``Shape``)."""

    permissive = False

    def __init__(
        self,
        fields: Mapping[str, t.Any],
        description: str | None = None,
        field_aliases: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(fields, Mapping):
            raise DefinitionError(
                f"{type(self).__name__}(fields) takes a dict of field name -> type, got "
                f"{type(fields).__name__}."
            )
        self.fields = {str(name): as_field(value) for name, value in fields.items()}
        self.description = description
        self.name = type(self).__name__

    @property
    def required_by_default(self) -> bool:
        return any(f.is_required for f in self.fields.values())

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            _fail(where, path, f"expected a mapping of fields, got {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in self.fields)
        if unknown and not self.permissive:
            expected = ", ".join(sorted(self.fields)) or "none"
            _fail(
                where,
                path,
                f"unexpected config entr{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(repr(k) for k in unknown)} (expected fields: {expected})",
            )
        processed: dict[str, t.Any] = {k: value[k] for k in unknown}
        for name, field in self.fields.items():
            sub = f"{path}:{name}"
            if name in value:
                processed[name] = field.process(value[name], sub, where)
                continue
            filled = field.process(None, sub, where, given=False)
            if filled is not None or field.default_provided:
                processed[name] = filled
        return processed


class Permissive(Shape):
    """A ``Shape`` that also keeps keys it does not declare (Dagster's ``Permissive``)."""

    permissive = True

    def __init__(
        self, fields: Mapping[str, t.Any] | None = None, description: str | None = None
    ) -> None:
        super().__init__(fields or {}, description)


class Selector(Shape):
    """A mapping with exactly one of the given fields set (Dagster's ``Selector``)."""

    @property
    def required_by_default(self) -> bool:
        return True

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        if not isinstance(value, Mapping) or len(value) != 1:
            choices = ", ".join(sorted(self.fields))
            _fail(where, path, f"a Selector takes exactly one of: {choices}; got {value!r}")
        [(name, inner)] = value.items()
        if name not in self.fields:
            _fail(
                where,
                path,
                f"unknown selector entry {name!r}; expected one of {sorted(self.fields)}",
            )
        return {name: self.fields[name].process(inner, f"{path}:{name}", where)}


class Array(ConfigType):
    """A list whose items have the inner type (Dagster's ``Array``)."""

    def __init__(self, inner_type: t.Any) -> None:
        self.inner = resolve_config_type(inner_type)
        self.name = f"Array({self.inner!r})"

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        if not isinstance(value, list | tuple):
            _fail(where, path, f"expected a list, got {type(value).__name__} {value!r}")
        return [self.inner.process(item, f"{path}[{i}]", where) for i, item in enumerate(value)]


class Noneable(ConfigType):
    """The inner type, or None (Dagster's ``Noneable``); a field of it defaults to None."""

    def __init__(self, inner_type: t.Any) -> None:
        self.inner = resolve_config_type(inner_type)
        self.name = f"Noneable({self.inner!r})"

    @property
    def required_by_default(self) -> bool:
        return False

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        return None if value is None else self.inner.process(value, path, where)


class Map(ConfigType):
    """A mapping of keys of one type to values of another (Dagster's ``Map``)."""

    def __init__(self, key_type: t.Any, inner_type: t.Any, key_label_name: str | None = None):
        self.key_type = resolve_config_type(key_type)
        self.inner = resolve_config_type(inner_type)
        self.name = f"Map({self.key_type!r}, {self.inner!r})"

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        if not isinstance(value, Mapping):
            _fail(where, path, f"expected a mapping, got {type(value).__name__}")
        return {
            self.key_type.process(k, f"{path}:{k}", where): self.inner.process(
                v, f"{path}:{k}", where
            )
            for k, v in value.items()
        }


class EnumValue:
    """One value of an ``Enum``: the string written in config, and the Python value it
    stands for (the string itself by default)."""

    def __init__(
        self, config_value: str, python_value: t.Any = None, description: str | None = None
    ) -> None:
        self.config_value = config_value
        self.python_value = config_value if python_value is None else python_value
        self.description = description


class Enum(ConfigType):
    """One of a fixed set of strings, processed into its Python value (Dagster's ``Enum``)."""

    def __init__(self, name: str, enum_values: Sequence[EnumValue]) -> None:
        self.name = name
        self.enum_values = list(enum_values)
        self._by_config = {v.config_value: v.python_value for v in self.enum_values}

    @classmethod
    def from_python_enum(cls, enum_type: type[enum.Enum]) -> Enum:
        """An ``Enum`` of a Python enum's member names, processed into its members."""
        return cls(enum_type.__name__, [EnumValue(m.name, m) for m in enum_type])

    def process(self, value: t.Any, path: str, where: str) -> t.Any:
        if isinstance(value, enum.Enum) and value in self._by_config.values():
            return value
        if value not in self._by_config:
            choices = ", ".join(repr(v) for v in self._by_config)
            _fail(where, path, f"{value!r} is not a value of Enum {self.name} ({choices})")
        return self._by_config[value]


_PYTHON_TYPES: dict[t.Any, ConfigType] = {
    int: Int,
    str: String,
    bool: Bool,
    float: Float,
    t.Any: Any,
    object: Any,
}


def resolve_config_type(config: t.Any) -> ConfigType:
    """The ``ConfigType`` a schema written Dagster's way stands for."""
    if isinstance(config, ConfigType):
        return config
    if isinstance(config, Field):
        raise DefinitionError(
            f"{config!r} is a Field where a type is expected: put Fields inside a dict "
            "(config_schema={'name': Field(...)}) or pass the type itself."
        )
    if isinstance(config, type) or config is t.Any:
        found = _PYTHON_TYPES.get(config)
        if found is not None:
            return found
    if config is list:
        return Array(Any)
    if config is dict:
        return Permissive()
    if isinstance(config, Mapping):
        return Shape(config)
    if isinstance(config, list) and len(config) == 1:
        return Array(config[0])
    if isinstance(config, type) and issubclass(config, enum.Enum):
        return Enum.from_python_enum(config)
    raise DefinitionError(
        f"{config!r} is not a config type: use str, int, float, bool, list, dict, a dict of "
        "fields, [type], or Field/Shape/Permissive/Selector/Array/Noneable/Enum/StringSource."
    )


def as_field(config: t.Any) -> Field:
    """``config`` as a ``Field`` (a type becomes a required field of that type)."""
    return config if isinstance(config, Field) else Field(config)


def process_config(schema: t.Any, value: t.Any, where: str, path: str = "config") -> t.Any:
    """``value`` checked against ``schema`` with defaults filled in; ``value`` None means
    that no config was given. Raises ``RunConfigError`` naming ``where`` and the field."""
    field = as_field(schema)
    return field.process(value, path, where, given=value is not None)


def _fail(where: str, path: str, problem: str) -> t.NoReturn:
    raise RunConfigError(f"Invalid config for {where} at {path}: {problem}.")
