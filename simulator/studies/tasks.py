"""Replication tasks: what one worker runs, how its seed is derived, what it sends back.

A task carries the variant's full scenario data and a seed; a worker runs it with
:func:`execute_task`, a top-level function (so it pickles under ``spawn`` and on Dask) that
never raises: a failure comes back as an outcome with its error, so a study goes on.
"""

from __future__ import annotations

import hashlib
import math
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ReplicateFunction",
    "ReplicationOutcome",
    "ReplicationTask",
    "derive_seed",
    "execute_task",
    "numeric_metrics",
]

ReplicateFunction = Callable[[dict[str, Any], int, Path | None], dict[str, Any]]
"""``replicate(scenario_data, seed, events_path) -> KPI dict``; writes events when given a path."""


def derive_seed(study_seed: int, *parts: int) -> int:
    """A seed in [0, 2**32) derived deterministically from the study seed and ``parts``."""
    text = ":".join(str(int(part)) for part in (study_seed, *parts))
    digest = hashlib.sha256(f"payersim-study:{text}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class ReplicationTask:
    """Replication ``replication`` of variant ``variant`` (by index and name) with its seed."""

    variant_index: int
    variant: str
    replication: int
    seed: int
    scenario: dict[str, Any]
    replicate: ReplicateFunction
    events_path: Path | None = None

    @property
    def key(self) -> tuple[int, int]:
        """The (variant, replication) order every result is reported in."""
        return (self.variant_index, self.replication)


@dataclass(frozen=True)
class ReplicationOutcome:
    """What a replication sends back: its KPIs (numbers only) or the error that stopped it."""

    variant_index: int
    variant: str
    replication: int
    seed: int
    metrics: dict[str, float] = field(default_factory=dict)
    error: str = ""
    details: str = ""

    @property
    def ok(self) -> bool:
        """True when the replication ran to the end."""
        return not self.error

    @property
    def key(self) -> tuple[int, int]:
        """The (variant, replication) order every result is reported in."""
        return (self.variant_index, self.replication)


def numeric_metrics(kpis: dict[str, Any]) -> dict[str, float]:
    """The finite numeric scalar KPIs of a KPI dict (booleans, text and nested values left out)."""
    kept: dict[str, float] = {}
    for name in sorted(kpis):
        value = kpis[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            continue
        kept[str(name)] = value
    return kept


def execute_task(task: ReplicationTask) -> ReplicationOutcome:
    """Run one replication; a failure is returned as an outcome, never raised."""
    base = {
        "variant_index": task.variant_index,
        "variant": task.variant,
        "replication": task.replication,
        "seed": task.seed,
    }
    try:
        kpis = task.replicate(task.scenario, task.seed, task.events_path)
        return ReplicationOutcome(**base, metrics=numeric_metrics(kpis))
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
        return ReplicationOutcome(**base, error=message, details=traceback.format_exc())
