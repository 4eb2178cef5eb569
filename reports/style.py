"""The report's fixed vocabulary: payer types, denial categories, A/R age buckets, their labels
and colours, so every figure and table names and colours the same thing the same way."""

from __future__ import annotations

__all__ = [
    "AGE_BUCKETS",
    "AGE_COLORS",
    "CATEGORY_COLORS",
    "CATEGORY_LABELS",
    "DAY_KPIS",
    "DENIAL_CATEGORIES",
    "KPI_LABELS",
    "PAYER_COLORS",
    "PAYER_LABELS",
    "PAYER_TYPES",
    "format_kpi",
    "format_money",
    "kpi_label",
    "payer_color",
    "payer_label",
]

PAYER_TYPES: tuple[str, ...] = ("medicare", "medicare_advantage", "medicaid", "commercial")

PAYER_LABELS: dict[str, str] = {
    "medicare": "Medicare",
    "medicare_advantage": "Medicare Advantage",
    "medicaid": "Medicaid",
    "commercial": "Commercial",
    "patient": "Patients",
}

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
PAYER_COLORS: dict[str, str] = {
    "medicare": "#0072B2",
    "medicare_advantage": "#56B4E9",
    "medicaid": "#009E73",
    "commercial": "#E69F00",
    "patient": "#CC79A7",
}

DENIAL_CATEGORIES: tuple[str, ...] = (
    "eligibility_registration",
    "missing_invalid_data",
    "prior_authorization",
    "not_covered",
    "documentation",
    "medical_necessity",
    "timely_filing",
    "coding",
    "duplicate",
    "other",
)

CATEGORY_LABELS: dict[str, str] = {
    "eligibility_registration": "Eligibility / registration",
    "missing_invalid_data": "Missing / invalid data",
    "prior_authorization": "Prior authorization",
    "not_covered": "Service not covered",
    "documentation": "Documentation requested",
    "medical_necessity": "Medical necessity",
    "timely_filing": "Timely filing",
    "coding": "Coding",
    "duplicate": "Duplicate",
    "other": "Other",
}

CATEGORY_COLORS: dict[str, str] = {
    "eligibility_registration": "#0072B2",
    "missing_invalid_data": "#E69F00",
    "prior_authorization": "#009E73",
    "not_covered": "#CC79A7",
    "documentation": "#56B4E9",
    "medical_necessity": "#D55E00",
    "timely_filing": "#F0E442",
    "coding": "#7F3C8D",
    "duplicate": "#8C8C8C",
    "other": "#C8C8C8",
}

AGE_BUCKETS: tuple[str, ...] = ("0-30", "31-60", "61-90", "91-120", "120+")

AGE_COLORS: dict[str, str] = {
    "0-30": "#9ECAE1",
    "31-60": "#4292C6",
    "61-90": "#FDAE6B",
    "91-120": "#F16913",
    "120+": "#A63603",
}


def payer_label(payer_type: str) -> str:
    """A payer type's display name (the type itself when unknown)."""
    return PAYER_LABELS.get(payer_type, payer_type.replace("_", " ").title())


def payer_color(payer_type: str) -> str:
    """A payer type's colour (grey when unknown)."""
    return PAYER_COLORS.get(payer_type, "#666666")


KPI_LABELS: dict[str, str] = {
    "claims": "Claims",
    "initial_denial_rate": "Initial denial rate",
    "clean_claim_rate": "Clean claim rate",
    "first_pass_resolution_rate": "First-pass resolution rate",
    "final_denial_rate": "Final denial rate",
    "days_in_ar": "Days in A/R",
    "resolution_days_p50": "Days to resolution, median",
    "resolution_days_p90": "Days to resolution, 90th percentile",
    "appeal_overturn_rate": "Appeal overturn rate",
    "net_collection_rate": "Net collection rate",
    "patient_collection_rate": "Patient collection rate",
    "cost_to_collect": "Cost to collect",
    "initial_denial_rate_by_payer_type": "Initial denial rate by payer type",
    "denial_reason_mix": "Denial reason mix",
    "ar_aging": "A/R aging (share of open balance)",
    "days_to_payment_median_by_payer_type": "Median days to payment by payer type",
    "cash_by_week": "Cash collected per week",
}

DAY_KPIS = frozenset(
    ("days_in_ar", "resolution_days_p50", "resolution_days_p90", "days_to_payment_median_by_payer_type")
)


def kpi_label(kpi: str) -> str:
    """A KPI's display name."""
    return KPI_LABELS.get(kpi, kpi.replace("_", " ").capitalize())


def format_kpi(kpi: str, value: object) -> str:
    """A KPI value for display: a percentage, days, a count or dollars; an en dash when missing."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return format_money(value)
    if kpi.split(".")[0] in DAY_KPIS or kpi.startswith("days") or kpi.endswith("days"):
        return f"{float(value):.1f} days"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{float(value) * 100:.1f}%"


def format_money(dollars: str) -> str:
    """A dollar string such as ``"-1234.50"`` shown as ``-$1,234.50``."""
    sign, digits = ("-", dollars[1:]) if dollars.startswith("-") else ("", dollars)
    whole, _, cents = digits.partition(".")
    return f"{sign}${int(whole):,}.{cents or '00'}"
