"""Fold a run's event log into per-claim facts, the common ground of every KPI and metric table.

One pass over the events, in log order, gives each claim its payer type, dates, charge, the
outcome of its first adjudication, whether it was reworked, how it ended, and the timeline of
its open balance. Nothing here reads anything but :mod:`simulator.eventlog` records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from reports.style import DENIAL_CATEGORIES
from simulator.eventlog import Event, EventKind, table_to_events

__all__ = [
    "ClaimFacts",
    "Run",
    "as_events",
    "denial_category",
    "fold",
    "week_start",
]

Categorize = Callable[[str], str]

DECISION_STATUS = {
    EventKind.PAID: "paid",
    EventKind.DENIED: "denied",
    EventKind.PENDED: "pended",
}
DENIAL_STATUSES = frozenset(("denied", "partly_paid", "pended"))
REJECTIONS = frozenset((EventKind.REJECTED_999, EventKind.REJECTED_277CA))
REWORK = frozenset(
    (EventKind.CORRECTED, EventKind.RESUBMITTED, EventKind.APPEALED, EventKind.DOCUMENTATION_SENT)
)
NOT_DENIAL_WRITE_OFFS = frozenset(
    ("small_balance", "bad_debt", "charity", "hardship", "patient_balance", "duplicate_copy")
)
"""Write-off reasons that are not revenue lost to a payer's denial: the patient's share, or a
duplicate copy of a claim the payer paid once."""


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def as_events(events: Any) -> list[Event]:
    """Events in log order from a list of :class:`Event` or a pyarrow table of the event log."""
    if hasattr(events, "to_pylist") and hasattr(events, "column_names"):
        events = table_to_events(events)
    return sorted(events, key=lambda e: e.seq)


def denial_category(event: Event, categorize: Categorize | None = None, status: str = "") -> str:
    """The denial category of a decision event: its own field, else ``categorize(carc)``."""
    if event.category in DENIAL_CATEGORIES:
        return event.category
    if categorize is not None and event.carc:
        found = categorize(event.carc)
        if found in DENIAL_CATEGORIES:
            return found
    if status == "pended" or event.kind == EventKind.PENDED:
        return "documentation"
    return "other"


@dataclass
class ClaimFacts:
    """What a claim's events say about it (money in cents, dates simulated)."""

    claim_id: str
    payer_type: str = ""
    service_date: date | None = None
    billed: int = 0
    created: date | None = None
    submitted: date | None = None
    rejected_first: bool = False
    first_status: str = ""
    first_category: str = ""
    first_decided: date | None = None
    first_paid: date | None = None
    reworked: bool = False
    denial_written_off: bool = False
    closed: date | None = None
    balance: list[tuple[date, int]] = field(default_factory=list)

    @property
    def adjudicated(self) -> bool:
        """The primary payer decided the claim at least once."""
        return bool(self.first_status)

    @property
    def initially_denied(self) -> bool:
        """The first adjudication denied, partly denied or pended the claim."""
        return self.first_status in DENIAL_STATUSES

    @property
    def age_start(self) -> date | None:
        """The date the claim's age is counted from: date of service, else the charge date."""
        return self.service_date or self.created or self.submitted


@dataclass
class Run:
    """A run's events, per-claim facts, first and last dates, and the run_started detail."""

    events: list[Event]
    claims: dict[str, ClaimFacts]
    start: date | None
    end: date | None
    scenario: str = ""
    seed: str = ""
    info: dict[str, str] = field(default_factory=dict)


def _run_detail(detail: str) -> dict[str, str]:
    pairs = (token.split("=", 1) for token in detail.split() if "=" in token)
    return dict(pairs)


def _decision_status(event: Event) -> str:
    if event.kind == EventKind.ADJUDICATED:
        return event.detail.split()[0] if event.detail else ""
    return DECISION_STATUS.get(event.kind, "")


def _primary(event: Event) -> bool:
    return event.order in (0, 1)


def _apply(facts: ClaimFacts, event: Event, categorize: Categorize | None) -> None:
    kind = event.kind
    if event.payer_type and not facts.payer_type and _primary(event):
        facts.payer_type = event.payer_type
    if kind == EventKind.VISIT:
        facts.service_date = facts.service_date or event.date
    elif kind == EventKind.CLAIM_CREATED:
        facts.created = facts.created or event.date
        facts.billed = facts.billed or event.billed
    elif kind == EventKind.SUBMITTED and facts.submitted is None:
        facts.submitted = event.date
    elif kind in REJECTIONS and not facts.first_status:
        facts.rejected_first = True
    elif kind in REWORK and facts.first_status:
        facts.reworked = True
    elif kind == EventKind.WRITTEN_OFF and event.rule not in NOT_DENIAL_WRITE_OFFS:
        facts.denial_written_off = True
    elif kind == EventKind.CLOSED:
        facts.closed = event.date
    status = _decision_status(event) if _primary(event) else ""
    if status and status != "reversed" and not facts.first_status:
        facts.first_status = status
        facts.first_decided = event.date
        if status in DENIAL_STATUSES:
            facts.first_category = denial_category(event, categorize, status)
    if kind == EventKind.PAID and event.paid >= 0 and _primary(event) and facts.first_paid is None:
        facts.first_paid = event.date


def _track_balance(facts: ClaimFacts, event: Event) -> None:
    moves = (
        event.kind == EventKind.CLAIM_CREATED
        or any((event.paid, event.adjusted, event.written_off, event.patient))
        or event.kind == EventKind.CLOSED
    )
    if not moves:
        return
    if facts.balance and facts.balance[-1][0] == event.date:
        facts.balance[-1] = (event.date, event.balance)
    else:
        facts.balance.append((event.date, event.balance))


def fold(events: Iterable[Event] | Any, categorize: Categorize | None = None) -> Run:
    """Per-claim facts of a run's events (a list of events or a pyarrow event table)."""
    ordered = as_events(events)
    claims: dict[str, ClaimFacts] = {}
    run_info: dict[str, str] = {}
    start = end = None
    for event in ordered:
        start = event.date if start is None or event.date < start else start
        end = event.date if end is None or event.date > end else end
        if event.kind == EventKind.RUN_STARTED:
            run_info = _run_detail(event.detail)
        if not event.claim_id:
            continue
        facts = claims.get(event.claim_id)
        if facts is None:
            facts = claims[event.claim_id] = ClaimFacts(event.claim_id)
        _apply(facts, event, categorize)
        _track_balance(facts, event)
    return Run(ordered, claims, start, end, run_info.get("scenario", ""), run_info.get("seed", ""), run_info)
