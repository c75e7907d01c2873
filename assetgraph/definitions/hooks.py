"""Dagster's op hooks: functions that run after an op's step, on success or on failure.

``@success_hook`` and ``@failure_hook`` make a ``HookDefinition``; attach it to one
invocation (``my_op.with_hooks({hook})()``), to every op of a job (``@job(hooks={...})``,
``graph.to_job(hooks=...)``) or of an asset job (``define_asset_job(hooks=...)``). A hook
only observes: it gets a ``HookContext`` (the op, the step key, the run, the resources it
names in ``required_resource_keys``, the exception of a failed step), and an exception it
raises is logged (``HOOK_ERRORED``) without changing the run's outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal, overload

from assetgraph.errors import DefinitionError

if TYPE_CHECKING:
    import logging

HookKind = Literal["success", "failure"]


@dataclass(frozen=True, slots=True)
class HookOp:
    """``context.op``: the node a hook runs after (its name, as invoked, and definition)."""

    name: str
    definition_name: str


@dataclass(frozen=True, slots=True)
class HookContext:
    """What a hook receives: the step it follows and the run's resources.

    ``op_exception`` is the exception of a failed step (``None`` after a success);
    ``op_output_values`` the outputs of a successful step by output name.
    """

    resources: Any
    op: HookOp | None = None
    step_key: str | None = None
    run_id: str = "EPHEMERAL"
    job_name: str | None = None
    op_exception: BaseException | None = None
    op_output_values: Mapping[str, Any] = field(default_factory=dict)
    op_config: Any = None
    instance: Any = None
    hook_def: HookDefinition | None = None

    @property
    def log(self) -> logging.Logger:
        import logging  # only a hook that logs needs it

        return logging.getLogger("assetgraph.hooks")

    @property
    def required_resource_keys(self) -> frozenset[str]:
        return self.hook_def.required_resource_keys if self.hook_def else frozenset()


@dataclass(frozen=True, eq=False)
class HookDefinition:
    """A hook: its name, when it runs (after a successful or a failed step), the resources
    it needs, and its function. Calling it with a ``HookContext`` runs the function (for
    tests, with ``build_hook_context``)."""

    name: str
    kind: HookKind
    fn: Callable[[HookContext], Any]
    required_resource_keys: frozenset[str] = frozenset()

    def runs_after(self, succeeded: bool) -> bool:
        """Whether this hook runs after a step that succeeded (or failed)."""
        return succeeded if self.kind == "success" else not succeeded

    def __call__(self, context: HookContext) -> Any:
        return self.fn(context)

    def __repr__(self) -> str:
        return f"<HookDefinition {self.name} ({self.kind})>"


def as_hook_set(hooks: Iterable[Any] | None, where: str) -> frozenset[HookDefinition]:
    """``hooks=`` of a job or an invocation, checked: a set of ``HookDefinition``s."""
    found: set[HookDefinition] = set()
    for hook in hooks or ():
        if not isinstance(hook, HookDefinition):
            raise DefinitionError(
                f"{where}: hooks must be made with @success_hook or @failure_hook, got "
                f"{type(hook).__name__} {hook!r}."
            )
        found.add(hook)
    return frozenset(found)


def _make_hook(
    kind: HookKind,
    fn: Callable[..., Any] | None,
    name: str | None,
    required_resource_keys: Iterable[str] | None,
) -> Any:
    decorator = f"@{kind}_hook"

    def decorate(func: Callable[..., Any]) -> HookDefinition:
        if not callable(func):
            raise DefinitionError(f"{decorator} must decorate a function, got {func!r}.")
        return HookDefinition(
            name=name or func.__name__,
            kind=kind,
            fn=func,
            required_resource_keys=frozenset(required_resource_keys or ()),
        )

    return decorate(fn) if fn is not None else decorate


@overload
def success_hook(fn: Callable[..., Any], /) -> HookDefinition: ...


@overload
def success_hook(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Callable[[Callable[..., Any]], HookDefinition]: ...


def success_hook(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Any:
    """A hook that runs after each successful step of the ops it is attached to."""
    return _make_hook("success", fn, name, required_resource_keys)


@overload
def failure_hook(fn: Callable[..., Any], /) -> HookDefinition: ...


@overload
def failure_hook(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Callable[[Callable[..., Any]], HookDefinition]: ...


def failure_hook(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Any:
    """A hook that runs after each failed step (retries exhausted) of the ops it is
    attached to; ``context.op_exception`` is the exception the op raised."""
    return _make_hook("failure", fn, name, required_resource_keys)


def build_hook_context(
    resources: Mapping[str, Any] | None = None,
    op: Any = None,
    run_id: str | None = None,
    job_name: str | None = None,
    op_exception: BaseException | None = None,
    instance: Any = None,
) -> HookContext:
    """A ``HookContext`` for testing a hook by calling it: ``my_hook(build_hook_context(
    resources={"conn": mock}))``; ``op`` is an op definition (or a name)."""
    hook_op = None
    if op is not None:
        op_name = op if isinstance(op, str) else getattr(op, "name", str(op))
        hook_op = HookOp(op_name, op_name)
    return HookContext(
        resources=SimpleNamespace(**dict(resources or {})),
        op=hook_op,
        step_key=hook_op.name if hook_op else None,
        run_id=run_id or "EPHEMERAL",
        job_name=job_name,
        op_exception=op_exception,
        instance=instance,
    )
