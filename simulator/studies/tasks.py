"""Replication tasks: what one worker runs, how its seed is derived, what it sends back.

A task carries the variant's full scenario data and a seed; a worker runs it with
:func:`execute_task`, a top-level function (so it pickles under ``spawn`` and on Dask) that
never raises: a failure comes back as an outcome with its error, so a study goes on.
"""

from __future__ import annotations

import hashlib
import math
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from simulator.money import parse_dollars

__all__ = [
    "Measurements",
    "ReplicateFunction",
    "ReplicationOutcome",
    "ReplicationTask",
    "derive_seed",
    "execute_task",
    "numeric_metrics",
    "series_metrics",
]

ReplicateFunction = Callable[[dict[str, Any], int, Path | None], "dict[str, Any] | Measurements"]
"""``replicate(scenario_data, seed, events_path) -> KPI dict or Measurements``; writes events when
given a path."""


@dataclass(frozen=True)
class Measurements:
    """What a replication may return besides its KPIs: small tables (column names and rows of
    plain values; dates become ISO strings) for figures with bands across replications."""

    kpis: dict[str, Any]
    tables: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]] = field(default_factory=dict)

    def plain_tables(self) -> dict[str, dict[str, list]]:
        """The tables as JSON-ready ``{"columns": [...], "rows": [[...], ...]}``."""
        return {
            name: {"columns": list(columns), "rows": [[_plain_cell(v) for v in row] for row in rows]}
            for name, (columns, rows) in sorted(self.tables.items())
        }


def _plain_cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
    series: dict[str, dict[str, float]] = field(default_factory=dict)
    tables: dict[str, dict[str, list]] = field(default_factory=dict)
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


_DOLLARS = re.compile(r"^-?\d+\.\d{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _number(value: Any) -> int | float | None:
    """A finite number, a dollar string as integer cents, or None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and _DOLLARS.match(value):
        return parse_dollars(value)
    return None


def _is_money(value: Any) -> bool:
    return isinstance(value, str) and bool(_DOLLARS.match(value))


def numeric_metrics(kpis: dict[str, Any]) -> dict[str, float]:
    """Flat numeric KPIs: scalars as they are, dollar strings as ``<name>_cents``, and one level of
    nesting as ``<name>.<key>``; text, None, NaN and date-keyed series are left out."""
    kept: dict[str, float] = {}
    for name in sorted(kpis):
        value = kpis[name]
        if isinstance(value, dict):
            if value and all(_ISO_DATE.match(str(key)) for key in value):
                continue
            for key in sorted(value, key=str):
                number = _number(value[key])
                if number is not None:
                    kept[f"{name}.{key}{'_cents' if _is_money(value[key]) else ''}"] = number
            continue
        number = _number(value)
        if number is not None:
            kept[f"{name}_cents" if _is_money(value) else str(name)] = number
    return kept


def series_metrics(kpis: dict[str, Any]) -> dict[str, dict[str, float]]:
    """The KPIs that are series by date (``{"2026-01-05": "120.00", ...}``), numbers as in
    :func:`numeric_metrics` (money in cents), keyed by ``<name>`` (``<name>_cents`` for money)."""
    kept: dict[str, dict[str, float]] = {}
    for name in sorted(kpis):
        value = kpis[name]
        if not isinstance(value, dict) or not value or not all(_ISO_DATE.match(str(k)) for k in value):
            continue
        points = {str(key): _number(value[key]) for key in sorted(value, key=str)}
        money = any(_is_money(v) for v in value.values())
        kept[f"{name}_cents" if money else str(name)] = {k: v for k, v in points.items() if v is not None}
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
        result = task.replicate(task.scenario, task.seed, task.events_path)
        measured = result if isinstance(result, Measurements) else Measurements(result)
        return ReplicationOutcome(
            **base,
            metrics=numeric_metrics(measured.kpis),
            series=series_metrics(measured.kpis),
            tables=measured.plain_tables(),
        )
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
        return ReplicationOutcome(**base, error=message, details=traceback.format_exc())
