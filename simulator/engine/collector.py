"""Garbage-collector setting for a run: the cyclic collector is off while the simulation runs.

A run keeps a million tracked objects (the payers' ledgers, the panel, the event log when it is
kept in memory) and makes next to no reference cycles while it runs (a test runs a scenario and
counts them), so the cyclic collector's passes, each a walk over the young or all tracked
objects, cost a quarter of a run's time and find nothing. Reference counting frees everything
else as before. Inside :func:`collector_off` automatic collection is off; it comes back when
the block ends, even on an error, and the run's world (whose processes and environment do refer
to each other) is collected as usual once it is dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_off"]


@contextmanager
def collector_off() -> Iterator[None]:
    """Within the block, no automatic cyclic garbage collection; the previous state after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
