"""The asset graph: every asset key, its upstreams resolved, validated at load time.

Built over a networkx ``DiGraph`` whose nodes are asset keys and whose edges point from
upstream to downstream. Validation names the culprits: duplicate keys with both
definition sites, unknown upstream parameters with the nearest existing keys, and cycles
with their path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assetgraph.assets import AssetsDefinition, AssetSpec, InputSpec
from assetgraph.errors import DefinitionError, did_you_mean
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    import networkx as nx


class AssetGraph:
    """The validated graph of a set of asset definitions."""

    def __init__(self, assets_defs: Sequence[AssetsDefinition]) -> None:
        import networkx as nx

        self._defs_by_key: dict[AssetKey, AssetsDefinition] = {}
        for assets_def in assets_defs:
            for key in assets_def.keys:
                previous = self._defs_by_key.get(key)
                if previous is not None:
                    raise DefinitionError(
                        f"Duplicate asset key '{key}': defined at {previous.source_location} "
                        f"and at {assets_def.source_location}. Rename one, or give it a "
                        "key_prefix."
                    )
                self._defs_by_key[key] = assets_def
        self.assets_defs: tuple[AssetsDefinition, ...] = tuple(assets_defs)
        self._inputs: dict[AssetsDefinition, dict[str, AssetKey]] = {}
        self._deps: dict[AssetsDefinition, tuple[AssetKey, ...]] = {}
        self._input_specs: dict[tuple[AssetsDefinition, str], InputSpec] = {}
        graph: nx.DiGraph[AssetKey] = nx.DiGraph()
        graph.add_nodes_from(self._defs_by_key)
        self._check_unique_names()
        for assets_def in self.assets_defs:
            params: dict[str, AssetKey] = {}
            deps: list[AssetKey] = []
            for spec in assets_def.inputs:
                upstream = self._resolve(assets_def, spec)
                if spec.param is None:
                    deps.append(upstream)
                else:
                    params[spec.param] = upstream
                    self._input_specs[(assets_def, spec.param)] = spec
                graph.add_edges_from((upstream, key) for key in assets_def.keys)
            self._inputs[assets_def] = params
            self._deps[assets_def] = tuple(deps)
        self._graph = graph
        self.all_keys: tuple[AssetKey, ...] = self._topological_order()

    # -- queries --------------------------------------------------------------------------

    @property
    def nx_graph(self) -> nx.DiGraph[AssetKey]:
        """The underlying networkx graph (upstream -> downstream edges); do not mutate."""
        return self._graph

    def has(self, key: AssetKey) -> bool:
        return key in self._defs_by_key

    def assets_def(self, key: AssetKey) -> AssetsDefinition:
        """The definition that materializes ``key``."""
        return self._defs_by_key[key]

    def spec(self, key: AssetKey) -> AssetSpec:
        return self._defs_by_key[key].spec(key)

    def group_of(self, key: AssetKey) -> str:
        return self.spec(key).group

    def tags_of(self, key: AssetKey) -> Mapping[str, str]:
        return self.spec(key).tags

    def parents(self, key: AssetKey) -> Iterable[AssetKey]:
        """Direct upstream keys (loaded inputs and ordering-only deps)."""
        parents: Iterable[AssetKey] = self._graph.predecessors(key)
        return parents

    def children(self, key: AssetKey) -> Iterable[AssetKey]:
        """Direct downstream keys."""
        children: Iterable[AssetKey] = self._graph.successors(key)
        return children

    def input_keys(self, assets_def: AssetsDefinition) -> dict[str, AssetKey]:
        """Parameter name -> the upstream key it loads."""
        return self._inputs[assets_def]

    def input_spec(self, assets_def: AssetsDefinition, param: str) -> InputSpec:
        return self._input_specs[(assets_def, param)]

    def dep_keys(self, assets_def: AssetsDefinition) -> tuple[AssetKey, ...]:
        """Ordering-only upstream keys (``deps=[...]``)."""
        return self._deps[assets_def]

    def groups(self) -> list[str]:
        return sorted({self.group_of(key) for key in self.all_keys})

    def toposort(self, keys: Iterable[AssetKey]) -> list[AssetKey]:
        """``keys`` in the graph's topological order."""
        wanted = set(keys)
        return [key for key in self.all_keys if key in wanted]

    def key_strings(self) -> list[str]:
        return [key.to_string() for key in self._defs_by_key]

    def find(self, text: str) -> AssetKey:
        """The key spelled ``text`` (``a/b``), or a DefinitionError with the nearest keys."""
        key = AssetKey.from_user(text)
        if key not in self._defs_by_key:
            raise DefinitionError(
                f"Unknown asset '{text}'." + did_you_mean(text, self.key_strings())
            )
        return key

    # -- building -------------------------------------------------------------------------

    def _resolve(self, assets_def: AssetsDefinition, spec: InputSpec) -> AssetKey:
        if spec.key is not None:
            candidates = [spec.key]
        else:
            prefixes = {key.prefix for key in assets_def.keys}
            candidates = [spec.name.with_prefix(p) for p in sorted(prefixes) if p]
            candidates.append(spec.name)
        for candidate in candidates:
            if candidate in self._defs_by_key:
                return candidate
        wanted = candidates[0].to_string()
        where = assets_def.source_location
        if spec.param is None:
            what = f"deps=[...] names '{wanted}'"
        elif spec.key is not None:
            what = f"ins['{spec.param}'] names '{wanted}'"
        else:
            what = f"parameter '{spec.param}' names an upstream asset '{spec.name}'"
        raise DefinitionError(
            f"Asset '{assets_def.name}' ({where}): {what}, which does not exist."
            + (did_you_mean(spec.name.to_string(), self.key_strings()) or " No asset is close.")
            + " If it is not an asset, annotate it with its resource or Config class, or "
            "call the execution context 'context'."
        )

    def _check_unique_names(self) -> None:
        seen: dict[str, AssetsDefinition] = {}
        for assets_def in self.assets_defs:
            other = seen.get(assets_def.step_name)
            if other is not None and other is not assets_def:
                raise DefinitionError(
                    f"Two asset definitions share the step name '{assets_def.step_name}' "
                    f"({other.source_location} and {assets_def.source_location}): pass "
                    "name=... to one of them."
                )
            seen[assets_def.step_name] = assets_def

    def _topological_order(self) -> tuple[AssetKey, ...]:
        import networkx as nx

        try:
            return tuple(nx.topological_sort(self._graph))
        except nx.NetworkXUnfeasible:
            cycle = nx.find_cycle(self._graph)
            path = [edge[0] for edge in cycle] + [cycle[0][0]]
            raise DefinitionError(
                "The asset graph has a cycle: "
                + " -> ".join(key.to_string() for key in path)
                + ". An asset cannot depend on itself, directly or through others."
            ) from None


def assets_defs_in(objects: Iterable[Any]) -> list[AssetsDefinition]:
    """The ``AssetsDefinition`` objects among ``objects``, in order, without repeats."""
    seen: set[int] = set()
    found: list[AssetsDefinition] = []
    for obj in objects:
        if isinstance(obj, AssetsDefinition) and id(obj) not in seen:
            seen.add(id(obj))
            found.append(obj)
    return found
