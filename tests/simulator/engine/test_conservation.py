"""Conservation: every claim balances at the end of a run, in its row and in the event log."""

from __future__ import annotations

from collections import defaultdict

from simulator.engine import CLAIM_COLUMNS
from simulator.eventlog import EventKind

_COL = {name: i for i, name in enumerate(CLAIM_COLUMNS)}


def _check(result) -> None:
    assert result.claims
    for row in result.claims:
        accounted = sum(
            row[_COL[name]]
            for name in (
                "paid_primary",
                "paid_secondary",
                "paid_patient",
                "adjusted",
                "written_off",
                "open_balance",
            )
        )
        assert row[_COL["billed"]] == accounted, row
        assert row[_COL["open_balance"]] >= 0 and row[_COL["open_patient_balance"]] >= 0, row
    moved = defaultdict(int)
    billed = {}
    last_balance = {}
    for event in result.events:
        if event.kind == EventKind.CLAIM_CREATED:
            billed[event.claim_id] = event.billed
        if event.claim_id:
            moved[event.claim_id] += event.paid + event.adjusted + event.written_off
            if event.kind not in (EventKind.VISIT,):
                last_balance[event.claim_id] = event.balance
    for claim_id, charge in billed.items():
        assert charge == moved[claim_id] + last_balance[claim_id], claim_id
    closed = [e for e in result.events if e.kind == EventKind.CLOSED]
    assert closed and all(e.balance == 0 for e in closed)


def test_quick_scenario_balances(quick_run):
    """billed = payers + adjustments + patient + written off + open, claim by claim (quick)."""
    _check(quick_run)


def test_default_scenario_balances(default_run):
    """The same over the whole default scenario."""
    _check(default_run)
