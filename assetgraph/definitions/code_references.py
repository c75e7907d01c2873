"""Code references: where an asset's function is, as metadata the UI links to.

``with_source_code_references(assets)`` records the file and line of each asset's
function under Dagster's metadata key ``dagster/code_references``;
``link_code_references_to_git(assets, git_url=..., git_branch=...,
file_path_mapping=AnchorBasedFilePathMapping(...))`` turns those local references into
links to the file in a git host (GitHub or GitLab URL layout).
"""

from __future__ import annotations

import dataclasses
import inspect
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.pickling import rebuild
from assetgraph.errors import DefinitionError

CODE_REFERENCES_KEY = "dagster/code_references"

A = TypeVar("A")


@dataclass(frozen=True, slots=True)
class AnchorBasedFilePathMapping:
    """Maps a local file to its path in the repository, from one anchor known in both.

    ``local_file_anchor`` is a local file or folder; ``file_anchor_path_in_repository`` is
    where that anchor is in the repository. A file's repository path is the anchor's
    repository path joined with the file's path relative to the local anchor.
    """

    local_file_anchor: Path
    file_anchor_path_in_repository: str

    def convert_to_source_control_path(self, local_path: Path) -> str:
        """The repository path of ``local_path``."""
        relative = os.path.relpath(local_path, self.local_file_anchor)
        joined = os.path.join(self.file_anchor_path_in_repository, relative)
        return os.path.normpath(joined).replace(os.sep, "/")


def with_source_code_references(assets_defs: Sequence[A]) -> list[A]:
    """Copies of ``assets_defs`` whose assets record the file and line of their function."""
    result: list[Any] = []
    for item in assets_defs:
        if not isinstance(item, AssetsDefinition):
            result.append(item)
            continue
        reference = _local_reference(item)
        result.append(_with_references(item, lambda old, ref=reference: [*old, ref]))
    return result


def link_code_references_to_git(
    assets_defs: Sequence[A],
    git_url: str,
    git_branch: str,
    file_path_mapping: AnchorBasedFilePathMapping,
) -> list[A]:
    """Copies of ``assets_defs`` whose local code references become git URLs."""
    if not git_url.startswith(("https://", "http://")):
        raise DefinitionError(
            f"link_code_references_to_git: git_url must be an http(s) URL, got {git_url!r}."
        )
    base = git_url.rstrip("/")
    tree = f"{base}/-/tree/{git_branch}" if "gitlab" in base else f"{base}/tree/{git_branch}"

    def to_url(reference: Mapping[str, Any]) -> dict[str, Any]:
        if reference.get("kind") != "local":
            return dict(reference)
        path = file_path_mapping.convert_to_source_control_path(Path(reference["file_path"]))
        line = reference.get("line_number")
        url = f"{tree}/{path}" + (f"#L{line}" if line else "")
        return {"kind": "url", "url": url, "label": reference.get("label")}

    result: list[Any] = []
    for item in assets_defs:
        if isinstance(item, AssetsDefinition):
            result.append(_with_references(item, lambda old: [to_url(ref) for ref in old]))
        else:
            result.append(item)
    return result


def _local_reference(assets_def: AssetsDefinition) -> dict[str, Any]:
    target = inspect.unwrap(assets_def.fn)
    code = getattr(target, "__code__", None)
    if code is None:
        raise DefinitionError(
            f"Asset '{assets_def.name}': its function has no source file to reference."
        )
    return {
        "kind": "local",
        "file_path": str(Path(code.co_filename).resolve()),
        "line_number": code.co_firstlineno,
        "label": None,
    }


def _with_references(assets_def: AssetsDefinition, change: Any) -> AssetsDefinition:
    specs = []
    for spec in assets_def.specs:
        metadata = dict(spec.metadata)
        old = metadata.get(CODE_REFERENCES_KEY, {}).get("code_references", [])
        metadata[CODE_REFERENCES_KEY] = {"code_references": change(list(old))}
        specs.append(dataclasses.replace(spec, metadata=metadata))
    clone = _copy_of(assets_def)
    clone.specs = tuple(specs)
    clone._spec_by_key = {spec.key: spec for spec in clone.specs}
    return clone


def _copy_of(assets_def: AssetsDefinition) -> AssetsDefinition:
    """A shallow copy (``copy.copy`` would return the module attribute: see pickling)."""
    clone: AssetsDefinition = rebuild(type(assets_def), dict(vars(assets_def)))
    return clone
