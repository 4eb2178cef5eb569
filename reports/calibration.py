"""Calibration: a run's KPIs beside published benchmarks, each flagged in or out of its band.

The benchmarks are data (``reports/benchmarks.yaml``): the KPI each row checks, the published
figure with its source and year, and the band a calibrated run should land in.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from reports.tables import Table

__all__ = ["Benchmark", "calibrate", "kpi_value", "load_benchmarks"]

UNITS = ("fraction", "days")


@dataclass(frozen=True)
class Benchmark:
    """One published figure and the band a simulated KPI is checked against."""

    id: str
    label: str
    kpi: tuple[str, ...]
    published: float
    low: float
    high: float
    unit: str
    source: str
    year: int | None
    note: str = ""


def _benchmark(row: dict[str, Any], where: str) -> Benchmark:
    try:
        kpi = row["kpi"]
        made = Benchmark(
            id=str(row["id"]),
            label=str(row["label"]),
            kpi=tuple(kpi) if isinstance(kpi, list) else (str(kpi),),
            published=float(row["published"]),
            low=float(row["low"]),
            high=float(row["high"]),
            unit=str(row["unit"]),
            source=str(row["source"]),
            year=None if row.get("year") is None else int(row["year"]),
            note=str(row.get("note") or ""),
        )
    except KeyError as missing:
        raise ValueError(f"{where}: benchmark {row.get('id', '?')!r} lacks the field {missing}") from None
    if made.unit not in UNITS:
        raise ValueError(f"{where}: benchmark {made.id!r} has unit {made.unit!r}; use one of {UNITS}")
    if made.low > made.high:
        raise ValueError(f"{where}: benchmark {made.id!r} has low {made.low} above high {made.high}")
    return made


def load_benchmarks(path: Path | str | None = None) -> list[Benchmark]:
    """The benchmarks of ``path`` (default: the packaged ``benchmarks.yaml``)."""
    if path is None:
        text = resources.files("reports").joinpath("benchmarks.yaml").read_text(encoding="utf-8")
        where = "reports/benchmarks.yaml"
    else:
        text = Path(path).read_text(encoding="utf-8")
        where = str(path)
    document = yaml.safe_load(text) or {}
    return [_benchmark(row, where) for row in document.get("benchmarks", [])]


def _lookup(summary: dict[str, Any], key: str) -> float | None:
    head, _, tail = key.partition(".")
    value = summary.get(head)
    if tail:
        value = value.get(tail) if isinstance(value, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def kpi_value(summary: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    """The summary's value for a benchmark: one key, or the sum of several (``None`` if any is missing)."""
    values = [_lookup(summary, key) for key in keys]
    if any(v is None for v in values):
        return None
    return round(sum(values), 4)  # type: ignore[arg-type]


def calibrate(summary: dict[str, Any], benchmarks: list[Benchmark] | None = None) -> Table:
    """One row per benchmark: the published figure, its band, the run's value and whether it fits."""
    rows = []
    for mark in load_benchmarks() if benchmarks is None else benchmarks:
        simulated = kpi_value(summary, mark.kpi)
        within = None if simulated is None else mark.low <= simulated <= mark.high
        rows.append(
            (
                mark.id,
                mark.label,
                mark.unit,
                mark.published,
                mark.low,
                mark.high,
                simulated,
                within,
                mark.source,
                mark.year,
                mark.note,
            )
        )
    columns = (
        "id",
        "figure",
        "unit",
        "published",
        "low",
        "high",
        "simulated",
        "within",
        "source",
        "year",
        "note",
    )
    return Table.build("calibration", columns, rows)
