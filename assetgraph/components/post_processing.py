"""``post_processing`` of a ``defs.yaml``: change the attributes of the assets a component
(or a folder) defines, as Dagster documents it::

    post_processing:
      assets:
        - target: "group:raw"          # a selection string; "*" (all) when left out
          operation: merge             # or replace
          attributes:
            group_name: ingest
            tags: {team: data}

With ``merge`` mappings (``tags``, ``metadata``) are merged and lists (``owners``,
``kinds``, ``deps``) extended; with ``replace`` each given attribute replaces the old.
Other attributes (``group_name``, ``description``, ``code_version``,
``automation_condition``) are replaced either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import pydantic

from assetgraph.components.resolution import Model
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.specs import AssetSpec
from assetgraph.errors import DefinitionError

_MERGED = ("tags", "metadata", "owners", "kinds", "deps")


class AssetAttributesModel(Model):
    """The attributes post-processing may set on an asset."""

    deps: list[str] | None = None
    description: str | None = None
    metadata: dict[str, Any] | None = None
    group_name: str | None = None
    code_version: str | None = None
    owners: list[str] | None = None
    tags: dict[str, str] | None = None
    kinds: list[str] | None = None
    automation_condition: Any = None


class AssetPostProcessor(Model):
    """One entry of ``post_processing.assets``."""

    target: str = "*"
    operation: Literal["merge", "replace"] = "merge"
    attributes: AssetAttributesModel

    def __call__(self, defs: Definitions) -> Definitions:
        """``defs`` with the attributes applied to the target's assets."""
        given = {k: getattr(self.attributes, k) for k in self.attributes.model_fields_set}

        def change(spec: AssetSpec) -> AssetSpec:
            if self.operation == "replace":
                return spec.replace_attributes(**given)
            merged = {k: v for k, v in given.items() if k in _MERGED}
            replaced = {k: v for k, v in given.items() if k not in _MERGED}
            return spec.merge_attributes(**merged).replace_attributes(**replaced)

        return defs.map_asset_specs(func=change, selection=self.target)


class PostProcessingModel(Model):
    """The ``post_processing`` section."""

    assets: list[AssetPostProcessor] | None = None


def post_processors(
    section: Any, where: str, locate: Callable[[tuple[Any, ...]], int | None] | None = None
) -> list[AssetPostProcessor]:
    """The asset post-processors of a rendered ``post_processing`` section (or of a
    folder's ``asset_post_processors`` attribute, a list)."""
    if not section:
        return []
    try:
        if isinstance(section, Sequence) and not isinstance(section, str):
            return [AssetPostProcessor.model_validate(item) for item in section]
        if not isinstance(section, Mapping):
            raise DefinitionError(
                f"{where}: post_processing must be a mapping with an 'assets' list, got "
                f"{type(section).__name__}."
            )
        return list(PostProcessingModel.model_validate(section).assets or [])
    except pydantic.ValidationError as exc:
        from assetgraph.components.resolution import validation_error

        raise validation_error(where, exc, locate) from exc


def post_process(defs: Definitions, processors: Sequence[AssetPostProcessor]) -> Definitions:
    """``defs`` through each processor in turn."""
    for processor in processors:
        defs = processor(defs)
    return defs
