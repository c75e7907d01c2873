"""``Definitions``: the assets, resources and IO managers of one code location."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assetgraph.assets import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from assetgraph.errors import DefinitionError, ResourceError, did_you_mean
from assetgraph.graph import AssetGraph


class Definitions:
    """Everything a code location declares, validated when it is built.

    ``resources`` maps names to resource objects, injected into asset parameters annotated
    with a resource class. ``io_managers`` maps IO manager keys to IO managers; the default
    key ``"io_manager"`` falls back to the pickle IO manager under ``$ASSETGRAPH_HOME``. An
    IO manager may also be given in ``resources``, as in Dagster.
    """

    def __init__(
        self,
        assets: Iterable[AssetsDefinition] = (),
        *,
        resources: Mapping[str, Any] | None = None,
        io_managers: Mapping[str, Any] | None = None,
    ) -> None:
        self.assets: tuple[AssetsDefinition, ...] = tuple(_check_assets(assets))
        self.resources: dict[str, Any] = dict(resources or {})
        self.io_managers: dict[str, Any] = dict(io_managers or {})
        for name, value in self.resources.items():
            if _is_io_manager(value):
                self.io_managers.setdefault(name, value)
        self.graph = AssetGraph(self.assets)
        self._check_resources()

    def get_asset_graph(self) -> AssetGraph:
        """The validated asset graph."""
        return self.graph

    def _check_resources(self) -> None:
        for assets_def in self.assets:
            for param, annotation in assets_def.resource_params.items():
                if param not in self.resources:
                    raise ResourceError(
                        f"Asset '{assets_def.name}' ({assets_def.source_location}) needs the "
                        f"resource '{param}' ({annotation.__name__}), which Definitions does not "
                        f"provide: add resources={{'{param}': {annotation.__name__}(...)}}."
                        + did_you_mean(param, self.resources)
                    )
                if not isinstance(self.resources[param], annotation):
                    raise ResourceError(
                        f"Asset '{assets_def.name}': resource '{param}' is a "
                        f"{type(self.resources[param]).__name__}, but the parameter is annotated "
                        f"{annotation.__name__}."
                    )
            for spec in assets_def.specs:
                io_key = spec.io_manager_key
                if io_key != DEFAULT_IO_MANAGER_KEY and io_key not in self.io_managers:
                    raise ResourceError(
                        f"Asset '{spec.key}' uses io_manager_key='{io_key}', but Definitions has "
                        f"no IO manager of that name: add io_managers={{'{io_key}': ...}}."
                        + did_you_mean(io_key, self.io_managers)
                    )


def _check_assets(assets: Iterable[Any]) -> list[AssetsDefinition]:
    if isinstance(assets, AssetsDefinition):
        assets = [assets]
    checked: list[AssetsDefinition] = []
    seen: set[int] = set()
    for obj in assets:
        if not isinstance(obj, AssetsDefinition):
            name = getattr(obj, "__qualname__", repr(obj))
            hint = " Decorate it with @asset." if callable(obj) else ""
            raise DefinitionError(
                f"Definitions(assets=[...]) got {name!r} ({type(obj).__name__}), which is not "
                f"an asset.{hint}"
            )
        if id(obj) not in seen:
            seen.add(id(obj))
            checked.append(obj)
    return checked


def _is_io_manager(value: object) -> bool:
    return callable(getattr(value, "handle_output", None)) and callable(
        getattr(value, "load_input", None)
    )
