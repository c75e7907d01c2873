"""Run config and resources: pydantic models users subclass.

This module imports pydantic, so ``assetgraph/__init__`` resolves these names lazily.
Asset signatures recognise both classes by the ``__assetgraph_kind__`` marker, which lets
the asset module stay free of pydantic.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class Config(BaseModel):
    """Run config of an asset: annotate a parameter with a subclass to receive it.

    Fields without defaults must be given in run config (``--config run.yaml``);
    unknown fields are an error.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    __assetgraph_kind__: ClassVar[str] = "config"


class ConfigurableResource(BaseModel):
    """A resource (a client, a connection's settings) injected into assets by annotation.

    Register an instance in ``Definitions(resources={"name": MyResource(...)})`` and declare
    a parameter ``name: MyResource`` on the asset. Override ``setup_for_execution`` and
    ``teardown_after_execution`` to open and close what the resource holds during a run.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    __assetgraph_kind__: ClassVar[str] = "resource"

    def setup_for_execution(self, context: Any) -> None:
        """Called once per run before the first step that uses this resource."""

    def teardown_after_execution(self, context: Any) -> None:
        """Called once per run after the last step, even when the run failed."""
