"""Dagster's ``AutomationCondition``: a boolean expression, per asset partition, of when to build.

A condition is a tree of operands (``missing()``, ``newly_updated()``, ``cron_tick_passed()``,
...) and operators (``&``, ``|``, ``~``, ``.since()``, ``.newly_true()``, the ``any_deps_*`` /
``all_deps_*`` dep operators). Each tick the automation evaluator computes, for every asset
with ``@asset(automation_condition=...)``, the partitions for which the whole tree is true and
requests them (``assetgraph.automation.condition_evaluation``). The composite conditions keep
Dagster's definitions, so a ported code location behaves the same: ``eager()`` looks at the
latest time window only, ``on_cron()`` waits for every dependency to update after the tick.

These objects are plain frozen values (declarations): nothing here reads storage or a clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from assetgraph.errors import DefinitionError


@dataclass(frozen=True, slots=True, kw_only=True)
class AutomationCondition:
    """When to build an asset partition: a composable condition with Dagster's names.

    Combine with ``&``, ``|`` and ``~``; start from ``eager()``, ``on_cron(...)`` or
    ``on_missing()`` and customize with ``.without(...)``, ``.replace(...)``,
    ``.ignore(selection)`` / ``.allow(selection)`` (which dependencies count) and
    ``.with_label(...)``. Put it on ``@asset(automation_condition=...)``; ``assetgraph
    automate`` evaluates it per partition at each tick and ``automate why ASSET`` shows the
    evaluated tree.
    """

    label: str | None = None

    # -- the tree -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The operand or operator name shown in the evaluation tree (a custom condition's
        class name)."""
        return type(self).__name__

    def evaluate(self, context: Any) -> Any:
        """A custom condition (a subclass) defines this: given an ``AutomationContext``,
        return an ``AutomationResult`` with the partitions for which it holds."""
        raise DefinitionError(
            f"AutomationCondition {type(self).__name__} has no evaluate(context): a custom "
            "condition returns AutomationResult(true_subset, context=context)."
        )

    @property
    def is_custom(self) -> bool:
        """True for a user's subclass that defines ``evaluate``."""
        return type(self).evaluate is not AutomationCondition.evaluate

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return ()

    def get_label(self) -> str | None:
        return self.label

    def describe(self) -> str:
        """The label if there is one, else the name."""
        return self.label or self.name

    def with_label(self, label: str | None) -> AutomationCondition:
        """A copy of this condition with a human-readable label (shown by ``automate why``)."""
        return dataclasses.replace(self, label=label)

    # -- operators ------------------------------------------------------------------------

    def __and__(self, other: AutomationCondition) -> AutomationCondition:
        _check_condition(other, "&")
        return AndCondition(operands=(*_flat(self, AndCondition), *_flat(other, AndCondition)))

    def __or__(self, other: AutomationCondition) -> AutomationCondition:
        _check_condition(other, "|")
        return OrCondition(operands=(*_flat(self, OrCondition), *_flat(other, OrCondition)))

    def __invert__(self) -> AutomationCondition:
        return NotCondition(operand=self)

    def since(self, reset_condition: AutomationCondition) -> AutomationCondition:
        """True once this condition has been true, until ``reset_condition`` becomes true.

        Per partition: (true on the previous tick, or this condition true now) and not the
        reset condition now.
        """
        _check_condition(reset_condition, "since()")
        return SinceCondition(trigger=self, reset=reset_condition)

    def newly_true(self) -> AutomationCondition:
        """True only on the tick this condition goes from false to true for a partition."""
        return NewlyTrueCondition(operand=self)

    def since_last_handled(self) -> AutomationCondition:
        """True if this condition became true since the partition was last requested or
        updated (or since the condition was first evaluated or changed)."""
        handled = (
            AutomationCondition.newly_requested()
            | AutomationCondition.newly_updated()
            | AutomationCondition.initial_evaluation()
        ).with_label("handled")
        return self.since(handled)

    def replace(
        self, old: AutomationCondition | str, new: AutomationCondition
    ) -> AutomationCondition:
        """Replace every sub-condition equal to ``old`` (or labelled ``old``) with ``new``."""
        if self == old or (isinstance(old, str) and self.label == old):
            return new
        return self._map_children(lambda child: child.replace(old, new))

    def without(self, condition: AutomationCondition) -> AutomationCondition:
        """This ``&`` / ``|`` condition without the operand equal to ``condition``.

        As in Dagster, only operators with operands support it, e.g.
        ``eager().without(~AutomationCondition.any_deps_missing())``.
        """
        raise DefinitionError(
            f"AutomationCondition {self.describe()!r} has no operands to remove: .without() "
            "applies to conditions built with & or | (such as eager())."
        )

    def ignore(self, selection: Any) -> AutomationCondition:
        """Dependencies in ``selection`` no longer count for the dep conditions of this tree
        (``any_deps_updated()``, ``any_deps_missing()``, ...)."""
        return self._map_children(lambda child: child.ignore(selection))

    def allow(self, selection: Any) -> AutomationCondition:
        """Only dependencies in ``selection`` count for the dep conditions of this tree."""
        return self._map_children(lambda child: child.allow(selection))

    def _map_children(self, change: Any) -> AutomationCondition:
        return self

    # -- operands -------------------------------------------------------------------------

    @staticmethod
    def missing() -> AutomationCondition:
        """True for partitions never materialized (or, for source assets, observed)."""
        return Operand(kind="missing")

    @staticmethod
    def in_progress() -> AutomationCondition:
        """True for partitions that a queued or running run (or backfill) will build."""
        return Operand(kind="in_progress")

    @staticmethod
    def run_in_progress() -> AutomationCondition:
        """Dagster's name for runs in flight; the same as ``in_progress()`` here."""
        return Operand(kind="in_progress", label="run_in_progress")

    @staticmethod
    def execution_failed() -> AutomationCondition:
        """True for partitions whose latest execution failed."""
        return Operand(kind="execution_failed")

    @staticmethod
    def newly_updated() -> AutomationCondition:
        """True for partitions materialized (or observed) since the previous tick."""
        return Operand(kind="newly_updated")

    @staticmethod
    def newly_requested() -> AutomationCondition:
        """True for partitions requested on the previous tick."""
        return Operand(kind="newly_requested")

    @staticmethod
    def newly_missing() -> AutomationCondition:
        """True on the tick a partition becomes missing."""
        return AutomationCondition.missing().newly_true().with_label("newly_missing")

    @staticmethod
    def will_be_requested() -> AutomationCondition:
        """True for partitions requested earlier on this tick (for dependencies)."""
        return Operand(kind="will_be_requested")

    @staticmethod
    def initial_evaluation() -> AutomationCondition:
        """True on the first evaluation of the condition (and after it changes)."""
        return Operand(kind="initial_evaluation")

    @staticmethod
    def code_version_changed() -> AutomationCondition:
        """True on the tick at which the asset's code version differs from the previous tick."""
        return Operand(kind="code_version_changed")

    @staticmethod
    def cron_tick_passed(cron_schedule: str, cron_timezone: str = "UTC") -> AutomationCondition:
        """True when a tick of ``cron_schedule`` (in ``cron_timezone``) passed since the
        previous evaluation (false on the first evaluation)."""
        from assetgraph.definitions.policies import cron_ticks

        cron_ticks(cron_schedule, cron_timezone)  # validates both, naming them on error
        return Operand(
            kind="cron_tick_passed", cron_schedule=cron_schedule, cron_timezone=cron_timezone
        )

    @staticmethod
    def in_latest_time_window(lookback_delta: timedelta | None = None) -> AutomationCondition:
        """True for the latest time window of a time-partitioned asset (every partition of
        other assets); with ``lookback_delta``, for every partition that starts within that
        delta of the end of the latest window (48 hours on a daily asset: the latest two)."""
        if lookback_delta is not None and (
            not isinstance(lookback_delta, timedelta) or lookback_delta <= timedelta(0)
        ):
            raise DefinitionError(
                "AutomationCondition.in_latest_time_window: lookback_delta must be a positive "
                f"datetime.timedelta, got {lookback_delta!r}."
            )
        seconds = None if lookback_delta is None else lookback_delta.total_seconds()
        return Operand(kind="in_latest_time_window", lookback_seconds=seconds)

    @staticmethod
    def check_passed() -> AutomationCondition:
        """For ``any_checks_match``/``all_checks_match``: the check's latest evaluation passed."""
        return Operand(kind="check_passed")

    @staticmethod
    def check_failed() -> AutomationCondition:
        """For ``any_checks_match``/``all_checks_match``: the check's latest evaluation failed."""
        return Operand(kind="check_failed")

    # -- dependencies and checks ----------------------------------------------------------

    @staticmethod
    def any_deps_match(condition: AutomationCondition) -> AutomationCondition:
        """True where, for some dependency, a partition of it that the partition reads
        matches ``condition`` (evaluated on the dependency)."""
        _check_condition(condition, "any_deps_match()")
        return DepsCondition(operand=condition, mode="any")

    @staticmethod
    def all_deps_match(condition: AutomationCondition) -> AutomationCondition:
        """True where, for every dependency, a partition of it that the partition reads
        matches ``condition`` (as Dagster's; true when the asset has no dependencies)."""
        _check_condition(condition, "all_deps_match()")
        return DepsCondition(operand=condition, mode="all")

    @staticmethod
    def any_checks_match(
        condition: AutomationCondition, blocking_only: bool = False
    ) -> AutomationCondition:
        """True where at least one of the asset's checks matches ``condition``."""
        _check_condition(condition, "any_checks_match()")
        return ChecksCondition(operand=condition, mode="any", blocking_only=blocking_only)

    @staticmethod
    def all_checks_match(
        condition: AutomationCondition, blocking_only: bool = False
    ) -> AutomationCondition:
        """True where every check of the asset matches ``condition`` (true without checks)."""
        _check_condition(condition, "all_checks_match()")
        return ChecksCondition(operand=condition, mode="all", blocking_only=blocking_only)

    @staticmethod
    def any_deps_updated() -> AutomationCondition:
        """True where a dependency was updated since the previous tick (not by a run that
        also built this asset) or will be requested this tick."""
        return AutomationCondition.any_deps_match(
            (
                AutomationCondition.newly_updated() & ~Operand(kind="executed_with_root_target")
            ).with_label("newly_updated_without_root")
            | AutomationCondition.will_be_requested()
        ).with_label("any_deps_updated")

    @staticmethod
    def any_deps_missing() -> AutomationCondition:
        """True where a dependency read is missing and not requested this tick."""
        return AutomationCondition.any_deps_match(
            AutomationCondition.missing() & ~AutomationCondition.will_be_requested()
        ).with_label("any_deps_missing")

    @staticmethod
    def any_deps_in_progress() -> AutomationCondition:
        """True where a dependency read is being built by a run in flight."""
        return AutomationCondition.any_deps_match(AutomationCondition.in_progress()).with_label(
            "any_deps_in_progress"
        )

    @staticmethod
    def all_deps_blocking_checks_passed() -> AutomationCondition:
        """True where every blocking check of every dependency passed (or the dependency
        will be requested this tick)."""
        return AutomationCondition.all_deps_match(
            AutomationCondition.all_checks_match(
                AutomationCondition.check_passed() | AutomationCondition.will_be_requested(),
                blocking_only=True,
            ).with_label("all_blocking_checks_passed")
        ).with_label("all_deps_blocking_checks_passed")

    @staticmethod
    def all_deps_updated_since_cron(
        cron_schedule: str, cron_timezone: str = "UTC"
    ) -> AutomationCondition:
        """True where every dependency updated since the latest tick of the schedule."""
        return AutomationCondition.all_deps_match(
            AutomationCondition.newly_updated().since(
                AutomationCondition.cron_tick_passed(cron_schedule, cron_timezone)
            )
            | AutomationCondition.will_be_requested()
        ).with_label(f"all_deps_updated_since_cron({cron_schedule}, {cron_timezone})")

    @staticmethod
    def any_downstream_conditions() -> AutomationCondition:
        """The union of the distinct conditions of the assets downstream, each evaluated on
        this asset (to build it when a downstream asset's condition would want it)."""
        return AnyDownstreamConditions()

    # -- the usual starting points --------------------------------------------------------

    @staticmethod
    def eager() -> AutomationCondition:
        """Build when a dependency updates, or a partition becomes missing after the
        condition was applied; never while a dependency is missing or in progress, or the
        partition itself is in progress. Time-partitioned assets: the latest window only
        (as Dagster documents; ``AutomationPolicy.eager()`` fills older gaps too)."""
        return (
            AutomationCondition.in_latest_time_window()
            & (
                AutomationCondition.newly_missing() | AutomationCondition.any_deps_updated()
            ).since_last_handled()
            & ~AutomationCondition.any_deps_missing()
            & ~AutomationCondition.any_deps_in_progress()
            & ~AutomationCondition.in_progress()
        ).with_label("eager")

    @staticmethod
    def on_cron(cron_schedule: str, cron_timezone: str = "UTC") -> AutomationCondition:
        """Build once per tick of ``cron_schedule``, after every dependency has updated since
        that tick. Time-partitioned assets: the latest window only."""
        return (
            AutomationCondition.in_latest_time_window()
            & AutomationCondition.cron_tick_passed(
                cron_schedule, cron_timezone
            ).since_last_handled()
            & AutomationCondition.all_deps_updated_since_cron(cron_schedule, cron_timezone)
        ).with_label(f"on_cron({cron_schedule}, {cron_timezone})")

    @staticmethod
    def on_missing() -> AutomationCondition:
        """Build partitions that become missing after the condition was applied, once their
        dependencies are present. Time-partitioned assets: the latest window only."""
        return (
            AutomationCondition.in_latest_time_window()
            & AutomationCondition.missing()
            .newly_true()
            .since_last_handled()
            .with_label("missing_since_last_handled")
            & ~AutomationCondition.any_deps_missing()
        ).with_label("on_missing")


OPERAND_KINDS = frozenset(
    {
        "missing",
        "in_progress",
        "execution_failed",
        "newly_updated",
        "newly_requested",
        "will_be_requested",
        "initial_evaluation",
        "code_version_changed",
        "cron_tick_passed",
        "in_latest_time_window",
        "check_passed",
        "check_failed",
        "executed_with_root_target",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Operand(AutomationCondition):
    """A leaf of the tree: a fact about one partition at one tick."""

    kind: str
    cron_schedule: str | None = None
    cron_timezone: str = "UTC"
    lookback_seconds: float | None = None

    @property
    def name(self) -> str:
        if self.kind == "cron_tick_passed":
            return f"cron_tick_passed({self.cron_schedule}, {self.cron_timezone})"
        if self.kind == "in_latest_time_window" and self.lookback_seconds is not None:
            return f"in_latest_time_window({timedelta(seconds=self.lookback_seconds)})"
        return self.kind


@dataclass(frozen=True, slots=True, kw_only=True)
class JunctionCondition(AutomationCondition):
    """A condition over several operands: ``AndCondition`` or ``OrCondition``."""

    operands: tuple[AutomationCondition, ...]

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return self.operands

    def without(self, condition: AutomationCondition) -> AutomationCondition:
        kept = tuple(op for op in self.operands if op != condition)
        if len(kept) == len(self.operands):
            shown = ", ".join(op.describe() for op in self.operands)
            raise DefinitionError(
                f"AutomationCondition {self.describe()!r} has no operand "
                f"{condition.describe()!r} to remove; its operands are: {shown}."
            )
        if not kept:
            raise DefinitionError(
                f"AutomationCondition {self.describe()!r}: .without() would remove every operand."
            )
        return dataclasses.replace(self, operands=kept)

    def _map_children(self, change: Any) -> AutomationCondition:
        return dataclasses.replace(self, operands=tuple(change(c) for c in self.operands))


@dataclass(frozen=True, slots=True, kw_only=True)
class AndCondition(JunctionCondition):
    @property
    def name(self) -> str:
        return "AND"


@dataclass(frozen=True, slots=True, kw_only=True)
class OrCondition(JunctionCondition):
    @property
    def name(self) -> str:
        return "OR"


@dataclass(frozen=True, slots=True, kw_only=True)
class NotCondition(AutomationCondition):
    operand: AutomationCondition

    @property
    def name(self) -> str:
        return "NOT"

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)

    def _map_children(self, change: Any) -> AutomationCondition:
        return dataclasses.replace(self, operand=change(self.operand))


@dataclass(frozen=True, slots=True, kw_only=True)
class SinceCondition(AutomationCondition):
    trigger: AutomationCondition
    reset: AutomationCondition

    @property
    def name(self) -> str:
        return "SINCE"

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.trigger, self.reset)

    def _map_children(self, change: Any) -> AutomationCondition:
        return dataclasses.replace(self, trigger=change(self.trigger), reset=change(self.reset))


@dataclass(frozen=True, slots=True, kw_only=True)
class NewlyTrueCondition(AutomationCondition):
    operand: AutomationCondition

    @property
    def name(self) -> str:
        return "NEWLY_TRUE"

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)

    def _map_children(self, change: Any) -> AutomationCondition:
        return dataclasses.replace(self, operand=change(self.operand))


@dataclass(frozen=True, slots=True, kw_only=True)
class DepsCondition(AutomationCondition):
    """``any_deps_match`` / ``all_deps_match``: the operand evaluated on each dependency.

    ``allowed`` / ``ignored`` hold the selections of ``.allow()`` / ``.ignore()``
    (``AssetSelection`` values, selection strings, keys or assets), resolved at evaluation.
    """

    operand: AutomationCondition
    mode: str
    allowed: tuple[Any, ...] = ()
    ignored: tuple[Any, ...] = ()

    @property
    def name(self) -> str:
        return "ANY_DEPS_MATCH" if self.mode == "any" else "ALL_DEPS_MATCH"

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)

    def ignore(self, selection: Any) -> AutomationCondition:
        return dataclasses.replace(self, ignored=(*self.ignored, _selection(selection)))

    def allow(self, selection: Any) -> AutomationCondition:
        return dataclasses.replace(self, allowed=(*self.allowed, _selection(selection)))

    def _map_children(self, change: Any) -> AutomationCondition:
        return dataclasses.replace(self, operand=change(self.operand))


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecksCondition(AutomationCondition):
    """``any_checks_match`` / ``all_checks_match`` over the asset's (blocking) checks."""

    operand: AutomationCondition
    mode: str
    blocking_only: bool = False

    @property
    def name(self) -> str:
        return "ANY_CHECKS_MATCH" if self.mode == "any" else "ALL_CHECKS_MATCH"

    @property
    def children(self) -> tuple[AutomationCondition, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyDownstreamConditions(AutomationCondition):
    @property
    def name(self) -> str:
        return "ANY_DOWNSTREAM_CONDITIONS"


def _flat(condition: AutomationCondition, kind: type[AutomationCondition]) -> tuple[Any, ...]:
    """Unlabelled ``&`` (or ``|``) chains merge into one operator, as in Dagster."""
    if (
        isinstance(condition, AndCondition | OrCondition)
        and type(condition) is kind
        and condition.label is None
    ):
        return condition.operands
    return (condition,)


def _selection(selection: Any) -> Any:
    """A hashable form of an ``.ignore()`` / ``.allow()`` selection."""
    if isinstance(selection, list | set | frozenset):
        return tuple(selection)
    return selection


def _check_condition(value: object, where: str) -> None:
    if not isinstance(value, AutomationCondition):
        raise DefinitionError(
            f"AutomationCondition {where} takes another AutomationCondition, got "
            f"{type(value).__name__}."
        )


def check_automation_condition(name: str, condition: object, policy: object) -> None:
    """Refuse an ``automation_condition`` of the wrong type, or one beside a policy."""
    if condition is None:
        return
    if not isinstance(condition, AutomationCondition):
        raise DefinitionError(
            f"Asset '{name}': automation_condition must be an AutomationCondition (e.g. "
            f"AutomationCondition.eager()), got {type(condition).__name__}."
        )
    if policy is not None:
        raise DefinitionError(
            f"Asset '{name}': give either automation_condition= or automation_policy=, not "
            "both (AutomationPolicy is assetgraph's sugar; AutomationCondition is Dagster's)."
        )


def iter_conditions(condition: AutomationCondition) -> Iterable[AutomationCondition]:
    """Every node of the tree, depth first."""
    yield condition
    for child in condition.children:
        yield from iter_conditions(child)
