"""Loading a code location: a module (``-m``), a file (``-f``) or ``[tool.assetgraph]``.

A code location exposes one ``Definitions`` object at top level, or one ``@definitions``
function that returns it (Dagster's); a module without either but with ``@asset``
functions at top level (or lists of them) is loaded as ``Definitions(assets=[...])``,
with its top-level ``@asset_check`` functions as ``asset_checks`` and its top-level asset
jobs, schedules and sensors, as Dagster loads such a module.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import stat
import sys
import tomllib
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.jobs import JobDefinition, UnresolvedAssetJobDefinition
from assetgraph.definitions.lazy_definitions import LazyDefinitions
from assetgraph.definitions.specs import AssetSpec
from assetgraph.errors import AssetgraphError, CodeLocationLoadError, UsageError
from assetgraph.graph import assets_defs_in

if TYPE_CHECKING:
    from assetgraph.automation.schedules import ScheduleDefinition
    from assetgraph.automation.sensors import SensorDefinition


def load_definitions(
    *,
    module: str | None = None,
    file: str | os.PathLike[str] | None = None,
    cwd: Path | None = None,
) -> Definitions:
    """Import the code location and return its ``Definitions``.

    With neither ``module`` nor ``file``, reads ``module`` (or ``file``) from
    ``[tool.assetgraph]`` in ``cwd``'s pyproject.toml.
    """
    cwd = Path.cwd() if cwd is None else cwd
    if module and file:
        raise UsageError("Pass either -m MODULE or -f FILE, not both.")
    if not module and not file:
        module, file = _from_pyproject(cwd)
    if file:
        path = Path(file) if Path(file).is_absolute() else cwd / file
        loaded = _import_file(path)
        defs = definitions_in_module(loaded, str(file))
        defs.origin = ("file", str(path.resolve()))
        return defs
    assert module is not None
    loaded = _import_module(module, cwd)
    defs = definitions_in_module(loaded, module)
    defs.origin = ("module", module)
    return defs


def configured_location(cwd: Path | None = None) -> tuple[str | None, str | None] | None:
    """``(module, file)`` from ``[tool.assetgraph]`` of ``cwd``'s pyproject.toml, or None
    when it names no code location (commands whose code location is optional then run
    without one)."""
    pyproject = (Path.cwd() if cwd is None else cwd) / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        tools = tomllib.loads(pyproject.read_text()).get("tool", {})
    except tomllib.TOMLDecodeError:
        return None  # loading it says what is wrong, when a command needs it
    config = tools.get("assetgraph", {})
    if not config.get("module") and not config.get("file"):
        return _dagster_location(tools)
    return config.get("module"), config.get("file")


def _dagster_location(tools: dict[str, Any]) -> tuple[str | None, str | None] | None:
    """The code location a Dagster project names in its pyproject.toml:
    ``[tool.dg.project]`` (``code_location_target_module``, else
    ``<root_module>.definitions``) or ``[tool.dagster]`` (``module_name`` or
    ``python_file``)."""
    project = tools.get("dg", {}).get("project", {})
    if isinstance(project, dict) and project.get("root_module"):
        target = project.get("code_location_target_module")
        return str(target or f"{project['root_module']}.definitions"), None
    dagster = tools.get("dagster", {})
    if isinstance(dagster, dict) and (dagster.get("module_name") or dagster.get("python_file")):
        return dagster.get("module_name"), dagster.get("python_file")
    return None


def import_origin(origin: tuple[str, str]) -> ModuleType:
    """Import the code location of ``Definitions.origin`` in this process (a worker), under
    the same module name as where it was first loaded, so pickled references resolve."""
    kind, value = origin
    if kind == "file":
        path = Path(value)
        return sys.modules.get(_module_name(path)) or _import_file(path)
    return _import_module(value, Path.cwd())


def import_source(path: str, source: str) -> ModuleType:
    """Import a code location file from its text, under the module name it has where the
    file is: for a Dask worker on another host, which has the text but not the file."""
    name = _module_name(Path(path))
    found = sys.modules.get(name)
    if found is not None:
        return found
    module = ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    try:
        exec(compile(source, path, "exec"), module.__dict__)
    except AssetgraphError:
        sys.modules.pop(name, None)
        raise
    except BaseException as exc:
        sys.modules.pop(name, None)
        raise _load_error(path, exc) from exc
    return module


_POOLS_READ: dict[Path, tuple[tuple[int, int], dict[str, int]]] = {}
"""pyproject.toml -> (its modification time and size, the pools it held then)."""


def pools_from_pyproject(cwd: Path | None = None) -> dict[str, int]:
    """``[tool.assetgraph.pools]`` of the working directory's pyproject.toml, if any.

    Each file is parsed once and read again only when its modification time or size
    changes, so a process that runs many times (the automation daemon) does not parse it
    on every run.
    """
    pyproject = ((cwd or Path.cwd()) / "pyproject.toml").absolute()
    try:
        found = pyproject.stat()
    except OSError:
        return {}
    if not stat.S_ISREG(found.st_mode):
        return {}
    stamp = (found.st_mtime_ns, found.st_size)
    kept = _POOLS_READ.get(pyproject)
    if kept is None or kept[0] != stamp:
        kept = _POOLS_READ[pyproject] = (stamp, _read_pools(pyproject))
    return dict(kept[1])


def _read_pools(pyproject: Path) -> dict[str, int]:
    try:
        config = tomllib.loads(pyproject.read_text()).get("tool", {}).get("assetgraph", {})
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Cannot read {pyproject}: {exc}.") from exc
    pools = config.get("pools", {})
    if not isinstance(pools, dict) or not all(isinstance(v, int) and v > 0 for v in pools.values()):
        raise UsageError(
            f"{pyproject}: [tool.assetgraph.pools] must map pool names to positive integers."
        )
    return {str(k): int(v) for k, v in pools.items()}


def definitions_in_module(module: ModuleType, origin: str) -> Definitions:
    """The one ``Definitions`` of ``module``, or one made from its top-level assets."""
    found = {name: obj for name, obj in vars(module).items() if isinstance(obj, Definitions)}
    if len(found) == 1:
        only = next(iter(found.values()))
        Definitions.validate_loadable(only)  # built inside a defs folder, it is unchecked
        return only
    if len(found) > 1:
        if "defs" in found:
            return found["defs"]
        raise CodeLocationLoadError(
            f"Code location '{origin}' has several Definitions objects "
            f"({', '.join(sorted(found))}); keep one, or name the one to use 'defs'."
        )
    lazy = {name: obj for name, obj in vars(module).items() if isinstance(obj, LazyDefinitions)}
    if len(lazy) > 1:
        raise CodeLocationLoadError(
            f"Code location '{origin}' has several @definitions functions "
            f"({', '.join(sorted(lazy))}): keep one (Definitions.merge combines several)."
        )
    if lazy:
        return next(iter(lazy.values()))()
    top_level = _with_list_items(vars(module).values())
    checks = [obj for obj in vars(module).values() if isinstance(obj, AssetChecksDefinition)]
    if not assets_defs_in(top_level) and not jobs_in(top_level) and not checks:
        raise CodeLocationLoadError(
            f"Code location '{origin}' defines no Definitions and no @asset functions, asset "
            "checks or jobs at top level."
        )
    return top_level_definitions(module)


def top_level_definitions(module: ModuleType, *, with_specs: bool = False) -> Definitions:
    """The assets, asset checks, jobs, schedules and sensors at the top level of ``module``
    (or in lists there), as Dagster's module loader finds them; ``with_specs`` counts a
    top-level ``AssetSpec`` as an external asset too (the ``defs/`` folder does)."""
    top_level = _with_list_items(vars(module).values())
    assets: list[Any] = assets_defs_in(top_level)
    if with_specs:
        assets += [obj for obj in _distinct(top_level) if isinstance(obj, AssetSpec)]
    checks = [obj for obj in vars(module).values() if isinstance(obj, AssetChecksDefinition)]
    schedules, sensors = _instigators_in(module)
    return Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=jobs_in(top_level),
        schedules=schedules,
        sensors=sensors,
    )


def _instigators_in(module: ModuleType) -> tuple[list[ScheduleDefinition], list[SensorDefinition]]:
    """The schedules and sensors at the top level of ``module``, which Dagster loads with
    its assets and jobs when a module has no ``Definitions``."""
    from assetgraph.automation.schedules import ScheduleDefinition
    from assetgraph.automation.sensors import SensorDefinition

    values = _distinct(vars(module).values())
    schedules = [v for v in values if isinstance(v, ScheduleDefinition)]
    sensors = [v for v in values if isinstance(v, SensorDefinition)]
    return schedules, sensors


def jobs_in(objects: Iterable[Any]) -> list[Any]:
    """The jobs among ``objects``, and a job of each graph that no job runs (Dagster loads
    a file's top-level graphs as jobs too)."""
    objects = _distinct(objects)
    found = [
        obj for obj in objects if isinstance(obj, JobDefinition | UnresolvedAssetJobDefinition)
    ]
    op_graph = sys.modules.get("assetgraph.definitions.op_graph")
    if op_graph is None:  # nothing defined a graph: op machinery need not be loaded
        return found
    run = {id(getattr(job, "graph_def", None)) for job in found}
    names = {job.name for job in found}
    for obj in objects:
        if (
            isinstance(obj, op_graph.GraphDefinition)
            and id(obj) not in run
            and obj.name not in names
        ):
            found.append(obj.to_job())
    return found


def _distinct(values: Iterable[object]) -> list[object]:
    """``values`` with each object once, though a module binds it to several names."""
    seen: set[int] = set()
    distinct: list[object] = []
    for value in values:
        if id(value) not in seen:
            seen.add(id(value))
            distinct.append(value)
    return distinct


def _with_list_items(values: Iterable[object]) -> list[object]:
    """Module attributes, with the items of lists and tuples of definitions in their place
    (Dagster finds ``assets = [a, b]`` at module level too)."""
    found: list[object] = []
    for value in values:
        if isinstance(value, list | tuple):
            found.extend(value)
        else:
            found.append(value)
    return found


def _from_pyproject(cwd: Path) -> tuple[str | None, str | None]:
    pyproject = cwd / "pyproject.toml"
    hint = (
        "No code location given: pass -f FILE.py or -m MODULE, or set "
        '[tool.assetgraph] module = "..." (or Dagster\'s [tool.dg.project] root_module, '
        "[tool.dagster] module_name) in pyproject.toml"
    )
    if not pyproject.is_file():
        raise UsageError(f"{hint} (no pyproject.toml in {cwd}).")
    try:
        tools = tomllib.loads(pyproject.read_text()).get("tool", {})
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Cannot read {pyproject}: {exc}.") from exc
    config = tools.get("assetgraph", {})
    module, file = config.get("module"), config.get("file")
    if not module and not file:
        module, file = _dagster_location(tools) or (None, None)
    for name, value, example in (("module", module, "my_project.defs"), ("file", file, "defs.py")):
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise UsageError(
                f"{pyproject}: [tool.assetgraph] {name} = {value!r} is not a {name} name: "
                f'write it as a non-empty string, e.g. {name} = "{example}".'
            )
    if not module and not file:
        raise UsageError(f"{hint} ({pyproject} has no [tool.assetgraph] module).")
    return module, file


def _module_name(path: Path) -> str:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
    return f"assetgraph_code_location_{digest}"


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise UsageError(f"Code location file '{path}' does not exist.")
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"Code location '{path}' is not a Python file.")
    loaded = importlib.util.module_from_spec(spec)
    directory = str(path.resolve().parent)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    sys.modules[name] = loaded
    try:
        spec.loader.exec_module(loaded)
    except AssetgraphError:
        sys.modules.pop(name, None)
        raise
    except BaseException as exc:
        sys.modules.pop(name, None)
        raise _load_error(str(path), exc) from exc
    return loaded


def _import_module(module: str, cwd: Path) -> ModuleType:
    if str(cwd) not in sys.path:
        sys.path.insert(0, str(cwd))
    src = cwd / "src"  # a src/ layout, as Dagster's project scaffold makes
    top = module.split(".")[0]
    here = (cwd / top).exists() or (cwd / f"{top}.py").exists()
    in_src = (src / top).exists() or (src / f"{top}.py").exists()
    if in_src and not here and str(src) not in sys.path:
        sys.path.insert(0, str(src))
    try:
        return importlib.import_module(module)
    except AssetgraphError:
        raise
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise UsageError(
                f"Code location module '{module}' was not found (looked in {cwd} and on sys.path)."
            ) from exc
        raise _load_error(module, exc) from exc
    except BaseException as exc:
        raise _load_error(module, exc) from exc


def _load_error(origin: str, exc: BaseException) -> CodeLocationLoadError:
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        raise exc
    frames = traceback.extract_tb(exc.__traceback__)
    ours = str(Path(__file__).parent)
    user_frames = [
        f for f in frames if not f.filename.startswith(ours) and "<frozen" not in f.filename
    ]
    lines = "".join(traceback.format_list(user_frames))
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    error = CodeLocationLoadError(f"Could not load code location '{origin}': {detail}")
    error.user_traceback = f"Traceback (most recent call last):\n{lines}{detail}"
    return error
