"""``EnvVar``: a resource field read from the environment when a run starts.

An ``EnvVar("NAME")`` given as a field of a ``ConfigurableResource`` (or
``ConfigurableIOManager``) is held as the variable's *name* only: the definitions, the
payload sent to workers and every listing carry ``EnvVar('NAME')``. Each process of a run
reads the value when the run starts (``resolve_env_vars``), so a secret is never stored,
logged or pickled. This module imports nothing heavy.
"""

from __future__ import annotations

import os
from typing import Any

from assetgraph.errors import ResourceError


class EnvVar(str):
    """The name of an environment variable whose value a resource field takes at run time.

    As in Dagster: a ``str`` subclass; ``EnvVar.int("NAME")`` reads an integer;
    ``get_value(default=None)`` reads the variable now.
    """

    __slots__ = ()

    @classmethod
    def int(cls, name: str) -> IntEnvVar:
        """A field whose value is the integer in the environment variable ``name``."""
        return IntEnvVar(name)

    @property
    def env_var_name(self) -> str:
        """The variable's name."""
        return str.__str__(self)

    def get_value(self, default: str | None = None) -> str | None:
        """The variable's current value, else ``default``."""
        return os.environ.get(self.env_var_name, default)

    def __repr__(self) -> str:
        return f"EnvVar({self.env_var_name!r})"

    def __reduce__(self) -> Any:
        return (type(self), (self.env_var_name,))


class IntEnvVar(EnvVar):
    """An ``EnvVar`` whose value must be an integer (made by ``EnvVar.int``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"EnvVar.int({self.env_var_name!r})"


def read_env_var(var: EnvVar, resource_name: str, field: str) -> str | int:
    """The value of ``var`` for field ``field`` of resource ``resource_name``, else an error."""
    value = os.environ.get(var.env_var_name)
    if value is None:
        raise ResourceError(
            f"Resource '{resource_name}': field '{field}' reads the environment variable "
            f"'{var.env_var_name}', which is not set. Set it in the environment of every "
            "process of the run (coordinator and workers)."
        )
    if isinstance(var, IntEnvVar):
        try:
            return int(value)
        except ValueError:
            raise ResourceError(
                f"Resource '{resource_name}': field '{field}' reads the environment variable "
                f"'{var.env_var_name}' as an integer (EnvVar.int), but it holds a value that "
                "is not one."
            ) from None
    return value
