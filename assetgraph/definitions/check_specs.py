"""``AssetCheckSpec``: a check declared beside its asset, named before any check runs.

A leaf module, so that ``@asset(check_specs=...)`` and the check definitions can both
read it without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey

if TYPE_CHECKING:
    from assetgraph.definitions.assets import AssetsDefinition


@dataclass(frozen=True, slots=True)
class AssetCheckKey:
    """Names one asset check: the checked ``asset_key`` and the check's ``name``.

    As Dagster's: ``AssetCheckKey(AssetKey("orders"), "not_empty")``; the user string is
    ``orders:not_empty`` (``to_user_string`` / ``from_user_string``).
    """

    asset_key: AssetKey
    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.asset_key, AssetKey):
            object.__setattr__(self, "asset_key", AssetKey.from_user(self.asset_key))
        if not isinstance(self.name, str) or not self.name:
            raise DefinitionError(
                f"AssetCheckKey({self.asset_key}, {self.name!r}): the check name must be a "
                "non-empty string."
            )

    def to_user_string(self) -> str:
        """``asset/key:check_name``."""
        return f"{self.asset_key.to_string()}:{self.name}"

    @staticmethod
    def from_user_string(text: str) -> AssetCheckKey:
        """The key of ``asset/key:check_name``."""
        asset, sep, name = text.rpartition(":")
        if not sep or not asset or not name:
            raise DefinitionError(
                f"{text!r} is not an asset check key: expected 'asset/key:check_name'."
            )
        return AssetCheckKey(AssetKey.from_user(asset), name)

    def with_asset_key_prefix(self, prefix: CoercibleToAssetKey) -> AssetCheckKey:
        """The same check on the asset key with ``prefix`` in front."""
        parts = AssetKey.from_user(prefix).path
        return AssetCheckKey(self.asset_key.with_prefix(parts), self.name)

    def __str__(self) -> str:
        return self.to_user_string()


@dataclass(frozen=True, slots=True, init=False)
class AssetCheckSpec:
    """A check an asset (``@asset(check_specs=...)``) or a ``@multi_asset_check`` reports on.

    ``asset`` is the checked asset (a definition, an ``AssetKey`` or ``"a/b"``). A
    ``blocking`` check that fails at ``ERROR`` severity stores nothing (see the migration
    guide: Dagster stores the value and blocks only the downstream assets).
    ``additional_deps`` are accepted for Dagster compatibility and only recorded.
    A check runs in its asset's step, once per partition the step builds, so it is
    partitioned like its asset; ``partitions_def`` (Dagster's) must be the asset's, and
    ``automation_condition`` is recorded only: the check runs whenever its asset does.
    """

    name: str
    asset_key: AssetKey
    description: str | None
    blocking: bool
    additional_deps: tuple[AssetKey, ...]
    metadata: Mapping[str, Any]
    partitions_def: Any = field(default=None, compare=False)
    automation_condition: Any = field(default=None, compare=False)

    def __init__(
        self,
        name: str,
        *,
        asset: AssetsDefinition | CoercibleToAssetKey,
        description: str | None = None,
        additional_deps: Iterable[AssetsDefinition | CoercibleToAssetKey] | None = None,
        blocking: bool = False,
        metadata: Mapping[str, Any] | None = None,
        automation_condition: Any = None,
        partitions_def: Any = None,
    ) -> None:
        try:
            AssetKey((name,))
        except DefinitionError as exc:
            raise DefinitionError(f"AssetCheckSpec {name!r}: invalid name: {exc}") from exc
        object.__setattr__(self, "partitions_def", partitions_def)
        object.__setattr__(self, "automation_condition", automation_condition)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "asset_key", checked_asset_key(asset))
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "blocking", bool(blocking))
        object.__setattr__(
            self, "additional_deps", tuple(checked_asset_key(d) for d in additional_deps or ())
        )
        object.__setattr__(self, "metadata", dict(metadata or {}))

    @property
    def check_key(self) -> str:
        """``asset/key:check_name``."""
        return f"{self.asset_key.to_string()}:{self.name}"

    @property
    def key(self) -> AssetCheckKey:
        """Dagster's name for this check: its ``AssetCheckKey``."""
        return AssetCheckKey(self.asset_key, self.name)


def checked_asset_key(asset: object) -> AssetKey:
    """The one key an asset check names: of an asset definition, an ``AssetKey`` or ``"a/b"``."""
    keys = getattr(asset, "keys", None)
    if isinstance(keys, tuple):  # an asset definition (duck-typed: this module is a leaf)
        name = getattr(asset, "name", keys)
        if len(keys) != 1:
            listed = ", ".join(key.to_string() for key in keys)
            raise DefinitionError(
                f"@asset_check(asset={name}): '{name}' materializes several assets "
                f"({listed}); name the one to check, e.g. asset='{keys[0]}'."
            )
        key: AssetKey = keys[0]
        return key
    try:
        return AssetKey.from_user(asset)  # type: ignore[arg-type]
    except DefinitionError:
        raise
    except Exception as exc:
        raise DefinitionError(
            f"@asset_check(asset={asset!r}): expected an asset, an AssetKey or a key string "
            "such as 'a/b'."
        ) from exc


def checked_asset_keys(assets: Sequence[Any], builder: str) -> list[AssetKey]:
    """Every key ``assets=`` of a check builder names (asset definitions, specs, keys or
    ``"a/b"``), in order; an error naming ``builder`` when it names none."""
    if isinstance(assets, str | AssetKey) or not assets:
        raise DefinitionError(f"{builder}: assets= takes a non-empty list of assets or keys.")
    keys: list[AssetKey] = []
    for asset in assets:
        found = getattr(asset, "keys", None)
        if isinstance(found, tuple | list) and not isinstance(asset, AssetKey):
            keys.extend(found)
        elif hasattr(asset, "key") and not isinstance(asset, str):
            keys.append(AssetKey.from_user(asset.key))
        else:
            keys.append(checked_asset_key(asset))
    return keys
