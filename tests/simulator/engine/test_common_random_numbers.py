"""Common random numbers: a biller policy change leaves visits, coding and payer decisions alone."""

from __future__ import annotations

from simulator.engine import run_scenario
from simulator.eventlog import EventKind

from .conftest import variant


def _by_claim(events, kind):
    found = {}
    for event in events:
        if event.kind == kind and event.claim_id not in found:
            found[event.claim_id] = event
    return found


def test_biller_policy_change_keeps_arrivals_coding_and_decisions():
    """Work order and triage differ; visits, coding draws and first decisions do not."""
    base = run_scenario(variant({}))
    other = run_scenario(
        variant(
            {
                "policies": {"work_order": "largest", "denial_triage": "correct_or_write_off"},
                "staff": {"billers": 1, "hours_per_day": 3},
            }
        )
    )
    assert [e.claim_id for e in base.events if e.kind == EventKind.VISIT] == [
        e.claim_id for e in other.events if e.kind == EventKind.VISIT
    ]
    created = [_by_claim(run.events, EventKind.CLAIM_CREATED) for run in (base, other)]
    assert {k: (e.billed, e.rule, e.draw) for k, e in created[0].items() if not k.endswith("D")} == {
        k: (e.billed, e.rule, e.draw) for k, e in created[1].items() if not k.endswith("D")
    }
    submitted = [_by_claim(run.events, EventKind.SUBMITTED) for run in (base, other)]
    decided = [_by_claim(run.events, EventKind.ADJUDICATED) for run in (base, other)]
    same_day = [k for k in submitted[0] if k in submitted[1] and submitted[0][k].date == submitted[1][k].date]
    assert len(same_day) > 100
    compared = 0
    for claim_id in same_day:
        if claim_id in decided[0] and claim_id in decided[1]:
            a, b = decided[0][claim_id], decided[1][claim_id]
            assert (a.carc, a.detail, a.allowed, a.rule) == (b.carc, b.detail, b.allowed, b.rule), claim_id
            compared += 1
    assert compared > 100
    assert base.events != other.events
