"""Dagster's ``ComponentLoadContext``: where in the ``defs/`` folder a component is being
loaded (its path, the project root, the defs package) and the names its templates see."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from assetgraph.components.resolution import ResolutionContext
from assetgraph.components.templating import base_scope
from assetgraph.errors import DefinitionError

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions


class DefsTreeBuilder(Protocol):
    """What builds the definitions of the defs folder's files and folders (the loader in
    ``assetgraph.components.defs_folder`` is one)."""

    def build_path(self, context: ComponentLoadContext) -> Definitions:
        """The definitions of the file or folder at ``context.path``."""

    def build_folder_entries(self, context: ComponentLoadContext) -> Definitions:
        """The merged definitions of the folder's entries, its own ``defs.yaml`` left out."""


@dataclasses.dataclass(frozen=True)
class ComponentLoadContext:
    """Handed to ``build_defs``, ``@component_instance`` and ``@definitions`` functions of
    the ``defs/`` folder.

    Attributes:
        path: the file or folder being loaded.
        project_root: the folder of the project's ``pyproject.toml`` (or ``dg.toml``).
        defs_module_path: the ``defs/`` folder.
        defs_module_name: its package name, e.g. ``my_project.defs``.
        terminate_autoloading_on_keyword_files: a folder with ``definitions.py`` loads only
            that file (``load_defs``'s older rule).
    """

    path: Path
    project_root: Path
    defs_module_path: Path
    defs_module_name: str
    scope: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    terminate_autoloading_on_keyword_files: bool = False
    builder: DefsTreeBuilder | None = None

    @property
    def resolution_context(self) -> ResolutionContext:
        """What templates and ``Resolver`` functions see: ``env``, ``project_root``,
        ``context`` (this context), ``automation_condition`` and added names."""
        names = {
            **base_scope(),
            "project_root": str(self.project_root.resolve()),
            "context": self,
            **self.scope,
        }
        return ResolutionContext(names)

    def with_rendering_scope(self, scope: Mapping[str, Any]) -> ComponentLoadContext:
        """This context with ``scope`` added to the names templates see."""
        return dataclasses.replace(self, scope={**self.scope, **scope})

    def for_path(self, path: Path) -> ComponentLoadContext:
        """This context at another file or folder."""
        return dataclasses.replace(self, path=path)

    def defs_relative_module_name(self, path: Path) -> str:
        """The module name of ``path`` (a file or folder under the defs folder)."""
        relative = path.resolve().relative_to(self.defs_module_path.resolve())
        if path.name == "__init__.py":
            parts = relative.parts[:-1]
        elif path.suffix == ".py":
            parts = (*relative.parts[:-1], relative.stem)
        else:
            parts = relative.parts
        return ".".join([self.defs_module_name, *parts])

    def normalize_component_type_str(self, type_str: str) -> str:
        """``type_str`` with a leading ``.`` taken relative to this folder's module."""
        if type_str.startswith("."):
            return f"{self.defs_relative_module_name(self.path)}{type_str}"
        return type_str

    def load_defs_relative_python_module(self, path: Path) -> ModuleType:
        """Import the module at ``path`` (relative to this context's folder when relative)."""
        folder = self.path if self.path.is_dir() else self.path.parent
        target = path if path.is_absolute() else folder / path
        return importlib.import_module(self.defs_relative_module_name(target))

    def build_defs_at_path(self, defs_path: Path) -> Definitions:
        """The definitions of a file or folder of the defs folder (relative to it when
        relative), without the post-processing of the folders above it."""
        target = defs_path if defs_path.is_absolute() else self.defs_module_path / defs_path
        return self.tree_builder.build_path(self.for_path(target))

    @property
    def tree_builder(self) -> DefsTreeBuilder:
        """The builder of the defs folder this context belongs to."""
        if self.builder is None:
            raise DefinitionError(
                f"This load context ({self.path}) is not part of a defs folder: load the "
                "project with load_from_defs_folder(...) to build other paths."
            )
        return self.builder

    @staticmethod
    def for_test(project_root: Path | None = None) -> ComponentLoadContext:
        """A context for calling ``build_defs`` in a unit test."""
        root = Path.cwd() if project_root is None else project_root
        return ComponentLoadContext(
            path=root, project_root=root, defs_module_path=root, defs_module_name="defs"
        )
