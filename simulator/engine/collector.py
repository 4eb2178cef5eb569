"""Garbage-collector settings for a run: young collections only, no full ones.

A run keeps hundreds of thousands of long-lived objects (the payers' ledgers, the panel, the
event log when it is kept in memory) and makes almost no reference cycles, so CPython's full
collections, each a walk over every tracked object, cost a third of a run's time and find
nothing. Inside :func:`young_collections_only` the young generations are still collected as
usual (short-lived cycles are freed) but the oldest is not collected automatically; the
previous thresholds come back when the block ends, even on an error.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["young_collections_only"]

_NEVER = 1 << 30
"""A threshold for the oldest generation that the young collections never reach."""


@contextmanager
def young_collections_only() -> Iterator[None]:
    """Within the block, collect the young generations only; restore the thresholds after."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(*before)
