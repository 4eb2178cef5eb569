"""Claims rendered by a clinician not enrolled with the payer are denied CO-185, then corrected."""

from __future__ import annotations

from simulator.engine import run_scenario
from simulator.eventlog import EventKind

from .conftest import variant


def test_unenrolled_rendering_provider_is_denied_then_rebilled():
    """Only the defect's claims are denied for enrolment (category other), and billers correct them."""
    run = run_scenario(variant({"coding": {"defect_rates": {"provider_enrollment": 0.3}}}))
    defective = {
        e.claim_id
        for e in run.events
        if e.kind == EventKind.CLAIM_CREATED and e.rule == "provider_enrollment"
    }
    assert len(defective) > 20
    enrolment = [e for e in run.events if e.kind == EventKind.ADJUDICATED and e.carc in ("185", "B7")]
    assert enrolment
    assert {e.claim_id for e in enrolment} <= defective
    assert {e.category for e in enrolment} == {"other"}
    corrected = {
        e.claim_id for e in run.events if e.kind == EventKind.CORRECTED and e.rule == "provider_enrollment"
    }
    assert corrected & {e.claim_id for e in enrolment}
    paid_after = {
        e.claim_id
        for e in run.events
        if e.kind == EventKind.ADJUDICATED and e.detail == "paid" and e.claim_id in corrected
    }
    assert paid_after
