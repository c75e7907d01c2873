"""Dagster's ``PythonScriptComponent``: a Python script of the ``defs/`` folder run as a
Pipes subprocess that materializes the assets its ``defs.yaml`` declares::

    type: dagster.PythonScriptComponent
    attributes:
      execution:
        path: process_sales_data.py     # relative to the folder of the defs.yaml
        args: ["--full"]                 # optional
      assets:
        - key: sales_revenue_report
          kinds: ["python"]

The script runs with this Python (``sys.executable``) in the folder of its ``defs.yaml``;
what it reports with ``open_dagster_pipes()`` (materializations, metadata, check results,
logs) is the step's result, as with ``PipesSubprocessClient``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assetgraph.components.component import Component
from assetgraph.components.context import ComponentLoadContext
from assetgraph.components.resolution import Model, Resolvable, ResolvedAssetSpec
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.multi_assets import multi_asset
from assetgraph.definitions.specs import AssetSpec
from assetgraph.errors import DefinitionError
from assetgraph.pipes.subprocess_client import PipesSubprocessClient


class ScriptSpec(Model):
    """``execution:`` of a script component: the script and how to call it."""

    path: str
    args: list[str] | str | None = None
    name: str | None = None
    description: str | None = None


class PythonScriptComponent(Component, Resolvable):
    """Run ``execution.path`` as a Pipes subprocess that materializes ``assets``."""

    def __init__(self, execution: ScriptSpec, assets: Sequence[ResolvedAssetSpec] = ()) -> None:
        self.execution = execution
        self.assets = list(assets)

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        script = (context.path / self.execution.path).resolve()
        if not script.is_file():
            raise DefinitionError(
                f"{context.path / 'defs.yaml'}: PythonScriptComponent script "
                f"'{self.execution.path}' is not a file of {context.path}."
            )
        if not self.assets:
            raise DefinitionError(
                f"{context.path / 'defs.yaml'}: PythonScriptComponent needs 'assets:', the "
                "assets the script materializes."
            )
        return Definitions(assets=[self._assets_def(script)])

    def _assets_def(self, script: Path) -> Any:
        args = self.execution.args
        command = [
            sys.executable,
            str(script),
            *(args.split() if isinstance(args, str) else args or []),
        ]
        specs: list[AssetSpec] = self.assets

        @multi_asset(
            name=self.execution.name or script.stem,
            specs=specs,
            description=self.execution.description,
        )
        def _run_script(context: Any) -> Iterator[Any]:
            client = PipesSubprocessClient(cwd=str(script.parent))
            yield from client.run(context=context, command=command).get_results()

        return _run_script
