"""Patient billing, secondary claims and documentation requests, as the event log shows them."""

from __future__ import annotations

from collections import defaultdict

from simulator.engine import run_scenario
from simulator.engine.patients import pay_chance
from simulator.eventlog import EventKind
from simulator.scenario import PatientBehaviour

from .conftest import variant


def test_pay_chance_falls_with_balance_and_age():
    """Bigger and older balances are less likely to be paid."""
    behaviour = PatientBehaviour()
    assert pay_chance(behaviour, 2000, 1) > pay_chance(behaviour, 200000, 1)
    assert pay_chance(behaviour, 2000, 1) > pay_chance(behaviour, 2000, 4)


def test_statements_collections_and_fees(quick_run):
    """Statements precede payments; agency collections keep the fee as an adjustment."""
    by_claim = defaultdict(list)
    for event in quick_run.events:
        by_claim[event.claim_id].append(event)
    paid = [c for c, evs in by_claim.items() if any(e.kind == EventKind.PATIENT_PAID for e in evs)]
    assert paid
    for claim_id in paid:
        kinds = [e.kind for e in by_claim[claim_id]]
        assert kinds.index(EventKind.STATEMENT_SENT) < kinds.index(EventKind.PATIENT_PAID)
    handed = [c for c, evs in by_claim.items() if any(e.kind == EventKind.SENT_TO_COLLECTIONS for e in evs)]
    assert handed
    for event in (e for e in quick_run.events if e.kind == EventKind.COLLECTED):
        assert event.paid > 0 and event.adjusted > 0 and event.patient_balance == 0


def test_secondary_payer_is_billed_after_the_primary():
    """Members with a secondary payer get a secondary claim after the primary's remittance."""
    scenario = variant({"patients": {"secondary": {"medicare": {"profile": "medicaid", "rate": 1.0}}}})
    events = run_scenario(scenario).events
    secondary = [e for e in events if e.kind == EventKind.SECONDARY_SUBMITTED]
    assert secondary and all(e.order == 2 and e.payer == "medicaid" for e in secondary)
    first_paid = {}
    for event in events:
        if event.kind == EventKind.PAID and event.order == 1:
            first_paid.setdefault(event.claim_id, event.seq)
    assert all(first_paid[e.claim_id] < e.seq for e in secondary)
    assert any(e.kind == EventKind.PAID and e.order == 2 and e.paid > 0 for e in events)


def test_every_secondary_decision_is_in_the_log_and_pends_are_answered():
    """A secondary payer's decisions (paid, denied or pended) are all logged; its documentation
    requests get records sent, then a decision; the claims still balance."""
    audits = {"documentation": {"audit_rate": 0.5}}
    scenario = variant(
        {
            "patients": {"secondary": {"medicare": {"profile": "medicaid", "rate": 1.0}}},
            "payers": [
                {"name": n, "profile": n, "overrides": audits if n == "medicaid" else {}}
                for n in ("medicare", "medicare_advantage", "medicaid", "commercial_ppo")
            ],
            "clearinghouse": {"lost_rate": 0.0},
        }
    )
    result = run_scenario(scenario)
    second = defaultdict(list)
    for event in result.events:
        if event.order == 2:
            second[event.claim_id].append(event)
    assert second
    for claim_id, events in second.items():
        kinds = [e.kind for e in events]
        assert kinds[0] == EventKind.SECONDARY_SUBMITTED
        decisions = [e.detail.split()[0] for e in events if e.kind == EventKind.ADJUDICATED]
        assert decisions and decisions[-1] != "pended", (claim_id, kinds)
        assert (
            decisions.count("pended")
            == kinds.count(EventKind.PENDED)
            == kinds.count(EventKind.DOCUMENTATION_SENT)
        )
        for k, kind in enumerate(kinds):
            if kind == EventKind.PENDED:
                assert kinds[k + 1] == EventKind.DOCUMENTATION_SENT
    decided = {
        e.detail.split()[0] for events in second.values() for e in events if e.kind == EventKind.ADJUDICATED
    }
    assert {"paid", "pended"} <= decided
    _balances(result)


def _balances(result) -> None:
    billed = {e.claim_id: e.billed for e in result.events if e.kind == EventKind.CLAIM_CREATED}
    moved = defaultdict(int)
    for event in result.events:
        if event.claim_id:
            moved[event.claim_id] += event.paid + event.adjusted + event.written_off
    closed = {e.claim_id: e.balance for e in result.events if e.kind == EventKind.CLOSED}
    for claim_id, charge in billed.items():
        if claim_id in closed:
            assert closed[claim_id] == 0 and moved[claim_id] == charge, claim_id


def test_documentation_requests_are_answered():
    """A pended claim gets records sent and then a decision."""
    audits = {"documentation": {"audit_rate": 0.5}}
    payers = [
        {"name": n, "profile": n, "overrides": audits}
        for n in ("medicare", "medicare_advantage", "medicaid", "commercial_ppo")
    ]
    events = run_scenario(variant({"payers": payers})).events
    pended = {e.claim_id for e in events if e.kind == EventKind.PENDED}
    sent = {e.claim_id for e in events if e.kind == EventKind.DOCUMENTATION_SENT}
    assert pended and pended <= sent
