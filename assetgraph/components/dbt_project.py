"""dagster-dbt's ``DbtProjectComponent``: a dbt project's models, seeds and snapshots as
assets (its tests as checks), declared in a ``defs.yaml``::

    type: dagster_dbt.DbtProjectComponent
    attributes:
      project: "{{ project_root }}/dbt"        # or relative to this folder, or a mapping
      select: "tag:daily"                       # optional, dbt's syntax
      translation:                              # optional, per dbt node
        group_name: dbt
        key: "warehouse/{{ node.name }}"

It is ``dbt_assets(project, select=, exclude=, name=)`` of ``assetgraph.dbt``: a run builds
the selected nodes with ``dbt build``. ``translation`` values are templates over ``node``
(the node's manifest entry: ``node.name``, ``node.config.materialized``, ...), rendered for
each node.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assetgraph.components.component import Component
from assetgraph.components.context import ComponentLoadContext
from assetgraph.components.resolution import Model, Resolvable
from assetgraph.components.templating import render
from assetgraph.dbt.decorator import dbt_assets
from assetgraph.dbt.lookups import get_asset_key_for_model
from assetgraph.dbt.project import DbtProject
from assetgraph.dbt.translator import DagsterDbtTranslator
from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey


class DbtProjectArgs(Model):
    """``project:`` as a mapping: ``DbtProject``'s arguments."""

    project_dir: str
    target_path: str = "target"
    profiles_dir: str | None = None
    profile: str | None = None
    target: str | None = None


class OpSpec(Model):
    """``op:``: the step's name (and Dagster's tags, kept)."""

    name: str | None = None
    tags: dict[str, Any] | None = None


class DbtProjectComponent(Component, Resolvable):
    """The nodes of a dbt project as assets; ``cli_args`` other than ``build`` are refused
    (a run always builds the selected nodes)."""

    # rendered per dbt node when the assets are built, not when the YAML is loaded
    deferred_template_fields = ("translation",)

    def __init__(
        self,
        project: str | DbtProjectArgs,
        select: str = "fqn:*",
        exclude: str | None = None,
        cli_args: list[str] | None = None,
        translation: dict[str, Any] | None = None,
        op: OpSpec | None = None,
    ) -> None:
        self.project = project
        self.select = select
        self.exclude = exclude
        self.cli_args = cli_args
        self.translation = translation or {}
        self.op = op
        self._assets: AssetsDefinition | None = None

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        if self.cli_args not in (None, ["build"]):
            raise DefinitionError(
                f"{context.path / 'defs.yaml'}: DbtProjectComponent cli_args {self.cli_args} "
                "are not supported; a run always runs `dbt build` on the selected nodes."
            )
        translator = _TemplatedTranslator(self.translation, context)
        self._assets = dbt_assets(
            self._project(context.path),
            select=self.select,
            exclude=self.exclude,
            name=self.op.name if self.op else None,
            dagster_dbt_translator=translator,
        )
        return Definitions(assets=[self._assets])

    def asset_key_for_model(self, model_name: str) -> AssetKey:
        """The key of dbt model ``model_name`` (once the component is built)."""
        if self._assets is None:
            raise DefinitionError(
                "DbtProjectComponent.asset_key_for_model: build the component first."
            )
        return get_asset_key_for_model([self._assets], model_name)

    def _project(self, folder: Path) -> DbtProject:
        args = self.project if isinstance(self.project, DbtProjectArgs) else None
        project_dir = Path(args.project_dir if args else str(self.project))
        if not project_dir.is_absolute():
            project_dir = folder / project_dir
        if args is None:
            return DbtProject(project_dir)
        profiles_dir = args.profiles_dir
        if profiles_dir is not None and not Path(profiles_dir).is_absolute():
            profiles_dir = str(folder / profiles_dir)
        return DbtProject(
            project_dir,
            target_path=args.target_path,
            profiles_dir=profiles_dir,
            profile=args.profile,
            target=args.target,
        )


class _NodeView(dict[str, Any]):
    """A manifest entry whose keys read as attributes too (``node.name``), as in Jinja."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name)
        return _NodeView(value) if isinstance(value, Mapping) else value


class _TemplatedTranslator(DagsterDbtTranslator):
    """``translation:`` templates rendered for each node, else the default translation."""

    def __init__(self, translation: Mapping[str, Any], context: ComponentLoadContext) -> None:
        super().__init__()
        self.translation = dict(translation)
        self.scope = context.resolution_context.scope
        self.where = f"{context.path / 'defs.yaml'}: translation"

    def _value(self, name: str, props: Mapping[str, Any]) -> Any:
        template = self.translation[name]
        return render(template, {**self.scope, "node": _NodeView(props)}, f"{self.where}.{name}")

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if "key" in self.translation:
            return AssetKey.from_user(self._value("key", dbt_resource_props))
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if "group_name" in self.translation:
            return str(self._value("group_name", dbt_resource_props))
        return super().get_group_name(dbt_resource_props)

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        if "description" in self.translation:
            return str(self._value("description", dbt_resource_props))
        return super().get_description(dbt_resource_props)

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        own = dict(super().get_tags(dbt_resource_props))
        if "tags" in self.translation:
            own.update(self._value("tags", dbt_resource_props))
        return own

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        own = dict(super().get_metadata(dbt_resource_props))
        if "metadata" in self.translation:
            own.update(self._value("metadata", dbt_resource_props))
        return own

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Any:
        if "owners" in self.translation:
            return list(self._value("owners", dbt_resource_props))
        return super().get_owners(dbt_resource_props)

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> Any:
        if "automation_condition" in self.translation:
            return self._value("automation_condition", dbt_resource_props)
        return super().get_automation_condition(dbt_resource_props)
