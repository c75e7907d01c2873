"""What a code location declares: assets, checks, source assets, config, Definitions,
and how a code location is loaded.

``import assetgraph as dg`` then ``@dg.definitions`` reaches this package (a submodule
of ``assetgraph`` shadows the name), so the package itself is callable as Dagster's
``@definitions`` decorator (``assetgraph.definitions.lazy_definitions.definitions``).
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, fn: Any) -> Any:
        from assetgraph.definitions.lazy_definitions import definitions

        return definitions(fn)


sys.modules[__name__].__class__ = _CallablePackage
