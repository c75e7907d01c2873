"""Holding the cyclic garbage collector while many long-lived objects are made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def garbage_collection_held() -> Iterator[None]:
    """Hold the cyclic garbage collector for the block.

    Building definitions or evaluating a tick allocates many objects that live on (asset
    definitions and their graph; a tick's decisions and subsets) and makes next to no
    reference cycles. Collections meanwhile would walk them, and everything made before,
    again and again: at 100,000 assets, more than half of the work. Reference counting still
    frees what the block drops. At the end its objects join the oldest generation unwalked
    (``freeze`` then ``unfreeze``), so the next full collection, not this block, looks at
    them once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
