"""Loading a project's ``defs/`` folder, as Dagster's ``load_from_defs_folder`` does.

The folder is walked in sorted order, skipping ``__pycache__`` and hidden entries:

- a folder with ``defs.yaml`` (or the older ``component.yaml``) is the component(s) that
  file declares: one per YAML document, each ``type:`` + ``attributes:`` (+
  ``post_processing:``); a ``DefsFolderComponent`` document loads the folder's other
  entries and post-processes them;
- a ``.py`` file is imported as ``<defs package>.<path>``: its one ``Definitions`` object,
  else its ``@definitions`` functions (merged), else its top-level assets, asset specs,
  checks, jobs, schedules and sensors together with the components its
  ``@component_instance`` functions return;
- any other folder is walked the same way (with ``load_defs``'s older rule, a folder
  holding ``definitions.py`` loads only that file);
- other files (SQL, CSV, ...) are left alone.

Everything found is combined with ``Definitions.merge``: an asset key defined twice is an
error naming both places.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

from assetgraph.components.component import Component, checked_defs, is_component_instance
from assetgraph.components.context import ComponentLoadContext
from assetgraph.components.yaml_components import load_yaml_file
from assetgraph.definitions.code_location import top_level_definitions
from assetgraph.definitions.definitions import Definitions, resources_checked_later
from assetgraph.definitions.lazy_definitions import LazyDefinitions
from assetgraph.errors import AssetgraphError, DefinitionError

_YAML_NAMES = ("defs.yaml", "component.yaml")


def build_defs_for_component(component: Component) -> Definitions:
    """The definitions of one component outside a ``defs/`` folder (Dagster's), built with
    a test load context at the working directory."""
    context = dataclasses.replace(ComponentLoadContext.for_test(), builder=TREE)
    return checked_defs(component.build_defs(context), repr(component))


class _DefsTree:
    """The ``DefsTreeBuilder`` every load context of a defs folder holds."""

    def build_path(self, context: ComponentLoadContext) -> Definitions:
        found = _build_entry(context)
        return found if found is not None else Definitions()

    def build_folder_entries(self, context: ComponentLoadContext) -> Definitions:
        return build_folder(context, skip_yaml=True)


TREE = _DefsTree()


def build_folder(context: ComponentLoadContext, skip_yaml: bool = False) -> Definitions:
    """The merged definitions of a folder's entries (its ``defs.yaml`` left out when
    ``skip_yaml``: the folder's own component is being built)."""
    declared = None if skip_yaml else _yaml_of(context.path)
    if declared is not None:
        return load_yaml_file(context, declared)
    keyword = context.path / "definitions.py"
    if context.terminate_autoloading_on_keyword_files and keyword.is_file():
        return _python_file(context.for_path(keyword))
    found = []
    for entry in sorted(context.path.iterdir()):
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        defs = _build_entry(context.for_path(entry))
        if defs is not None:
            found.append(defs)
    return Definitions.merge(*found) if found else Definitions()


def _build_entry(context: ComponentLoadContext) -> Definitions | None:
    path = context.path
    if path.is_dir():
        return build_folder(context)
    if path.suffix == ".py":
        return _python_file(context)
    return None


def _yaml_of(folder: Path) -> Path | None:
    return next((folder / n for n in _YAML_NAMES if (folder / n).is_file()), None)


def _python_file(context: ComponentLoadContext) -> Definitions:
    module = _import(context)
    objects = list(vars(module).values())
    defs_objects = _distinct(o for o in objects if isinstance(o, Definitions))
    lazy = _distinct(o for o in objects if isinstance(o, LazyDefinitions))
    if defs_objects and lazy:
        raise DefinitionError(
            f"{context.path}: holds both a Definitions object and @definitions functions; "
            "keep one of the two kinds."
        )
    if len(defs_objects) > 1:
        raise DefinitionError(
            f"{context.path}: holds {len(defs_objects)} Definitions objects; a module of the "
            "defs folder may hold one (combine them with Definitions.merge)."
        )
    if defs_objects:
        only: Definitions = defs_objects[0]
        return only
    if lazy:
        return Definitions.merge(*(fn(context) for fn in lazy))
    built = [
        _instance_defs(context, name, fn)
        for name, fn in vars(module).items()
        if is_component_instance(fn)
    ]
    return Definitions.merge(*built, top_level_definitions(module, with_specs=True))


def _instance_defs(context: ComponentLoadContext, name: str, fn: Any) -> Definitions:
    takes_context = bool(inspect.signature(fn).parameters)
    component = fn(context) if takes_context else fn()
    if not isinstance(component, Component):
        raise DefinitionError(
            f"{context.path}: @component_instance function '{name}' returned "
            f"{type(component).__name__}; it must return a Component."
        )
    return checked_defs(component.build_defs(context), f"{context.path}: component '{name}'")


def _import(context: ComponentLoadContext) -> ModuleType:
    name = context.defs_relative_module_name(context.path)
    try:
        return context.load_defs_relative_python_module(context.path)
    except AssetgraphError:
        raise
    except Exception as exc:
        raise DefinitionError(
            f"{context.path}: importing module '{name}' failed: {type(exc).__name__}: {exc}"
        ) from exc


def _distinct(values: Any) -> list[Any]:
    seen: dict[int, Any] = {}
    for value in values:
        seen.setdefault(id(value), value)
    return list(seen.values())


# -- entry points --------------------------------------------------------------------------


def load_from_defs_folder(
    *, path_within_project: Path | None = None, project_root: Path | None = None
) -> Definitions:
    """The definitions of a project's ``defs/`` folder (Dagster's).

    ``path_within_project`` (or the older ``project_root``) is any path inside the project;
    the project is the nearest folder above it with ``dg.toml`` or a ``pyproject.toml``
    holding ``[tool.dg]``, whose ``[tool.dg.project] root_module`` names the package
    (``defs_module``, default ``<root_module>.defs``, the folder to load).
    """
    start = path_within_project if path_within_project is not None else project_root
    if start is None:
        raise DefinitionError(
            "load_from_defs_folder needs path_within_project=Path(__file__).parent."
        )
    root, defs_module = _project_of(Path(start))
    _make_importable(root, defs_module)
    try:
        module = importlib.import_module(defs_module)
    except ModuleNotFoundError as exc:
        raise DefinitionError(
            f"The defs module '{defs_module}' of the project at {root} was not found ({exc}); "
            f"create {defs_module.replace('.', '/')}/ with an __init__.py, or set "
            "[tool.dg.project] defs_module."
        ) from exc
    return _load_module(module, root, terminate=False)


def load_defs(
    defs_root: ModuleType,
    project_root: Path | None = None,
    terminate_autoloading_on_keyword_files: bool = True,
) -> Definitions:
    """The definitions of the ``defs`` package ``defs_root`` (Dagster's older entry point;
    a folder with ``definitions.py`` loads only that file unless told otherwise)."""
    if not isinstance(defs_root, ModuleType):
        raise DefinitionError(
            f"load_defs(defs_root=...) takes the defs package (import my_project.defs), got "
            f"{type(defs_root).__name__}."
        )
    root = project_root if project_root is not None else _root_above(_folder_of(defs_root))
    return _load_module(defs_root, Path(root), terminate=terminate_autoloading_on_keyword_files)


def _load_module(module: ModuleType, root: Path, terminate: bool) -> Definitions:
    folder = _folder_of(module)
    context = ComponentLoadContext(
        path=folder,
        project_root=root,
        defs_module_path=folder,
        defs_module_name=module.__name__,
        terminate_autoloading_on_keyword_files=terminate,
        builder=TREE,
    )
    # The resources an asset needs may come from another module, or from a Definitions
    # merged with this one: the code-location loader checks the whole (see
    # Definitions.validate_loadable).
    with resources_checked_later():
        return build_folder(context)


def _folder_of(module: ModuleType) -> Path:
    paths = list(getattr(module, "__path__", []) or [])
    if not paths:
        raise DefinitionError(
            f"The defs module '{module.__name__}' is a file, not a package: make it a folder "
            "(defs/ with an __init__.py)."
        )
    return Path(paths[0])


def _root_above(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file() or (candidate / "setup.py").is_file():
            return candidate
    raise DefinitionError(
        f"No project root (a folder with pyproject.toml or setup.py) above {folder}; pass "
        "load_defs(..., project_root=...)."
    )


def _project_of(start: Path) -> tuple[Path, str]:
    """The project root above ``start`` and its defs module name."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in ("dg.toml", "pyproject.toml"):
            config_file = folder / name
            if not config_file.is_file():
                continue
            try:
                config = tomllib.loads(config_file.read_text())
            except tomllib.TOMLDecodeError as exc:
                raise DefinitionError(f"Cannot read {config_file}: {exc}.") from exc
            dg = config if name == "dg.toml" else config.get("tool", {}).get("dg")
            if dg is None:
                continue
            project = dg.get("project", {})
            root_module = project.get("root_module")
            if not isinstance(root_module, str) or not root_module:
                raise DefinitionError(
                    f"{config_file}: [tool.dg.project] root_module is missing; set it to the "
                    'project\'s package, e.g. root_module = "my_project".'
                )
            return folder, str(project.get("defs_module") or f"{root_module}.defs")
    raise DefinitionError(
        f"No dg project found at or above {start}: load_from_defs_folder looks for dg.toml or "
        'a pyproject.toml with [tool.dg.project] root_module = "my_project".'
    )


def _make_importable(root: Path, defs_module: str) -> None:
    """Put the project's package folder (``src/`` or the root) on ``sys.path`` when the
    package is not importable yet, as an installed project would be."""
    top = defs_module.split(".")[0]
    if top in sys.modules:
        return
    for folder in (root / "src", root):
        if (folder / top).is_dir() and str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
            return
