"""Tests for reports.metrics: the weekly tables behind the figures."""

from __future__ import annotations

from datetime import date

import pytest

from reports.claims import fold
from reports.metrics import ar_aging, cash_by_week, concat, initial_denials, resolution_times, staff
from simulator.eventlog import EventKind


def test_cash_by_week_splits_payers_from_patients(build):
    """Payer cash goes under the payer type, patient and agency cash under patient."""
    build.created("C1", 0, 10000, "medicaid").paid("C1", 2, 6000, 2000, 2000)
    build.patient_paid("C1", 9, 1500).collected("C1", 10, 300, 200)
    rows = cash_by_week(fold(build.events), "r").rows
    assert rows == (("r", date(2026, 1, 5), "medicaid", 6000), ("r", date(2026, 1, 12), "patient", 1800))


def test_ar_aging_snapshots_each_week(build):
    """The open balance moves between buckets as it ages and leaves A/R when paid."""
    build.created("C1", 0, 10000).paid("C1", 40, 4000, 1000).run_ended(62)
    table = ar_aging(fold(build.events))
    open_by_week = {
        (r["week"], r["bucket"]): r["balance_cents"] for r in table.records() if r["balance_cents"]
    }
    assert open_by_week[(date(2026, 1, 11), "0-30")] == 10000
    assert open_by_week[(date(2026, 2, 8), "31-60")] == 10000
    assert open_by_week[(date(2026, 2, 15), "31-60")] == 5000
    assert open_by_week[(date(2026, 3, 8), "61-90")] == 5000
    assert len(table.distinct("week")) == 9


def test_initial_denials_and_resolution_times(build):
    """Denials are counted by payer type and category; closed claims give their resolution days."""
    build.created("C1", 0, 10000, "commercial").submitted("C1", 1)
    build.adjudicated("C1", 10, "denied", "16", "missing_invalid_data").written_off("C1", 12).closed("C1", 12)
    build.created("C2", 0, 5000).submitted("C2", 2)
    run = fold(build.events)
    assert initial_denials(run).rows == ((0, "commercial", "missing_invalid_data", 1, 10000),)
    assert resolution_times(run).rows == ((0, "commercial", "C1", 11),)


def test_staff_queue_hours_and_utilisation(build):
    """A claim waiting 3.5 of 7 days averages half a claim; hours over paid hours give utilisation."""
    log = build.__class__().run_started()
    log.events[0] = log.events[0]._replace(detail="scenario=unit seed=7 billers=2 hours_per_week=10")
    log.created("C1", 0, 10000).submitted("C1", 0).adjudicated(
        "C1", 0, "denied", "16", "missing_invalid_data"
    )
    log.work("C1", 3.5, EventKind.CORRECTED, hours=4.0)
    log.work("C1", 8, EventKind.RESUBMITTED, hours=1.0)
    log.run_ended(13)
    table = staff(fold(log.events))
    rows = {(r["week"], r["role"]): r for r in table.records()}
    first, second = rows[(date(2026, 1, 5), "biller")], rows[(date(2026, 1, 12), "biller")]
    assert first["backlog"] == 0.5
    assert (first["hours"], second["hours"]) == (4.0, 1.0)
    assert first["utilisation"] == 0.2
    assert second["backlog"] == 0.0
    assert second["utilisation"] == 0.05


def test_staff_utilisation_unknown_without_capacity(build):
    """Unnumbered staff and no capacity in the run detail: hours are kept, utilisation is None."""
    build.created("C1", 0, 10000).add(1, EventKind.STATEMENT_SENT, "C1", "biller", hours=2.0, cost=100)
    rows = staff(fold(build.events)).records()
    assert rows[0]["hours"] == 2.0
    assert rows[0]["utilisation"] is None


def test_concat_refuses_different_columns(build):
    """Tables of different shapes do not join."""
    run = fold(build.events)
    with pytest.raises(ValueError, match="differ"):
        concat([cash_by_week(run), ar_aging(run)])
