"""Revenue-cycle KPIs of one run, computed from its event log alone.

:func:`summarize` returns a dictionary with sorted keys; rates are fractions in [0, 1] rounded to
4 places, day counts are numbers rounded to 2 places, money is a dollar string such as
``"1234.50"`` (exact, from integer cents). A rate whose denominator is zero is ``None``.

Definitions (a "claim" is one patient control number, whatever its resubmissions; its
"first adjudication" is its primary payer's first decision, as an ``adjudicated`` event's
status or else the first ``paid`` / ``denied`` / ``pended`` remittance):

claims
    Claims created in the run (``claim_created``).
initial_denial_rate
    Claims whose first adjudication denied them, partly denied them (some lines denied) or
    pended them for documentation / claims adjudicated (Premier 2024; a documentation request
    counts as a denial, as in the Change Healthcare Denials Index).
initial_denial_rate_by_payer_type
    The same, per primary payer type (medicare, medicare_advantage, medicaid, commercial).
denial_reason_mix
    Share of initial denials by the denial category of the deciding CARC (ten categories,
    shares sum to 1 when there is a denial, all 0 otherwise).
clean_claim_rate
    Claims accepted on first submission (no 999 or 277CA rejection before the first
    adjudication) and paid by the first adjudication without denial or pend / claims submitted.
first_pass_resolution_rate
    Claims paid by their first adjudication and never reworked afterwards (no correction,
    resubmission, appeal or documentation) / claims adjudicated.
final_denial_rate
    Claims with an amount written off because of a payer denial (any write-off whose reason is
    not a patient-balance reason such as small_balance or bad_debt, nor duplicate_copy) /
    claims adjudicated (Kodiak 2024 reports 2.8%, by dollars).
days_in_ar
    Open A/R balance (payer and patient shares) at the run's end / average daily charges of the
    last 90 days of the run (of the whole run when shorter than 90 days).
ar_aging
    Share of the open balance at the run's end by age since the date of service (else the
    charge date), in buckets 0-30, 31-60, 61-90, 91-120 and 120+ days.
resolution_days_p50, resolution_days_p90
    Nearest-rank percentiles of the days from first submission to the claim's closing, over
    closed claims.
days_to_payment_median_by_payer_type
    Median days from first submission to the primary payer's first payment remittance (a
    ``paid`` event, even for $0 when the allowed amount went to the deductible), per payer type,
    over claims the primary payer approved (AMA's "days to first remittance").
appeal_overturn_rate
    Appeals decided overturned or partly overturned / appeals decided (Premier: 51.7%).
net_collection_rate
    Cash collected (payers, patients, agencies, net) / (charges - contractual adjustments),
    over the whole run; balances still open at the end lower it.
patient_collection_rate
    Cash collected from patients and agencies / patient responsibility assigned by payers.
cost_to_collect
    (Billing staff cost + collection agency fees) / cash collected. The staff cost is what the
    billers are paid through the visit horizon, busy or idle, so a bigger team costs more, plus
    the work logged in the run-out (:func:`staff_cost`).
cash_by_week
    Cash collected per calendar week, keyed by the week's Monday (ISO date), in dollars.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reports.claims import Categorize, ClaimFacts, Run, fold
from reports.style import AGE_BUCKETS, DENIAL_CATEGORIES, PAYER_TYPES
from reports.tables import format_cents
from simulator.eventlog import Event

__all__ = [
    "KPI_KEYS",
    "age_bucket",
    "percentile",
    "staff_cost",
    "summarize",
    "summarize_run",
]

RATE_PLACES = 4
DAY_PLACES = 2
AR_WINDOW_DAYS = 90

KPI_KEYS: tuple[str, ...] = (
    "appeal_overturn_rate",
    "ar_aging",
    "cash_by_week",
    "claims",
    "clean_claim_rate",
    "cost_to_collect",
    "days_in_ar",
    "days_to_payment_median_by_payer_type",
    "denial_reason_mix",
    "final_denial_rate",
    "first_pass_resolution_rate",
    "initial_denial_rate",
    "initial_denial_rate_by_payer_type",
    "net_collection_rate",
    "patient_collection_rate",
    "resolution_days_p50",
    "resolution_days_p90",
)


def _rate(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, RATE_PLACES) if denominator else None


def _days(value: float | None) -> float | None:
    return None if value is None else round(float(value), DAY_PLACES)


def percentile(values: Iterable[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` in (0, 1]) of ``values``; ``None`` when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def age_bucket(days: int) -> str:
    """The A/R age bucket of a balance ``days`` old."""
    for bucket, limit in zip(AGE_BUCKETS, (30, 60, 90, 120), strict=False):
        if days <= limit:
            return bucket
    return AGE_BUCKETS[-1]


def _balance_on(facts: ClaimFacts, day: date) -> int:
    current = 0
    for when, balance in facts.balance:
        if when > day:
            break
        current = balance
    return current


def _denials(adjudicated: list[ClaimFacts]) -> dict[str, Any]:
    by_type: dict[str, Any] = {}
    for payer_type in PAYER_TYPES:
        group = [c for c in adjudicated if c.payer_type == payer_type]
        by_type[payer_type] = _rate(sum(c.initially_denied for c in group), len(group))
    denied = [c for c in adjudicated if c.initially_denied]
    mix = {
        k: _rate(sum(c.first_category == k for c in denied), len(denied)) or 0.0 for k in DENIAL_CATEGORIES
    }
    return {
        "initial_denial_rate": _rate(len(denied), len(adjudicated)),
        "initial_denial_rate_by_payer_type": by_type,
        "denial_reason_mix": mix,
    }


def _first_pass(run: Run, adjudicated: list[ClaimFacts]) -> dict[str, Any]:
    submitted = [c for c in run.claims.values() if c.submitted is not None]
    clean = sum(1 for c in submitted if not c.rejected_first and c.first_status == "paid")
    resolved = sum(1 for c in adjudicated if c.first_status == "paid" and not c.reworked)
    return {
        "clean_claim_rate": _rate(clean, len(submitted)),
        "first_pass_resolution_rate": _rate(resolved, len(adjudicated)),
        "final_denial_rate": _rate(sum(c.denial_written_off for c in adjudicated), len(adjudicated)),
    }


def _receivables(run: Run) -> dict[str, Any]:
    end = run.end
    open_by_bucket = dict.fromkeys(AGE_BUCKETS, 0)
    if end is None:
        return {"days_in_ar": None, "ar_aging": {k: 0.0 for k in AGE_BUCKETS}}
    for facts in run.claims.values():
        balance = _balance_on(facts, end)
        start = facts.age_start
        if balance and start is not None:
            open_by_bucket[age_bucket((end - start).days)] += balance
    total = sum(open_by_bucket.values())
    window = min(AR_WINDOW_DAYS, (end - run.start).days + 1)
    since = end - timedelta(days=window - 1)
    charges = sum(c.billed for c in run.claims.values() if c.created is not None and c.created >= since)
    return {
        "days_in_ar": _days(total / (charges / window)) if charges else None,
        "ar_aging": {k: _rate(v, total) or 0.0 for k, v in open_by_bucket.items()},
    }


def _timing(run: Run) -> dict[str, Any]:
    resolution = [
        (c.closed - c.submitted).days for c in run.claims.values() if c.closed and c.submitted is not None
    ]
    to_payment: dict[str, list[float]] = defaultdict(list)
    for c in run.claims.values():
        if c.first_paid is not None and c.submitted is not None:
            to_payment[c.payer_type].append((c.first_paid - c.submitted).days)
    return {
        "resolution_days_p50": _days(percentile(resolution, 0.5)),
        "resolution_days_p90": _days(percentile(resolution, 0.9)),
        "days_to_payment_median_by_payer_type": {p: _days(_median(to_payment[p])) for p in PAYER_TYPES},
    }


def staff_cost(run: Run) -> int:
    """Cents the billing staff cost the run's claims.

    Through the visit horizon the billers are paid for all their time, busy or idle (billers x
    paid hours a week x weeks x hourly cost, from the ``run_started`` detail), or for the work
    logged if that is more. After it, in the run-out when no visit comes, only the work logged on
    the run's claims counts: a practice that goes on seeing patients pays the rest of that time
    from its new claims. A log without those figures counts the work logged alone.
    """
    info, totals = run.info, run.totals
    try:
        billers = int(info["billers"])
        weekly_hours = Decimal(info["hours_per_week"])
        hourly = int(info["hourly_cost"])
        horizon = int(info["horizon_days"])
    except (KeyError, ValueError, ArithmeticError):
        return totals.costs
    if run.start is None or run.end is None or not weekly_hours.is_finite():
        return totals.costs
    paid_days = min(horizon, (run.end - run.start).days + 1)
    paid = (billers * weekly_hours * hourly * paid_days / 7).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    run_out = run.start + timedelta(days=paid_days)
    later = sum(cost for day, cost in totals.costs_by_day.items() if day >= run_out)
    return max(int(paid), totals.costs - later) + later


def _money(run: Run) -> dict[str, Any]:
    totals = run.totals
    weekly = totals.cash_by_week
    return {
        "net_collection_rate": _rate(totals.cash, totals.charges - totals.contractual),
        "patient_collection_rate": _rate(totals.patient_cash, totals.patient_due),
        "cost_to_collect": _rate(staff_cost(run) + totals.agency_fees, totals.cash),
        "cash_by_week": {week.isoformat(): format_cents(weekly[week]) for week in sorted(weekly)},
        "appeal_overturn_rate": _rate(totals.appeals_overturned, totals.appeals_decided),
    }


def summarize_run(run: Run) -> dict[str, Any]:
    """The KPIs of a folded run (see the module docstring for each definition)."""
    adjudicated = [c for c in run.claims.values() if c.adjudicated]
    created = sum(1 for c in run.claims.values() if c.created is not None)
    result: dict[str, Any] = {"claims": created}
    result |= _denials(adjudicated)
    result |= _first_pass(run, adjudicated)
    result |= _receivables(run)
    result |= _timing(run)
    result |= _money(run)
    return _sorted(result)


def summarize(events: Iterable[Event] | Any, categorize: Categorize | None = None) -> dict[str, Any]:
    """The KPIs of a run's events (a list, a pyarrow table, an EventFile or batches), sorted by key.

    ``categorize`` maps a CARC to its denial category for events whose ``category`` is empty.
    """
    return summarize_run(fold(events, categorize))


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    return value
