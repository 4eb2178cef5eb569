"""Dated payer overrides: a payer that tightens prior authorization denies only from that date."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.engine import run_scenario
from simulator.engine.payerdesk import PayerDesk, merge
from simulator.errors import UserError
from simulator.eventlog import EventKind
from simulator.scenario import PayerSpec

from .conftest import variant

CHANGE = date(2026, 2, 2)


def test_merge_is_nested():
    """Overrides replace leaves and keep sibling keys."""
    assert merge({"a": {"b": 1, "c": 2}, "d": 3}, {"a": {"b": 9}}) == {"a": {"b": 9, "c": 2}, "d": 3}


def test_prior_auth_denials_start_on_the_change_date():
    """99213 needs an authorization from the change on; the office does not know to get one."""
    spec = {
        "name": "commercial_ppo",
        "profile": "commercial_ppo",
        "changes": [
            {"effective": CHANGE.isoformat(), "overrides": {"authorization": {"prior_auth_codes": ["99213"]}}}
        ],
    }
    scenario = variant(
        {
            "patients": {"payer_mix": {"commercial_ppo": 1.0}, "secondary": {}},
            "coding": {"defect_rates": {}},
            "payers": [spec],
        }
    )
    events = run_scenario(scenario).events
    received = {e.claim_id: e.date for e in events if e.kind == EventKind.SUBMITTED}
    first = {}
    for event in events:
        if event.kind == EventKind.ADJUDICATED and event.claim_id not in first:
            first[event.claim_id] = event
    auth = [e for e in first.values() if e.carc == "197"]
    assert auth, "no prior-authorization denials after the change"
    assert all(received[e.claim_id] >= CHANGE for e in auth)
    before = [e for e in first.values() if received[e.claim_id] < CHANGE]
    assert before and not [e for e in before if e.carc == "197"]


def test_bad_override_names_the_payer_and_field():
    """An override the profile refuses is reported under the payer's name."""
    spec = PayerSpec(name="medicare", profile="medicare", overrides={"timely_filing": {"days": -5}})
    with pytest.raises(UserError, match=r"payers\.medicare\.overrides"):
        PayerDesk(spec)
