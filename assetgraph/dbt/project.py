"""``DbtProject``: a dbt project on disk, its profile, and its manifest parsed on demand.

The manifest (``target/manifest.json``) is what turns a project into asset definitions.
It is made by ``dbt parse`` when it is missing or older than the project: a fingerprint
of the project's files (path, size, modification time), its profile, and the dbt-core
version is kept beside it, so loading a code location whose project did not change reads
one JSON file and never imports dbt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from assetgraph.dbt.runner import dbt_version, invoke_dbt
from assetgraph.errors import DefinitionError

_FINGERPRINT_FILE = "assetgraph-manifest.fingerprint"
_SELECTIONS_FILE = "assetgraph-selections.json"
_PROJECT_SUFFIXES = frozenset({".sql", ".yml", ".yaml", ".csv", ".py", ".md", ".jinja"})
_SKIPPED_DIRS = frozenset({"logs", "dbt_packages", "dbt_modules", "node_modules", "__pycache__"})
_ALL = ("fqn:*", "*")

_manifests: dict[tuple[str, str], dict[str, Any]] = {}  # (manifest path, fingerprint) -> JSON


class DbtProject:
    """A dbt project: its folder, where dbt writes its artifacts, and which profile it uses.

    Args:
        project_dir: the folder holding ``dbt_project.yml``.
        target_path: where dbt writes ``manifest.json`` and ``run_results.json``
            (relative to ``project_dir``; default ``target``).
        profiles_dir: the folder holding ``profiles.yml``; default ``project_dir`` when it
            has one, else dbt's own default (``~/.dbt``).
        profile: the profile to use instead of the one ``dbt_project.yml`` names.
        target: the profile's target (``dev``, ``prod``, ...) instead of its default.
    """

    def __init__(
        self,
        project_dir: str | os.PathLike[str],
        *,
        target_path: str | os.PathLike[str] = "target",
        profiles_dir: str | os.PathLike[str] | None = None,
        profile: str | None = None,
        target: str | None = None,
        packaged_project_dir: str | os.PathLike[str] | None = None,  # Dagster's; not used
        state_path: str | os.PathLike[str] | None = None,  # Dagster's; not used
    ) -> None:
        self.project_dir = Path(project_dir).resolve()
        if not (self.project_dir / "dbt_project.yml").is_file():
            raise DefinitionError(
                f"DbtProject: {self.project_dir} has no dbt_project.yml; pass the folder of "
                "the dbt project (the one holding dbt_project.yml) as project_dir."
            )
        self.target_path = self.project_dir / target_path
        if profiles_dir is None and (self.project_dir / "profiles.yml").is_file():
            profiles_dir = self.project_dir
        self.profiles_dir = Path(profiles_dir).resolve() if profiles_dir is not None else None
        self.profile = profile
        self.target = target

    def __repr__(self) -> str:
        return f"DbtProject({str(self.project_dir)!r})"

    @property
    def name(self) -> str:
        """The project's folder name (used in messages)."""
        return self.project_dir.name

    @property
    def manifest_path(self) -> Path:
        """``<target_path>/manifest.json``; made by ``prepare_if_dev()`` or ``manifest()``."""
        return self.target_path / "manifest.json"

    def cli_flags(self) -> list[str]:
        """The flags that point a dbt command at this project, its profile and target path."""
        flags = ["--project-dir", str(self.project_dir), "--target-path", str(self.target_path)]
        if self.profiles_dir is not None:
            flags += ["--profiles-dir", str(self.profiles_dir)]
        if self.profile is not None:
            flags += ["--profile", self.profile]
        if self.target is not None:
            flags += ["--target", self.target]
        return flags

    def prepare_if_dev(self) -> None:
        """Parse the project when its manifest is missing or older than its files."""
        self.manifest()

    def manifest(self) -> dict[str, Any]:
        """The parsed manifest, from ``dbt parse`` only when the project changed."""
        fingerprint = self._fingerprint()
        cache_key = (str(self.manifest_path), fingerprint)
        cached = _manifests.get(cache_key)
        if cached is not None:
            return cached
        fingerprint_file = self.target_path / _FINGERPRINT_FILE
        if not (self.manifest_path.is_file() and _read(fingerprint_file) == fingerprint):
            self._parse()
            _write_atomically(fingerprint_file, fingerprint)
        manifest = read_manifest(self.manifest_path)
        _manifests[cache_key] = manifest
        return manifest

    def selected_unique_ids(self, select: str, exclude: str | None) -> frozenset[str] | None:
        """The unique ids dbt selects with ``select``/``exclude``; None means every node.

        Asked of ``dbt ls`` once per project version and cached beside the manifest.
        """
        if select.strip() in _ALL and not exclude:
            return None
        fingerprint = self._fingerprint()
        cache_file = self.target_path / _SELECTIONS_FILE
        cache = _read_json(cache_file)
        if cache.get("fingerprint") != fingerprint:
            cache = {"fingerprint": fingerprint, "selections": {}}
        entry = f"{select}\n{exclude or ''}"
        if entry not in cache["selections"]:
            cache["selections"][entry] = sorted(self._list(select, exclude))
            _write_atomically(cache_file, json.dumps(cache))
        return frozenset(cache["selections"][entry])

    def _parse(self) -> None:
        outcome = invoke_dbt(["parse", "--quiet", *self.cli_flags()])
        if not outcome.success or not self.manifest_path.is_file():
            raise DefinitionError(
                f"dbt parse failed for the dbt project {self.project_dir}: "
                f"{outcome.exception or 'see the dbt log above'}"
            )

    def _list(self, select: str, exclude: str | None) -> list[str]:
        args = ["ls", "--log-level", "none", "--output", "json", "--output-keys", "unique_id"]
        args += ["--select", select, *(["--exclude", exclude] if exclude else [])]
        outcome = invoke_dbt([*args, *self.cli_flags()])
        if not outcome.success:
            raise DefinitionError(
                f"dbt could not select --select {select!r}"
                + (f" --exclude {exclude!r}" if exclude else "")
                + f" in the dbt project {self.project_dir}: {outcome.exception}"
            )
        return [json.loads(line)["unique_id"] for line in outcome.result or ()]

    def _fingerprint(self) -> str:
        digest = hashlib.sha256()
        digest.update(f"dbt-core {dbt_version()}\0{self.profile}\0{self.target}\0".encode())
        files = list(_project_files(self.project_dir, self.target_path))
        if self.profiles_dir is not None:
            files.append(self.profiles_dir / "profiles.yml")
        for path in sorted(set(files)):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
        return digest.hexdigest()


def as_project(
    project: DbtProject | str | os.PathLike[str], profiles_dir: Any = None, target: Any = None
) -> DbtProject:
    """``project`` as a ``DbtProject`` (a folder is made into one with the given profile)."""
    if isinstance(project, DbtProject):
        return project
    return DbtProject(project, profiles_dir=profiles_dir, target=target)


def read_manifest(path: str | os.PathLike[str] | Mapping[str, Any]) -> dict[str, Any]:
    """A manifest from its JSON file (or an already loaded mapping)."""
    if isinstance(path, Mapping):
        return dict(path)
    try:
        with open(path, encoding="utf-8") as handle:
            loaded = json.load(handle)
    except FileNotFoundError as exc:
        raise DefinitionError(
            f"dbt manifest {path} does not exist: run 'dbt parse' in the project, or use "
            "DbtProject(project_dir).manifest_path after project.prepare_if_dev()."
        ) from exc
    except json.JSONDecodeError as exc:
        raise DefinitionError(f"dbt manifest {path} is not valid JSON: {exc}") from exc
    if not isinstance(loaded, dict) or "nodes" not in loaded:
        raise DefinitionError(f"{path} is not a dbt manifest (it has no 'nodes').")
    return loaded


def _project_files(root: Path, target_path: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and d not in _SKIPPED_DIRS and here / d != target_path
        ]
        for name in files:
            if Path(name).suffix in _PROJECT_SUFFIXES:
                yield here / name


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _read_json(path: Path) -> dict[str, Any]:
    text = _read(path)
    try:
        loaded = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
