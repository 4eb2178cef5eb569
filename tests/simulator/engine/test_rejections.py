"""Front-end rejections: 999 and 277CA rejections go back to a biller, who corrects and resends."""

from __future__ import annotations

from simulator.engine import run_scenario
from simulator.eventlog import EventKind

from .conftest import variant


def test_rejected_claims_are_corrected_and_accepted():
    """Every 999 or 277CA rejection is followed by a correction, a resubmission and an acceptance."""
    scenario = variant(
        {
            "coding": {"defect_rates": {"missing_data": 0.6}},
            "policies": {"scrubbing": "none"},
        }
    )
    events = run_scenario(scenario).events
    rejected = {
        kind: {e.claim_id for e in events if e.kind == kind}
        for kind in (EventKind.REJECTED_999, EventKind.REJECTED_277CA)
    }
    assert rejected[EventKind.REJECTED_999] and rejected[EventKind.REJECTED_277CA]
    for kinds in rejected.values():
        for claim_id in kinds:
            after = [e.kind for e in events if e.claim_id == claim_id]
            first = after.index(
                EventKind.REJECTED_999
                if claim_id in rejected[EventKind.REJECTED_999]
                else EventKind.REJECTED_277CA
            )
            rest = after[first:]
            assert (
                EventKind.CORRECTED in rest and EventKind.RESUBMITTED in rest and EventKind.ACCEPTED in rest
            )
            assert EventKind.ADJUDICATED not in after[:first]


def test_rejections_never_reach_the_payer():
    """A rejected submission gets no adjudication for that attempt (of that payer: primary or secondary)."""
    scenario = variant({"coding": {"defect_rates": {"missing_data": 0.6}}, "policies": {"scrubbing": "none"}})
    events = run_scenario(scenario).events
    rejected = {
        (e.claim_id, e.order, e.attempt)
        for e in events
        if e.kind in (EventKind.REJECTED_999, EventKind.REJECTED_277CA)
    }
    decided = {(e.claim_id, e.order, e.attempt) for e in events if e.kind == EventKind.ADJUDICATED}
    assert rejected and all(order in (1, 2) for _, order, _ in rejected)
    assert not rejected & decided
