"""``instance_for_test``: Dagster's test fixture, an instance in a temporary folder."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assetgraph.errors import UsageError
from assetgraph.settings import HOME_ENV, STORAGE_URL_ENV
from assetgraph.storage.instance import Instance


@contextmanager
def instance_for_test(
    overrides: Mapping[str, Any] | None = None,
    set_dagster_home: bool = True,
    temp_dir: str | os.PathLike[str] | None = None,
) -> Iterator[Instance]:
    """An ``Instance`` with a SQLite database in a temporary folder, removed on exit.

    As Dagster's: with ``set_dagster_home`` (the default) ``ASSETGRAPH_HOME`` points at
    the folder while the block runs (and ``ASSETGRAPH_STORAGE_URL`` is unset), so
    ``Instance.get()`` and worker processes find the same instance; ``temp_dir`` keeps it
    in a folder of your own, which is left in place. ``overrides`` (Dagster's
    ``dagster.yaml`` settings) are not supported: a non-empty mapping is an error.
    """
    if overrides:
        raise UsageError(
            f"instance_for_test(overrides={dict(overrides)!r}): dagster.yaml overrides are not "
            "supported; configure assetgraph with ASSETGRAPH_* variables or [tool.assetgraph]."
        )
    with _folder(temp_dir) as home:
        instance = Instance(home=home)
        saved = {name: os.environ.get(name) for name in (HOME_ENV, STORAGE_URL_ENV)}
        if set_dagster_home:
            os.environ[HOME_ENV] = str(instance.home)
            os.environ.pop(STORAGE_URL_ENV, None)
        try:
            yield instance
        finally:
            instance.storage.dispose()
            if set_dagster_home:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value


@contextmanager
def _folder(temp_dir: str | os.PathLike[str] | None) -> Iterator[Path]:
    if temp_dir is not None:
        yield Path(temp_dir)
        return
    with tempfile.TemporaryDirectory(prefix="assetgraph-test-") as folder:
        yield Path(folder)
