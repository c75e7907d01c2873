"""The components a ``defs.yaml`` declares: each YAML document names a ``type`` (a
``Component`` class, by its import path or relative to the folder's module with a leading
``.``), its ``attributes`` (validated against the class's model, templates rendered) and
``post_processing`` of the assets it builds."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pydantic
import yaml

from assetgraph.components.component import Component, checked_defs, is_template_var
from assetgraph.components.context import ComponentLoadContext
from assetgraph.components.post_processing import post_process, post_processors
from assetgraph.components.resolution import Model, Resolvable, validation_error
from assetgraph.components.templating import render
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import DefinitionError

_KEYS = {"type", "attributes", "post_processing", "requirements", "template_vars_module"}
_DAGSTER_PACKAGES = ("dagster", "dagster.components")


class FolderAttributesModel(Model):
    """The attributes of a ``DefsFolderComponent`` document."""

    asset_post_processors: list[dict[str, Any]] | None = None


class DefsFolderComponent(Component):
    """A folder of the ``defs/`` tree: the definitions of everything in it, merged. Named as
    ``type: dagster.DefsFolderComponent`` in a folder's ``defs.yaml`` to post-process them
    (``post_processing:``, or ``attributes: asset_post_processors: [...]``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path

    @classmethod
    def get_model_cls(cls) -> Any:
        return FolderAttributesModel

    @classmethod
    def load(cls, attributes: Any, context: ComponentLoadContext) -> Component:
        return cls(context.path)

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        folder = context.for_path(self.path) if self.path is not None else context
        return context.tree_builder.build_folder_entries(folder)


class DefinitionsComponent(Component, Resolvable):
    """The definitions of one Python file of the folder (Dagster's): ``path`` (relative
    to the folder of the ``defs.yaml``; ``definitions.py`` when not given) is loaded as
    any module of the defs folder is."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        target = context.path / (self.path or "definitions.py")
        if not target.is_file():
            raise DefinitionError(
                f"{context.path / 'defs.yaml'}: DefinitionsComponent path '{self.path}' is not "
                f"a file of {context.path}."
            )
        return context.tree_builder.build_path(context.for_path(target))


def load_yaml_file(context: ComponentLoadContext, path: Path) -> Definitions:
    """The merged definitions of every component ``path`` declares."""
    text = path.read_text()
    try:
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
        nodes = [n for n in yaml.compose_all(text, Loader=yaml.SafeLoader) if n is not None]
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: not valid YAML: {exc}") from exc
    if not documents:
        raise DefinitionError(f"{path}: declares no component; give it a 'type:' line.")
    built = []
    for index, (document, node) in enumerate(zip(documents, nodes, strict=True)):
        where = f"{path}" if len(documents) == 1 else f"{path} (document {index + 1})"
        built.append(_document_defs(context, document, where, node))
    return Definitions.merge(*built)


def line_of(node: yaml.Node, path: tuple[Any, ...]) -> int | None:
    """The line (from 1) of the deepest node of ``path`` (mapping keys, list indexes) that
    the document holds: the field itself, or the mapping it is missing from."""
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            found = node.value[part] if part < len(node.value) else None
        else:
            found = None
        if found is None:
            break
        node = found
    return int(node.start_mark.line) + 1


def _document_defs(
    context: ComponentLoadContext, document: Any, where: str, node: yaml.Node
) -> Definitions:
    if not isinstance(document, dict) or "type" not in document:
        raise DefinitionError(
            f"{where}: a component document is a mapping with 'type:' (and 'attributes:'); "
            f"got {type(document).__name__}."
        )
    unknown = sorted(set(document) - _KEYS)
    if unknown:
        raise DefinitionError(
            f"{where}: unknown key(s) {', '.join(unknown)}; a document may hold "
            f"{', '.join(sorted(_KEYS))}."
        )
    type_name = context.normalize_component_type_str(str(document["type"]))
    cls = component_class(type_name, where)
    scoped = _with_scope(context, cls, document.get("template_vars_module"), where)
    scope = scoped.resolution_context.scope
    attributes = _rendered_attributes(cls, document.get("attributes"), scope, where)
    component = cls.load(_validated(cls, attributes, where, node), scoped)
    processors = post_processors(
        render(document.get("post_processing"), scope, f"{where}: post_processing"),
        f"{where}: post_processing",
        lambda loc: line_of(node, ("post_processing", *loc)),
    )
    if isinstance(component, DefsFolderComponent) and attributes:
        processors = [
            *post_processors(attributes.get("asset_post_processors"), where),
            *processors,
        ]
    defs = checked_defs(component.build_defs(scoped), f"{where}: component {type_name}")
    return post_process(defs, processors)


def _rendered_attributes(cls: type[Component], raw: Any, scope: Any, where: str) -> Any:
    """``raw`` with its templates rendered, but for the fields the class renders itself
    later (``deferred_template_fields``, e.g. per dbt node)."""
    deferred = set(getattr(cls, "deferred_template_fields", ()))
    if not isinstance(raw, dict) or not deferred:
        return render(raw, scope, f"{where}: attributes")
    return {
        key: value if key in deferred else render(value, scope, f"{where}: attributes.{key}")
        for key, value in raw.items()
    }


def _validated(cls: type[Component], attributes: Any, where: str, node: yaml.Node) -> Any:
    model = cls.get_model_cls()
    if model is None:
        if attributes:
            raise DefinitionError(
                f"{where}: component {cls.__name__} takes no attributes (it is not Resolvable); "
                "remove 'attributes:' or mix dg.Resolvable into the class."
            )
        return None
    try:
        return model.model_validate(attributes or {})
    except pydantic.ValidationError as exc:
        raise validation_error(
            f"{where}: component {cls.__name__}",
            exc,
            lambda loc: line_of(node, ("attributes", *loc)),
        ) from exc


def component_class(type_name: str, where: str) -> type[Component]:
    """The ``Component`` class ``type_name`` names; Dagster's own names (``dagster.X``,
    ``dagster.components.X``) are assetgraph's of the same name."""
    module_name, _, class_name = type_name.rpartition(".")
    if not module_name:
        raise DefinitionError(
            f"{where}: type '{type_name}' needs its module, e.g. my_project.components.{type_name} "
            f"or .{type_name} (relative to this folder)."
        )
    if module_name in _DAGSTER_PACKAGES or module_name.startswith("dagster.components."):
        found = _assetgraph_name(class_name)
        if found is None:
            raise DefinitionError(
                f"{where}: component type '{type_name}' has no counterpart in assetgraph; "
                "build its definitions in a Python module of the defs folder instead."
            )
    elif module_name.split(".")[0].startswith("dagster_"):
        found = _assetgraph_name(class_name)
        if found is None:
            raise DefinitionError(
                f"{where}: component type '{type_name}' comes from the integration "
                f"'{module_name.split('.')[0]}', which assetgraph does not have. " + _GENERIC_HINT
            )
    else:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            raise DefinitionError(
                f"{where}: component type '{type_name}': module '{module_name}' was not found "
                f"({exc}); check the name, or start it with '.' to name a module of this folder."
            ) from exc
        found = getattr(module, class_name, None)
        if found is None:
            raise DefinitionError(
                f"{where}: component type '{type_name}': module '{module_name}' has no "
                f"'{class_name}'."
            )
    if not (isinstance(found, type) and issubclass(found, Component)):
        raise DefinitionError(
            f"{where}: type '{type_name}' is {found!r}, not a subclass of Component."
        )
    return found


_GENERIC_HINT = "Write its assets in a Python module of the defs folder instead."


def _assetgraph_name(name: str) -> Any:
    import assetgraph

    try:
        return getattr(assetgraph, name)
    except AttributeError:
        return None


def _with_scope(
    context: ComponentLoadContext, cls: type[Component], module_name: Any, where: str
) -> ComponentLoadContext:
    """``context`` with the names ``cls`` (``get_additional_scope``, ``@template_var``
    members) and a ``template_vars_module`` add to templates."""
    names: dict[str, Any] = dict(cls.get_additional_scope())
    for attr in dir(cls):
        raw = inspect_static(cls, attr)
        if is_template_var(raw):
            names[attr] = _call_template_var(getattr(cls, attr), context)
    if module_name:
        absolute = (
            f"{context.defs_relative_module_name(context.path)}{module_name}"
            if str(module_name).startswith(".")
            else str(module_name)
        )
        module = importlib.import_module(absolute)
        found = {n: v for n, v in vars(module).items() if is_template_var(v)}
        if not found:
            raise DefinitionError(
                f"{where}: template_vars_module '{absolute}' has no @template_var functions."
            )
        names.update({n: _call_template_var(v, context) for n, v in found.items()})
    return context.with_rendering_scope(names)


def inspect_static(cls: type, attr: str) -> Any:
    """The attribute as the class body holds it (a staticmethod object stays one)."""
    for klass in cls.__mro__:
        if attr in vars(klass):
            return vars(klass)[attr]
    return None


def _call_template_var(fn: Any, context: ComponentLoadContext) -> Any:
    import inspect

    return fn(context) if inspect.signature(fn).parameters else fn()
