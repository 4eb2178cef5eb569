"""Fold a run's event log into per-claim facts, the common ground of every KPI and metric table.

One pass over the events, in log order, gives each claim its payer type, dates, charge, the
outcome of its first adjudication, whether it was reworked, how it ended, and the timeline of
its open balance, and the run's money totals. Nothing here reads anything but
:mod:`simulator.eventlog` records.

The events may come as a list, a pyarrow table, an :class:`~simulator.eventlog.EventFile`
(read from disk a batch at a time), or any iterable of events or of event batches (lists of
events or pyarrow record batches) in log order; only the per-claim facts are kept.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain, islice
from typing import Any

from reports.style import DENIAL_CATEGORIES
from simulator.eventlog import CHUNK_EVENTS, Event, EventFile, EventKind, table_to_events

__all__ = [
    "ClaimFacts",
    "Run",
    "Totals",
    "as_events",
    "denial_category",
    "event_batches",
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


def _is_table(events: Any) -> bool:
    return hasattr(events, "to_pylist") and hasattr(events, "column_names")


def as_events(events: Any) -> list[Event]:
    """Events in log order from a list of :class:`Event` or a pyarrow table of the event log."""
    if _is_table(events):
        events = table_to_events(events)
    return sorted(events, key=lambda e: e.seq)


def _kept(events: Any) -> tuple[Sequence[Event] | None, Iterable[Any]]:
    """(the events a Run keeps for a second walk, the batches to fold) of a source."""
    if isinstance(events, EventFile):
        return events, events.batches()
    if _is_table(events) or isinstance(events, (list, tuple)):
        ordered = as_events(events)
        return ordered, (ordered,)
    return None, events


def _batches(items: Iterable[Any]) -> Iterator[Sequence[Event]]:
    items = iter(items)
    first = next(items, None)
    if first is None:
        return
    if isinstance(first, Event):
        rest = chain((first,), items)
        while batch := list(islice(rest, CHUNK_EVENTS)):
            yield batch
        return
    for batch in chain((first,), items):
        yield table_to_events(batch) if hasattr(batch, "to_pylist") else batch


def _events(source: Iterable[Any]) -> Iterator[Event]:
    for batch in _batches(source):
        yield from batch


def event_batches(events: Any) -> Iterator[Sequence[Event]]:
    """The events of any accepted source (see the module docstring) in batches, in log order."""
    yield from _batches(_kept(events)[1])


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


@dataclass(slots=True)
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


@dataclass(slots=True)
class Totals:
    """Money (cents) and appeal counts summed over every event of a run."""

    cash: int = 0
    charges: int = 0
    contractual: int = 0
    patient_cash: int = 0
    patient_due: int = 0
    agency_fees: int = 0
    costs: int = 0
    costs_by_day: dict[date, int] = field(default_factory=dict)
    cash_by_week: dict[date, int] = field(default_factory=dict)
    appeals_decided: int = 0
    appeals_overturned: int = 0


OVERTURNED = (["overturned"], ["partly_overturned"])


def _add(totals: Totals, event: Event, weeks: dict[date, date]) -> None:
    kind = event.kind
    paid = event.paid
    if paid:
        totals.cash += paid
        when = event.date
        week = weeks.get(when)
        if week is None:
            week = weeks[when] = week_start(when)
        totals.cash_by_week[week] = totals.cash_by_week.get(week, 0) + paid
    if event.cost:
        totals.costs += event.cost
        totals.costs_by_day[event.date] = totals.costs_by_day.get(event.date, 0) + event.cost
    if kind == EventKind.CLAIM_CREATED:
        totals.charges += event.billed
    elif kind == EventKind.PAID:
        totals.contractual += event.adjusted
        totals.patient_due += event.patient
    elif kind == EventKind.PATIENT_PAID:
        totals.patient_cash += paid
    elif kind == EventKind.COLLECTED:
        totals.patient_cash += paid
        totals.agency_fees += event.adjusted
    elif kind == EventKind.APPEAL_DECIDED:
        totals.appeals_decided += 1
        totals.appeals_overturned += event.detail.split()[:1] in OVERTURNED


@dataclass
class Run:
    """A run's per-claim facts, money totals, first and last dates, and the run_started detail.

    ``events`` is the event source walked again by metric tables (the sorted list, or the
    :class:`~simulator.eventlog.EventFile`); ``None`` when the run was folded from a one-pass
    iterator.
    """

    events: Sequence[Event] | None
    claims: dict[str, ClaimFacts]
    start: date | None
    end: date | None
    scenario: str = ""
    seed: str = ""
    info: dict[str, str] = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)


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


@contextmanager
def _young_collections_only() -> Iterator[None]:
    """No full garbage collections in the block (as the engine's run): the fold makes one
    long-lived object per claim and no cycles, and full collections over them find nothing."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def fold(events: Iterable[Event] | Any, categorize: Categorize | None = None) -> Run:
    """Per-claim facts and money totals of a run's events (any source of the module docstring)."""
    kept, source = _kept(events)
    claims: dict[str, ClaimFacts] = {}
    run_info: dict[str, str] = {}
    totals = Totals()
    weeks: dict[date, date] = {}
    start = end = None
    last = -1
    with _young_collections_only():
        for event in _events(source):
            if event.seq < last:
                raise ValueError(f"event log out of order: event {event.seq} comes after event {last}")
            last = event.seq
            start = event.date if start is None or event.date < start else start
            end = event.date if end is None or event.date > end else end
            _add(totals, event, weeks)
            if event.kind == EventKind.RUN_STARTED:
                run_info = _run_detail(event.detail)
            if not event.claim_id:
                continue
            facts = claims.get(event.claim_id)
            if facts is None:
                facts = claims[event.claim_id] = ClaimFacts(event.claim_id)
            _apply(facts, event, categorize)
            _track_balance(facts, event)
    scenario, seed = run_info.get("scenario", ""), run_info.get("seed", "")
    return Run(kept, claims, start, end, scenario, seed, run_info, totals)
