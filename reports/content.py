"""What a report says, independent of its format: the data the HTML and markdown writers lay out.

:class:`ReportContent` gathers the title, provenance (scenario, seeds, payersim version), the
KPIs, the calibration table, rendered figures and extra tables. The ``*_rows`` functions turn
a KPI summary into display rows both writers share, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reports.style import (
    AGE_BUCKETS,
    CATEGORY_LABELS,
    DENIAL_CATEGORIES,
    PAYER_TYPES,
    format_kpi,
    kpi_label,
    payer_label,
)
from reports.tables import Table

__all__ = [
    "DEFINITIONS",
    "HEADLINE_KPIS",
    "FigureImage",
    "ReportContent",
    "aging_rows",
    "calibration_rows",
    "headline_rows",
    "mix_rows",
    "payer_rows",
]

HEADLINE_KPIS: tuple[str, ...] = (
    "claims",
    "initial_denial_rate",
    "clean_claim_rate",
    "first_pass_resolution_rate",
    "final_denial_rate",
    "appeal_overturn_rate",
    "days_in_ar",
    "resolution_days_p50",
    "resolution_days_p90",
    "net_collection_rate",
    "patient_collection_rate",
    "cost_to_collect",
)


@dataclass(frozen=True)
class FigureImage:
    """A rendered figure: its file name (without suffix), title, caption and PNG bytes."""

    name: str
    title: str
    caption: str
    png: bytes


@dataclass(frozen=True)
class ReportContent:
    """Everything a report shows; ``summary`` is empty for a study."""

    title: str
    version: str
    scenario: str = ""
    seeds: tuple[str, ...] = ()
    period: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    calibration: Table | None = None
    figures: tuple[FigureImage, ...] = ()
    tables: tuple[tuple[str, Table], ...] = ()
    scenario_text: str = ""
    notes: tuple[str, ...] = ()


DEFINITIONS: dict[str, str] = {
    "claims": "claims created in the run",
    "initial_denial_rate": "first adjudication denied, partly denied or pended / claims adjudicated",
    "clean_claim_rate": "accepted and paid on first pass, no rejection or denial / claims submitted",
    "first_pass_resolution_rate": "paid on first adjudication, never reworked / claims adjudicated",
    "final_denial_rate": "claims with a denial written off / claims adjudicated",
    "appeal_overturn_rate": "appeals overturned in full or in part / appeals decided",
    "days_in_ar": "open balance at the end / average daily charges of the last 90 days",
    "resolution_days_p50": "first submission to closing, closed claims",
    "resolution_days_p90": "first submission to closing, closed claims",
    "net_collection_rate": "cash collected / (charges - contractual adjustments)",
    "patient_collection_rate": "patient and agency cash / patient responsibility",
    "cost_to_collect": "(billing staff paid time + agency fees) / cash collected",
}
"""One-line definitions shown beside the KPIs (docs/kpis.md has the full ones)."""


def headline_rows(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(KPI, value, definition) for the scalar KPIs, in reading order."""
    return [
        (kpi_label(k), format_kpi(k, summary.get(k)), DEFINITIONS.get(k, ""))
        for k in HEADLINE_KPIS
        if k in summary
    ]


def payer_rows(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(payer type, initial denial rate, median days to payment) per payer type."""
    rates = summary.get("initial_denial_rate_by_payer_type") or {}
    days = summary.get("days_to_payment_median_by_payer_type") or {}
    return [
        (
            payer_label(p),
            format_kpi("initial_denial_rate", rates.get(p)),
            format_kpi("days_to_payment_median_by_payer_type", days.get(p)),
        )
        for p in PAYER_TYPES
    ]


def mix_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """(denial category, share of initial denials)."""
    mix = summary.get("denial_reason_mix") or {}
    return [(CATEGORY_LABELS[c], format_kpi("denial_reason_mix", mix.get(c))) for c in DENIAL_CATEGORIES]


def aging_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """(age bucket, share of the open balance at the run's end)."""
    aging = summary.get("ar_aging") or {}
    return [(f"{b} days", format_kpi("ar_aging", aging.get(b))) for b in AGE_BUCKETS]


def _benchmark_value(unit: str, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} days" if unit == "days" else f"{value * 100:.1f}%"


def calibration_rows(table: Table) -> list[tuple[str, str, str, str, str, str, str]]:
    """(figure, published, band, source, year, simulated, verdict) per benchmark."""
    rows = []
    for r in table.records():
        verdict = "no data" if r["within"] is None else ("within" if r["within"] else "outside")
        rows.append(
            (
                r["figure"],
                _benchmark_value(r["unit"], r["published"]),
                f"{_benchmark_value(r['unit'], r['low'])} – {_benchmark_value(r['unit'], r['high'])}",
                r["source"],
                "n.d." if r["year"] is None else str(r["year"]),
                _benchmark_value(r["unit"], r["simulated"]),
                verdict,
            )
        )
    return rows
