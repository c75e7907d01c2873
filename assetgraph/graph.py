"""The asset graph: every asset key, its upstreams resolved, validated at load time.

Held as plain adjacency dicts (upstream -> downstream), which build and sort 10,000 assets
in milliseconds; ``nx_graph`` gives the same graph as a networkx ``DiGraph`` for analysis,
built on first use. Validation names the culprits: duplicate keys with both definition
sites, unknown upstream parameters with the nearest existing keys, and cycles with their
path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.assets import AssetOutputSpec, AssetsDefinition, InputSpec
from assetgraph.definitions.external_assets import ExternalAsset, external_asset_for_key
from assetgraph.definitions.source_assets import SourceAsset
from assetgraph.errors import DefinitionError, did_you_mean
from assetgraph.keys import AssetKey
from assetgraph.partitions.compatibility import check_compatible
from assetgraph.partitions.mappings import PartitionMapping

if TYPE_CHECKING:
    import networkx as nx

    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.partitions.mappings import PartitionMapping


class AssetGraph:
    """The validated graph of a set of asset definitions."""

    def __init__(self, assets_defs: Sequence[AssetsDefinition]) -> None:
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
        stubs = self._external_stubs(assets_defs)
        self._canonical: dict[AssetKey, AssetKey] = {key: key for key in self._defs_by_key}
        """Each key to the one instance the graph holds: dictionaries keyed by asset keys
        compare instances first, so lookups with the graph's own keys skip ``__eq__``."""
        self.assets_defs: tuple[AssetsDefinition, ...] = (*assets_defs, *stubs)
        self._inputs: dict[AssetsDefinition, dict[str, AssetKey]] = {}
        self._deps: dict[AssetsDefinition, tuple[AssetKey, ...]] = {}
        self._input_specs: dict[tuple[AssetsDefinition, str], InputSpec] = {}
        self._parents: dict[AssetKey, dict[AssetKey, None]] = {k: {} for k in self._defs_by_key}
        self._children: dict[AssetKey, dict[AssetKey, None]] = {k: {} for k in self._defs_by_key}
        self._nx: nx.DiGraph[AssetKey] | None = None
        self._mappings: dict[tuple[AssetKey, AssetKey], PartitionMapping | None] = {}
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
                for key in assets_def.keys:
                    if _reads(assets_def, key, upstream):
                        self._add_edge(assets_def, key, upstream, spec)
            if assets_def.internal_deps:
                self._add_internal_edges(assets_def)
            self._inputs[assets_def] = params
            self._deps[assets_def] = tuple(deps)
        self.all_keys: tuple[AssetKey, ...] = self._topological_order()

    # -- queries --------------------------------------------------------------------------

    @property
    def nx_graph(self) -> nx.DiGraph[AssetKey]:
        """The graph as a networkx ``DiGraph`` (upstream -> downstream edges); do not mutate."""
        if self._nx is None:
            import networkx as nx

            graph: nx.DiGraph[AssetKey] = nx.DiGraph()
            graph.add_nodes_from(self.all_keys)
            graph.add_edges_from(
                (parent, key) for key in self.all_keys for parent in self._parents[key]
            )
            self._nx = graph
        return self._nx

    @property
    def edge_count(self) -> int:
        """How many upstream -> downstream dependencies the graph has."""
        return sum(len(parents) for parents in self._parents.values())

    def has(self, key: AssetKey) -> bool:
        return key in self._defs_by_key

    def is_source(self, key: AssetKey) -> bool:
        """True when ``key`` is a source asset: read, observed perhaps, never materialized."""
        return isinstance(self._defs_by_key[key], SourceAsset)

    def is_external(self, key: AssetKey) -> bool:
        """True when ``key`` is an external asset (a bare ``AssetSpec``, an undeclared dep)."""
        return isinstance(self._defs_by_key[key], ExternalAsset)

    def is_observable_source(self, key: AssetKey) -> bool:
        """True when ``key`` is a source asset with an observation function."""
        assets_def = self._defs_by_key[key]
        return isinstance(assets_def, SourceAsset) and assets_def.is_observable

    @property
    def source_keys(self) -> tuple[AssetKey, ...]:
        """The keys of the source assets, in topological order."""
        return tuple(key for key in self.all_keys if self.is_source(key))

    def assets_def(self, key: AssetKey) -> AssetsDefinition:
        """The definition that materializes ``key``."""
        return self._defs_by_key[key]

    def spec(self, key: AssetKey) -> AssetOutputSpec:
        return self._defs_by_key[key].spec(key)

    def group_of(self, key: AssetKey) -> str:
        return self.spec(key).group

    def tags_of(self, key: AssetKey) -> Mapping[str, str]:
        return self.spec(key).tags

    def parents(self, key: AssetKey) -> Iterable[AssetKey]:
        """Direct upstream keys (loaded inputs and ordering-only deps)."""
        return self._parents[key].keys()

    def children(self, key: AssetKey) -> Iterable[AssetKey]:
        """Direct downstream keys."""
        return self._children[key].keys()

    def input_keys(self, assets_def: AssetsDefinition) -> dict[str, AssetKey]:
        """Parameter name -> the upstream key it loads."""
        return self._inputs[assets_def]

    def input_spec(self, assets_def: AssetsDefinition, param: str) -> InputSpec:
        return self._input_specs[(assets_def, param)]

    def dep_keys(self, assets_def: AssetsDefinition) -> tuple[AssetKey, ...]:
        """Ordering-only upstream keys (``deps=[...]``)."""
        return self._deps[assets_def]

    def partitions_def(self, key: AssetKey) -> PartitionsDefinition | None:
        """How ``key`` is partitioned (None when it is not)."""
        return self._defs_by_key[key].partitions_def

    def partition_mapping(self, key: AssetKey, upstream: AssetKey) -> PartitionMapping | None:
        """Which partitions of ``upstream`` a partition of ``key`` reads.

        None when neither is partitioned; the declared mapping of the input, else the
        default one between their definitions (checked when the graph was built).
        """
        return self._mappings[(key, upstream)]

    @property
    def is_partitioned(self) -> bool:
        """True when any asset of the graph is partitioned."""
        return any(d.partitions_def is not None for d in self.assets_defs)

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
        candidates = self._candidates(assets_def, spec)
        for candidate in candidates:
            if candidate in self._defs_by_key:
                return self._canonical[candidate]
        in_group = self._same_group_match(assets_def, spec)
        if in_group is not None:
            return self._canonical[in_group]
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

    def _same_group_match(self, assets_def: AssetsDefinition, spec: InputSpec) -> AssetKey | None:
        """Dagster's rule for a bare name that no key matches: the only other asset of that
        name in the asset's group (``user_story_matrix(comment_stories)`` in group
        ``recommender`` reads ``snowflake/recommender/comment_stories``)."""
        if spec.key is not None or len(spec.name.path) != 1:
            return None
        groups = {self.group_of(key) for key in assets_def.keys}
        matches = [
            key
            for key in self._defs_by_key
            if key.path[-1] == spec.name.path[0]
            and key not in assets_def.keys
            and self.group_of(key) in groups
        ]
        return matches[0] if len(matches) == 1 else None

    def _external_stubs(self, assets_defs: Sequence[AssetsDefinition]) -> list[AssetsDefinition]:
        """External assets for keys named only in ``deps=[...]``, or by an input that its
        input manager loads (Dagster does the same)."""
        stubs: list[AssetsDefinition] = []
        for assets_def in assets_defs:
            for spec in assets_def.inputs:
                if spec.param is not None and spec.input_manager_key is None:
                    continue
                candidates = self._candidates(assets_def, spec)
                if any(candidate in self._defs_by_key for candidate in candidates):
                    continue
                if self._same_group_match(assets_def, spec) is not None:
                    continue

                key = candidates[0] if spec.key is not None else spec.name
                stub = external_asset_for_key(key, f"'{assets_def.name}'")
                self._defs_by_key[key] = stub
                stubs.append(stub)
        return stubs

    def _candidates(self, assets_def: AssetsDefinition, spec: InputSpec) -> list[AssetKey]:
        """The keys an input may name, most specific first."""
        if spec.key is not None:
            return [spec.key]
        prefixes = {key.prefix for key in assets_def.keys}
        return [*(spec.name.with_prefix(p) for p in sorted(prefixes) if p), spec.name]

    def _add_edge(
        self, assets_def: AssetsDefinition, key: AssetKey, upstream: AssetKey, spec: InputSpec
    ) -> None:
        self._parents[key][upstream] = None
        self._children[upstream][key] = None
        self._mappings[(key, upstream)] = self._check_partitions(assets_def, key, upstream, spec)

    def _add_internal_edges(self, assets_def: AssetsDefinition) -> None:
        """Edges between outputs of one multi-asset, and a check of ``internal_asset_deps``."""
        for key, upstreams in assets_def.internal_deps.items():
            for upstream in sorted(upstreams):
                if upstream in self._parents[key] or upstream == key:
                    continue
                if upstream not in assets_def.keys:
                    raise DefinitionError(
                        f"Multi-asset '{assets_def.name}' ({assets_def.source_location}): "
                        f"internal_asset_deps says '{key}' depends on '{upstream}', which is "
                        "neither one of its inputs or deps nor one of its outputs; add it to "
                        "deps=[...]."
                    )
                self._add_edge(assets_def, key, upstream, InputSpec(None, upstream, upstream))

    def _check_partitions(
        self, assets_def: AssetsDefinition, key: AssetKey, upstream: AssetKey, spec: InputSpec
    ) -> PartitionMapping | None:
        up_def = self.partitions_def(upstream)
        if up_def is None and assets_def.partitions_def is None and spec.partition_mapping is None:
            return None

        mapping = spec.partition_mapping
        if mapping is not None and not isinstance(mapping, PartitionMapping):
            raise DefinitionError(
                f"Asset '{key}' ({assets_def.source_location}): the partition_mapping of "
                f"its input '{upstream}' must be a PartitionMapping, got "
                f"{type(mapping).__name__}."
            )
        return check_compatible(
            upstream.to_string(), up_def, key.to_string(), assets_def.partitions_def, mapping
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
        """Kahn's algorithm, visiting keys in definition order so the result is stable."""
        remaining = {key: len(parents) for key, parents in self._parents.items()}
        ready = deque(key for key, count in remaining.items() if count == 0)
        order: list[AssetKey] = []
        while ready:
            key = ready.popleft()
            order.append(key)
            for child in self._children[key]:
                remaining[child] -= 1
                if remaining[child] == 0:
                    ready.append(child)
        if len(order) < len(remaining):
            raise DefinitionError(
                "The asset graph has a cycle: "
                + " -> ".join(key.to_string() for key in self._find_cycle(set(order)))
                + ". An asset cannot depend on itself, directly or through others."
            )
        return tuple(order)

    def _find_cycle(self, acyclic: set[AssetKey]) -> list[AssetKey]:
        """One cycle among the keys that are not in ``acyclic``, as a closed path."""
        start = next(key for key in self._parents if key not in acyclic)
        path: list[AssetKey] = []
        position: dict[AssetKey, int] = {}
        key = start
        while key not in position:
            position[key] = len(path)
            path.append(key)
            # Every key left over has a parent that is also left over.
            key = next(parent for parent in self._parents[key] if parent not in acyclic)
        cycle = path[position[key] :]
        cycle.reverse()
        return [*cycle, cycle[0]]


def _reads(assets_def: AssetsDefinition, key: AssetKey, upstream: AssetKey) -> bool:
    """Whether output ``key`` of ``assets_def`` depends on ``upstream``.

    Every output depends on every input, unless ``internal_asset_deps`` (or the deps of an
    ``AssetSpec``) name fewer; an output depends on a sibling only when that is declared.
    Depending on itself stays an edge, for the cycle error.
    """
    declared = assets_def.internal_deps.get(key)
    if declared is not None:
        return upstream in declared
    return upstream == key or upstream not in assets_def.keys


def assets_defs_in(objects: Iterable[Any]) -> list[AssetsDefinition]:
    """The ``AssetsDefinition`` objects among ``objects``, in order, without repeats."""
    seen: set[int] = set()
    found: list[AssetsDefinition] = []
    for obj in objects:
        if isinstance(obj, AssetsDefinition) and id(obj) not in seen:
            seen.add(id(obj))
            found.append(obj)
    return found
