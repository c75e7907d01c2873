"""The layered graph of S2, S4, S5 and S8: ``layers`` layers of ``width`` assets.

Asset ``i`` of layer ``k`` reads assets ``i`` and ``(i + 1) % width`` of layer ``k - 1``;
layer 0 reads nothing. Names are ``a_<k>_<i>``. Every asset function is made by one
factory, so they all share a code object, as assets generated in a loop do in user code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assetgraph import AssetsDefinition


def asset_name(layer: int, index: int) -> str:
    return f"a_{layer}_{index}"


def parent_names(layer: int, index: int, width: int) -> tuple[str, str] | tuple[()]:
    """The two upstream names of asset ``index`` of ``layer`` (none in layer 0)."""
    if layer == 0:
        return ()
    return asset_name(layer - 1, index), asset_name(layer - 1, (index + 1) % width)


def positions(layers: int, width: int) -> Iterator[tuple[int, int]]:
    """Every (layer, index), layer by layer: a topological order of the graph."""
    for layer in range(layers):
        for index in range(width):
            yield layer, index


def layers_for(size: int, width: int) -> int:
    if size % width:
        raise SystemExit(f"--size {size} is not a multiple of --width {width}.")
    return size // width


def root_value(index: int) -> int:
    return index


def combine(x: int, y: int) -> int:
    return x + y


def _root_fn(index: int) -> Any:
    def root() -> int:
        return root_value(index)

    return root


def _inner_fn() -> Any:
    def inner(x: int, y: int) -> int:
        return combine(x, y)

    return inner


def build_assets(
    layers: int,
    width: int,
    *,
    code_version: str | None = None,
    code_versions: dict[str, str] | None = None,
    partitions_def: Any = None,
) -> list[AssetsDefinition]:
    """The graph as assetgraph asset definitions, built with the public API only.

    ``code_versions`` overrides the code version of some assets by name; ``partitions_def``
    partitions every asset the same way (identity mappings between them).
    """
    from assetgraph import AssetIn, asset

    assets: list[AssetsDefinition] = []
    for layer, index in positions(layers, width):
        name = asset_name(layer, index)
        parents = parent_names(layer, index, width)
        version = (code_versions or {}).get(name, code_version)
        options: dict[str, Any] = {"name": name, "code_version": version}
        if partitions_def is not None:
            options["partitions_def"] = partitions_def
        if not parents:
            assets.append(asset(**options)(_root_fn(index)))
            continue
        ins = {"x": AssetIn(key=parents[0]), "y": AssetIn(key=parents[1])}
        assets.append(asset(ins=ins, **options)(_inner_fn()))
    return assets


def parents_dict(layers: int, width: int) -> dict[str, tuple[str, ...]]:
    """The graph as plain Python: name -> upstream names."""
    return {
        asset_name(layer, index): parent_names(layer, index, width)
        for layer, index in positions(layers, width)
    }
