"""Metric tables of a run, computed from its event log, for the figures and the CSV files.

Each function takes a folded :class:`~reports.claims.Run` and a ``label`` for the run (the
replication number in a study), and returns a :class:`~reports.tables.Table`; tables of
several runs are joined with :func:`concat`. Weeks are calendar weeks starting on Monday;
a week's snapshot is taken at the end of its Sunday, or of the run's last day.

- ``cash_by_week``: cash received per week by who paid: the paying payer's type, or
  ``patient`` for patient and collection-agency cash.
- ``ar_aging``: open balance at each week's snapshot by age bucket (age since date of service).
- ``initial_denials``: claims initially denied, by primary payer type and denial category.
- ``resolution_times``: days from first submission to closing, per closed claim.
- ``staff``: per staff role and week, the biller work queue at the snapshot (claims rejected,
  denied or pended and not yet worked) and utilisation (logged task hours over the role's
  paid hours: staff seen in the run times ``paid_hours_per_week``).
- ``kpi_table``: the KPI dictionary of :func:`reports.kpis.summarize` as rows.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from reports.claims import Run, week_start
from reports.kpis import age_bucket
from reports.style import AGE_BUCKETS, DENIAL_CATEGORIES, PAYER_TYPES
from reports.tables import Table
from simulator.eventlog import EventKind

__all__ = [
    "ar_aging",
    "cash_by_week",
    "concat",
    "initial_denials",
    "kpi_table",
    "resolution_times",
    "snapshot_dates",
    "staff",
]

NON_STAFF_ACTORS = frozenset(
    ("", "provider", "scrubber", "clearinghouse", "payer", "patient", "agency", "system")
)
QUEUE_IN = frozenset((EventKind.REJECTED_999, EventKind.REJECTED_277CA, EventKind.DENIED, EventKind.PENDED))
QUEUE_OUT = frozenset(
    (
        EventKind.CORRECTED,
        EventKind.RESUBMITTED,
        EventKind.DOCUMENTATION_SENT,
        EventKind.APPEALED,
        EventKind.WRITTEN_OFF,
        EventKind.SUBMITTED,
        EventKind.PAID,
        EventKind.CLOSED,
    )
)
UPHELD = ("upheld", "refused_late", "refused_not_appealable")


def concat(tables: Sequence[Table]) -> Table:
    """One table with the rows of several tables of the same name and columns."""
    if not tables:
        raise ValueError("nothing to join")
    first = tables[0]
    for table in tables[1:]:
        if table.columns != first.columns:
            raise ValueError(f"table {table.name!r} columns {table.columns} differ from {first.columns}")
    return Table(first.name, first.columns, tuple(row for t in tables for row in t.rows))


def snapshot_dates(run: Run) -> list[date]:
    """The end of each calendar week of the run (Sunday, or the run's last day)."""
    if run.start is None or run.end is None:
        return []
    out, monday = [], week_start(run.start)
    while monday <= run.end:
        out.append(min(monday + timedelta(days=6), run.end))
        monday += timedelta(days=7)
    return out


def _payer_type_order(kind: str) -> tuple[int, str]:
    return (PAYER_TYPES.index(kind) if kind in PAYER_TYPES else len(PAYER_TYPES), kind)


def cash_by_week(run: Run, label: Any = 0) -> Table:
    """Cash received per week by payer type (``patient`` for patients and agencies)."""
    totals: dict[tuple[date, str], int] = defaultdict(int)
    for event in run.events:
        if not event.paid:
            continue
        if event.kind in (EventKind.PATIENT_PAID, EventKind.COLLECTED):
            source = "patient"
        else:
            facts = run.claims.get(event.claim_id)
            source = event.payer_type or (facts.payer_type if facts else "") or "unknown"
        totals[(week_start(event.date), source)] += event.paid
    rows = [
        (label, w, p, v)
        for (w, p), v in sorted(totals.items(), key=lambda kv: (kv[0][0], _payer_type_order(kv[0][1])))
    ]
    return Table.build("cash_by_week", ("run", "week", "payer_type", "collected_cents"), rows)


def _value_on(points: list[tuple[date, Any]], keys: list[date], day: date, default: Any) -> Any:
    index = bisect.bisect_right(keys, day)
    return points[index - 1][1] if index else default


def ar_aging(run: Run, label: Any = 0) -> Table:
    """Open balance at each weekly snapshot by age bucket since the date of service."""
    snapshots = snapshot_dates(run)
    totals: dict[tuple[date, str], int] = defaultdict(int)
    for facts in run.claims.values():
        if not facts.balance or facts.age_start is None:
            continue
        keys = [d for d, _ in facts.balance]
        for day in snapshots[bisect.bisect_left(snapshots, keys[0]) :]:
            balance = _value_on(facts.balance, keys, day, 0)
            if balance:
                totals[(day, age_bucket((day - facts.age_start).days))] += balance
    rows = [(label, day, bucket, totals.get((day, bucket), 0)) for day in snapshots for bucket in AGE_BUCKETS]
    return Table.build("ar_aging", ("run", "week", "bucket", "balance_cents"), rows)


def initial_denials(run: Run, label: Any = 0) -> Table:
    """Claims initially denied, by primary payer type and denial category, with their charges."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for facts in run.claims.values():
        if facts.initially_denied:
            cell = counts[(facts.payer_type or "unknown", facts.first_category or "other")]
            cell[0] += 1
            cell[1] += facts.billed
    keys = sorted(counts, key=lambda k: (_payer_type_order(k[0]), DENIAL_CATEGORIES.index(k[1])))
    rows = [(label, p, c, counts[(p, c)][0], counts[(p, c)][1]) for p, c in keys]
    return Table.build("initial_denials", ("run", "payer_type", "category", "denials", "billed_cents"), rows)


def resolution_times(run: Run, label: Any = 0) -> Table:
    """Days from first submission to closing for each closed claim, by primary payer type."""
    rows = [
        (label, c.payer_type or "unknown", c.claim_id, (c.closed - c.submitted).days)
        for c in sorted(run.claims.values(), key=lambda f: f.claim_id)
        if c.closed is not None and c.submitted is not None
    ]
    return Table.build("resolution_times", ("run", "payer_type", "claim_id", "days"), rows)


def _queue_points(run: Run) -> dict[str, list[tuple[date, bool]]]:
    points: dict[str, list[tuple[date, bool]]] = defaultdict(list)
    for event in run.events:
        waiting: bool | None = None
        if event.kind in QUEUE_IN:
            waiting = True
        elif event.kind == EventKind.APPEAL_DECIDED:
            waiting = event.detail.split()[:1] != [] and event.detail.split()[0] in UPHELD
        elif event.kind == EventKind.SCRUBBED and event.rule:
            waiting = True
        elif event.kind in QUEUE_OUT:
            waiting = False
        if waiting is None or not event.claim_id:
            continue
        claim = points[event.claim_id]
        if claim and claim[-1][0] == event.date:
            claim[-1] = (event.date, waiting)
        else:
            claim.append((event.date, waiting))
    return points


def _backlog(run: Run, snapshots: list[date]) -> dict[date, int]:
    counts = dict.fromkeys(snapshots, 0)
    for points in _queue_points(run).values():
        keys = [d for d, _ in points]
        for day in snapshots[bisect.bisect_left(snapshots, keys[0]) :]:
            if _value_on(points, keys, day, False):
                counts[day] += 1
    return counts


def _role(actor: str) -> str:
    return actor.split(":", 1)[0]


def staff(run: Run, label: Any = 0, paid_hours_per_week: float = 40.0) -> Table:
    """Biller work queue and staff utilisation per role and week (``None`` when not logged)."""
    snapshots = snapshot_dates(run)
    hours: dict[tuple[str, date], float] = defaultdict(float)
    people: dict[str, set[str]] = defaultdict(set)
    for event in run.events:
        role = _role(event.actor)
        if role in NON_STAFF_ACTORS or not (event.hours or event.cost):
            continue
        people[role].add(event.actor)
        hours[(role, week_start(event.date))] += event.hours
    backlog = _backlog(run, snapshots)
    roles = sorted(set(people) | {"biller"})
    logged = {r for (r, _), h in hours.items() if h > 0}
    rows = []
    for role in roles:
        capacity = len(people[role]) * paid_hours_per_week
        for day in snapshots:
            used = hours.get((role, week_start(day)), 0.0)
            rows.append(
                (
                    label,
                    week_start(day),
                    role,
                    backlog[day] if role == "biller" else None,
                    round(min(used / capacity, 1.0), 4) if role in logged and capacity else None,
                )
            )
    return Table.build("staff", ("run", "week", "role", "backlog", "utilisation"), rows)


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [pair for key in sorted(value) for pair in _flatten(f"{prefix}.{key}", value[key])]
    return [(prefix, value)]


def kpi_table(summary: dict[str, Any], label: Any = 0) -> Table:
    """The KPI dictionary as rows of (run, kpi, key, value); nested keys spread over rows."""
    rows = []
    for kpi in sorted(summary):
        for name, value in _flatten(kpi, summary[kpi]):
            rows.append((label, kpi, name.partition(".")[2], value))
    return Table.build("kpis", ("run", "kpi", "key", "value"), rows)
