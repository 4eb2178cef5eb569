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
- ``staff``: per staff role and week, the biller work queue (time-weighted mean number of
  claims rejected, denied or pended and not yet worked), the task hours logged, and
  utilisation (logged hours over paid hours). Paid hours come from ``billers=<n>`` and
  ``hours_per_week=<h>`` in the ``run_started`` detail, else from the numbered staff seen
  (``biller:1``, ``biller:2``...) times ``paid_hours_per_week``; unknown gives ``None``.
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


def _waiting_intervals(run: Run) -> list[tuple[float, float]]:
    """(from, to) simulated times during which a claim waited for a biller."""
    since: dict[str, float] = {}
    intervals = []
    for event in run.events:
        if not event.claim_id:
            continue
        waiting: bool | None = None
        if event.kind in QUEUE_IN or (event.kind == EventKind.SCRUBBED and event.rule):
            waiting = True
        elif event.kind == EventKind.APPEAL_DECIDED:
            waiting = (event.detail.split() or [""])[0] in UPHELD
        elif event.kind in QUEUE_OUT:
            waiting = False
        if waiting and event.claim_id not in since:
            since[event.claim_id] = event.time
        elif waiting is False and event.claim_id in since:
            intervals.append((since.pop(event.claim_id), event.time))
    end = run.events[-1].time if run.events else 0.0
    intervals.extend((start, end) for start in since.values())
    return intervals


def _time_origin(run: Run) -> date | None:
    first = run.events[0] if run.events else None
    return None if first is None else first.date - timedelta(days=int(first.time))


def _mean_backlog(run: Run, weeks: list[date]) -> dict[date, float]:
    """Time-weighted mean number of claims waiting for a biller during each week of the run."""
    origin = _time_origin(run)
    totals = dict.fromkeys(weeks, 0.0)
    if origin is None or not weeks:
        return totals
    bounds = [float((w - origin).days) for w in weeks] + [float((weeks[-1] - origin).days + 7)]
    for start, stop in _waiting_intervals(run):
        index = max(0, bisect.bisect_right(bounds, start) - 1)
        while index < len(weeks) and bounds[index] < stop:
            overlap = min(stop, bounds[index + 1]) - max(start, bounds[index])
            totals[weeks[index]] += max(0.0, overlap)
            index += 1
    run_days = {w: _days_in_run(run, w) for w in weeks}
    return {w: round(totals[w] / run_days[w], 4) if run_days[w] else 0.0 for w in weeks}


def _days_in_run(run: Run, monday: date) -> int:
    if run.start is None or run.end is None:
        return 0
    first, last = max(monday, run.start), min(monday + timedelta(days=6), run.end)
    return max(0, (last - first).days + 1)


def _role(actor: str) -> str:
    return actor.split(":", 1)[0]


def _capacity(run: Run, role: str, people: set[str], paid_hours_per_week: float) -> float | None:
    """Paid hours per week of a role: from the run_started detail, else numbered staff seen."""
    count = run.info.get(f"{role}s")
    hours = run.info.get("hours_per_week") or run.info.get(f"{role}_hours_per_week")
    try:
        if count is not None:
            return int(count) * (float(hours) if hours else paid_hours_per_week)
    except ValueError:
        return None
    numbered = [p for p in people if ":" in p]
    return len(numbered) * paid_hours_per_week if numbered else None


def staff(run: Run, label: Any = 0, paid_hours_per_week: float = 40.0) -> Table:
    """Biller work queue, staff hours and utilisation per role and week (``None`` when unknown)."""
    weeks = [week_start(day) for day in snapshot_dates(run)]
    hours: dict[tuple[str, date], float] = defaultdict(float)
    people: dict[str, set[str]] = defaultdict(set)
    for event in run.events:
        role = _role(event.actor)
        if role in NON_STAFF_ACTORS or not (event.hours or event.cost):
            continue
        people[role].add(event.actor)
        hours[(role, week_start(event.date))] += event.hours
    backlog = _mean_backlog(run, weeks)
    logged = {r for (r, _), h in hours.items() if h > 0}
    rows = []
    for role in sorted(set(people) | {"biller"}):
        capacity = _capacity(run, role, people[role], paid_hours_per_week)
        for week in weeks:
            worked = round(hours.get((role, week), 0.0), 4) if role in logged else None
            capacity_week = capacity * _days_in_run(run, week) / 7 if capacity else None
            busy = round(worked / capacity_week, 4) if worked is not None and capacity_week else None
            rows.append((label, week, role, backlog[week] if role == "biller" else None, worked, busy))
    return Table.build("staff", ("run", "week", "role", "backlog", "hours", "utilisation"), rows)


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
