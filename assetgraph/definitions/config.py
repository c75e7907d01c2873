"""Run config and resources: pydantic models users subclass.

This module imports pydantic, so ``assetgraph/__init__`` resolves these names lazily.
Asset signatures recognise both classes by the ``__assetgraph_kind__`` marker, which lets
the asset module stay free of pydantic.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, PrivateAttr, TypeAdapter, ValidationError

from assetgraph.definitions.env_vars import EnvVar, IntEnvVar, read_env_var
from assetgraph.definitions.resource_functions import InitResourceContext
from assetgraph.errors import DefinitionError, ResourceError, RunConfigError
from assetgraph.io import IOManager


class Config(BaseModel):
    """Run config of an asset: annotate a parameter with a subclass to receive it.

    Fields without defaults must be given in run config (``--config run.yaml``);
    unknown fields are an error.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    __assetgraph_kind__: ClassVar[str] = "config"

    def __init__(self, **data: Any) -> None:
        # Dagster's ``MyConfig(name=EnvVar("NAME"))``: the field takes the variable's value.
        super().__init__(
            **{
                name: _config_env_value(type(self).__name__, name, value)
                for name, value in data.items()
            }
        )


def _config_env_value(config_name: str, field: str, value: Any) -> Any:
    if not isinstance(value, EnvVar):
        return value
    try:
        return read_env_var(value, config_name, field)
    except ResourceError as exc:
        raise RunConfigError(str(exc).replace("Resource '", "Config '", 1)) from None


class PermissiveConfig(Config):
    """A ``Config`` that also keeps fields it does not declare (Dagster's): run config may
    give any field; ``config.dict()`` / ``model_dump()`` has them all."""

    model_config = ConfigDict(extra="allow", frozen=True)


class ConfigurableResource(BaseModel):
    """A resource (a client, a connection's settings) injected into assets by annotation.

    Register an instance in ``Definitions(resources={"name": MyResource(...)})`` and declare
    a parameter ``name: MyResource`` on the asset. Override ``setup_for_execution`` and
    ``teardown_after_execution`` to open and close what the resource holds during a run.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    __assetgraph_kind__: ClassVar[str] = "resource"
    _env_vars: dict[str, EnvVar] = PrivateAttr(default_factory=dict)
    _partials: dict[str, PartialResource] = PrivateAttr(default_factory=dict)

    def __init__(self, **data: Any) -> None:
        # ``EnvVar`` fields keep the variable's name until a run resolves them
        # (``resolve_env_vars``); the other fields are validated now, as usual. A nested
        # resource configured at launch (``configure_at_launch()``) is resolved when a run
        # starts, from the top-level resource it is (``with_run_config``).
        partials = {k: v for k, v in data.items() if isinstance(v, PartialResource)}
        if partials:
            data = {**data, **{k: v.resource_class.model_construct() for k, v in partials.items()}}
        self._init_fields(data)
        for name, partial in partials.items():
            object.__setattr__(self, name, partial)
        self._partials.update(partials)

    @classmethod
    def configure_at_launch(cls, **partial: Any) -> PartialResource:
        """This resource with its fields given when a run is launched (Dagster's): run
        config ``resources: {name: {config: {field: value}}}`` completes ``partial``."""
        return PartialResource(cls, partial)

    def _init_fields(self, data: dict[str, Any]) -> None:
        env_vars = {name: value for name, value in data.items() if isinstance(value, EnvVar)}
        if not env_vars or set(env_vars) - set(type(self).model_fields):
            super().__init__(**data)
            return
        super().__init__(**_with_placeholders(type(self), data, env_vars))
        for name, var in env_vars.items():
            object.__setattr__(self, name, var)
        self._env_vars.update(env_vars)

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, self._env_vars.get(name, value) if name else value

    def setup_for_execution(self, context: Any) -> None:
        """Called once per run before the first step that uses this resource."""

    def teardown_after_execution(self, context: Any) -> None:
        """Called once per run after the last step, even when the run failed."""


class PartialResource:
    """A ``ConfigurableResource`` whose fields are given at launch (``configure_at_launch``)."""

    config_schema = "run config"  # configured from run config's resources section

    def __init__(self, resource_class: type[ConfigurableResource], partial: dict[str, Any]):
        self.resource_class = resource_class
        self.partial = dict(partial)

    def configured(self, config: Any) -> ConfigurableResource:
        """The resource, with ``config`` (a run config's fields) over the partial fields."""
        fields = {**self.partial, **(config if isinstance(config, dict) else {})}
        try:
            return self.resource_class(**fields)
        except ValidationError as exc:
            problems = "; ".join(
                f"field '{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors()
            )
            raise RunConfigError(
                f"Resource {self.resource_class.__name__} (configured at launch): {problems}. "
                "Give its fields in run config resources: {name: {config: {...}}}."
            ) from None

    def __repr__(self) -> str:
        return f"{self.resource_class.__name__}.configure_at_launch()"


class ConfigurableIOManager(ConfigurableResource, IOManager):
    """An IO manager configured like a ``ConfigurableResource`` (pydantic fields, ``EnvVar``).

    Subclass it, declare fields, and implement ``handle_output`` and ``load_input``;
    register an instance in ``Definitions(resources=...)`` or ``io_managers=...``.
    """

    __assetgraph_kind__: ClassVar[str] = "resource"


class ConfigurableIOManagerFactory(ConfigurableResource):
    """Configured like a ``ConfigurableResource``; builds the IO manager a run uses
    (Dagster's): implement ``create_io_manager(context)`` returning an ``IOManager``.

    ``EnvVar`` fields are read before ``create_io_manager`` is called, when a run starts.
    """

    __assetgraph_kind__: ClassVar[str] = "resource"

    def create_io_manager(self, context: Any) -> IOManager:
        """The IO manager of a run; ``context.resource_config`` holds this object's fields."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement create_io_manager(self, context)."
        )

    def build_io_manager(self, key: str) -> IOManager:
        """The IO manager for a run, under the resource key ``key``."""
        resolved = resolve_env_vars(self, key)
        context = InitResourceContext(resource_config=resolved.model_dump(), resource_name=key)
        manager: IOManager = resolved.create_io_manager(context)
        if not (
            callable(getattr(manager, "handle_output", None))
            and callable(getattr(manager, "load_input", None))
        ):
            raise ResourceError(
                f"IO manager '{key}' ({type(self).__name__}.create_io_manager) returned "
                f"{type(manager).__name__}, which has no handle_output/load_input: return an "
                "IOManager."
            )
        return manager


def _with_placeholders(
    cls: type[BaseModel], data: dict[str, Any], env_vars: dict[str, EnvVar]
) -> dict[str, Any]:
    """``data`` with each ``EnvVar`` field replaced by a value its type accepts, to validate
    the other fields now; the real value is read when a run starts."""
    filled = dict(data)
    for name, var in env_vars.items():
        field = cls.model_fields[name]
        candidates: list[Any] = [0, "0"] if isinstance(var, IntEnvVar) else ["", "0", 0]
        adapter: TypeAdapter[Any] = TypeAdapter(field.annotation or Any)
        for candidate in candidates:
            try:
                adapter.validate_python(candidate)
            except ValidationError:
                continue
            filled[name] = candidate
            break
        else:
            raise DefinitionError(
                f"{cls.__name__}: field '{name}' is annotated {field.annotation!r}, which "
                f"{var!r} cannot fill; read environment variables into str fields (EnvVar) "
                "or int fields (EnvVar.int)."
            )
    return filled


def resolve_env_vars(resource: Any, resource_name: str) -> Any:
    """``resource`` with every ``EnvVar`` field (nested resources too) read from the
    environment now: called as a run starts, in each of its processes. Anything else is
    returned as it is."""
    if not isinstance(resource, ConfigurableResource):
        return resource
    values: dict[str, Any] = {}
    changed = False
    for name in type(resource).model_fields:
        value = getattr(resource, name)
        if name in resource._env_vars:
            value = read_env_var(resource._env_vars[name], resource_name, name)
            changed = True
        elif isinstance(value, ConfigurableResource):
            resolved = resolve_env_vars(value, f"{resource_name}.{name}")
            changed = changed or resolved is not value
            value = resolved
        values[name] = value
    if not changed:
        return resource
    try:
        return type(resource)(**values)
    except ValidationError as exc:
        fields = ", ".join(
            f"'{error['loc'][0]}' ({resource._env_vars[str(error['loc'][0])]!r})"
            if error["loc"] and str(error["loc"][0]) in resource._env_vars
            else f"'{'.'.join(map(str, error['loc']))}'"
            for error in exc.errors()
        )
        raise ResourceError(
            f"Resource '{resource_name}' ({type(resource).__name__}): the environment "
            f"gives field {fields} a value of the wrong type."
        ) from None


class RunConfig:
    """Dagster's ``RunConfig``: a run's config as ``Config`` objects, by asset name.

    ``RunConfig({"report": ReportConfig(top=3)})`` (or ``ops=``) is the same as run config
    ``{"ops": {"report": {"config": {"top": 3}}}}``. ``resources={"db": DbResource(...)}``
    gives a resource's fields for this run (a resource configured at launch needs them);
    ``loggers=`` is refused; ``execution=`` (an executor's config) is kept in the run config
    and not used: a run's executor is chosen with ``--executor``, and op jobs run in process.
    """

    def __init__(
        self,
        ops: dict[str, Any] | None = None,
        resources: dict[str, Any] | None = None,
        loggers: dict[str, Any] | None = None,
        execution: dict[str, Any] | None = None,
    ) -> None:
        if loggers:
            raise RunConfigError(
                "RunConfig(loggers=...) is not supported: steps log through context.log "
                "and get_dagster_logger(), recorded in the run's event log."
            )
        self.ops = dict(ops or {})
        self.resources = dict(resources or {})
        self.execution = dict(execution or {})

    def to_config_dict(self) -> dict[str, Any]:
        """The run config mapping: ``{"ops": {name: {"config": fields}}}``, ``"resources"``
        the same way when given, and the ``execution`` section when given (recorded; runs
        take their executor elsewhere)."""
        config: dict[str, Any] = {
            "ops": {
                name: {"config": value.model_dump() if isinstance(value, BaseModel) else value}
                for name, value in self.ops.items()
            }
        }
        if self.resources:
            config["resources"] = {  # a mapping is already {"config": {...}}, as in Dagster
                name: {"config": value.model_dump()} if isinstance(value, BaseModel) else value
                for name, value in self.resources.items()
            }
        if self.execution:
            config["execution"] = dict(self.execution)
        return config

    def __repr__(self) -> str:
        return f"RunConfig(ops={self.ops!r}, resources={self.resources!r})"
