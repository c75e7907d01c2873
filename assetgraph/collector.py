"""Holding the cyclic garbage collector while many long-lived objects are made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def garbage_collection_held(*, age_unwalked: bool = False) -> Iterator[None]:
    """Hold the cyclic garbage collector for the block.

    Building definitions or evaluating a tick allocates many objects that live on (asset
    definitions and their graph; a tick's decisions and subsets) and makes next to no
    reference cycles. Collections meanwhile would walk them, and everything made before,
    again and again: at 100,000 assets, more than half of the work. Reference counting still
    frees what the block drops.

    With ``age_unwalked`` every object, the block's and any garbage not yet collected, joins
    the oldest generation unwalked at the end (``freeze`` then ``unfreeze``), so the next
    full collection, not this block, looks at them once. Cyclic garbage then waits for that
    full collection, so this suits a process that runs few such blocks (the daemon's ticks),
    not code that user processes call again and again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if age_unwalked:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
