"""Deadlines bite: late claims are denied for timely filing and late appeals are refused."""

from __future__ import annotations

from simulator.engine import run_scenario
from simulator.eventlog import EventKind

from .conftest import variant


def test_claims_filed_late_are_denied_and_written_off():
    """Charts finished after the 90-day limit get CO-29 and a timely_filing write-off."""
    scenario = variant(
        {
            "patients": {"payer_mix": {"commercial_ppo": 1.0}, "secondary": {}},
            "coding": {"defect_rates": {}, "late_chart_rate": 1.0, "late_chart_days": [100, 120]},
        }
    )
    events = run_scenario(scenario).events
    late = [e for e in events if e.kind == EventKind.DENIED and e.carc == "29"]
    assert late and all(e.category == "timely_filing" for e in late)
    written = {e.claim_id for e in events if e.kind == EventKind.WRITTEN_OFF and e.rule == "timely_filing"}
    assert {e.claim_id for e in late} <= written
    assert not [e for e in events if e.kind == EventKind.APPEALED and e.carc == "29"]


def test_on_time_claims_are_not_denied_for_filing():
    """The same scenario with prompt charting has no timely-filing denials."""
    scenario = variant(
        {
            "patients": {"payer_mix": {"commercial_ppo": 1.0}, "secondary": {}},
            "coding": {"defect_rates": {}, "late_chart_rate": 0.0},
        }
    )
    events = run_scenario(scenario).events
    assert not [e for e in events if e.kind == EventKind.DENIED and e.carc == "29"]


def test_appeals_filed_after_the_window_are_refused():
    """With a one-day appeal window and appeals that take days to write, the payer refuses them."""
    one_day = {
        "appeals": {
            "levels": [
                {
                    "name": "first",
                    "deadline_days": 1,
                    "decision_days": 30,
                    "overturn_rate": 0.5,
                    "source": "test",
                }
            ]
        }
    }
    scenario = variant(
        {
            "patients": {"payer_mix": {"commercial_ppo": 1.0}, "secondary": {}},
            "coding": {"defect_rates": {"not_covered": 0.2}},
            "staff": {"billers": 1, "minutes": {"appeal": 900}},
            "payers": [{"name": "commercial_ppo", "profile": "commercial_ppo", "overrides": one_day}],
            "policies": {"denial_triage": {"name": "expected_value", "params": {"margin": 0.0}}},
        }
    )
    events = run_scenario(scenario).events
    refused = [e for e in events if e.kind == EventKind.APPEAL_DECIDED and e.detail == "refused_late"]
    assert refused and all(e.rule == "appeals.deadline" for e in refused)
    written = {
        e.claim_id for e in events if e.kind == EventKind.WRITTEN_OFF and e.rule == "appeal_refused_late"
    }
    assert {e.claim_id for e in refused} <= written
