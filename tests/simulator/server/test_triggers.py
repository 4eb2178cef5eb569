"""Member-id triggers force outcomes, and every forced decision balances."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.models import ClaimStatus
from simulator.samples import sample_claim, sample_coverage, sample_line
from simulator.server.triggers import (
    find_trigger,
    triggered_decision,
    triggered_documentation,
    triggered_overturn,
)

RECEIVED = date(2026, 3, 2)
DECIDED = date(2026, 3, 16)


def _claim(member_id: str):
    lines = (sample_line(1, charge=15000), sample_line(2, procedure_code="85025", charge=3333))
    return sample_claim(coverage=sample_coverage(member_id=member_id), lines=lines)


@pytest.mark.parametrize(
    ("member_id", "label"),
    [
        ("PSPAID_1", "paid"),
        ("pspartial_2", "partial"),
        ("PSPEND_X", "pend"),
        ("PSDENY197_A", "deny:197"),
        ("PSDENY050_A", "deny:50"),
        ("PSINACTIVE_9", "inactive"),
    ],
)
def test_prefixes_are_recognised(member_id: str, label: str) -> None:
    trigger = find_trigger(member_id)
    assert trigger is not None and trigger.label == label


@pytest.mark.parametrize("member_id", ["M123", "PSDENY9999_1", "PSDENY_1", "XPSPAID_1", "PSDENY998_1"])
def test_no_trigger(member_id: str) -> None:
    assert find_trigger(member_id) is None


@pytest.mark.parametrize("member_id", ["PSPAID_1", "PSPARTIAL_1", "PSPEND_1", "PSDENY197_1", "PSINACTIVE_1"])
def test_forced_decisions_balance(member_id: str) -> None:
    claim = _claim(member_id)
    trigger = find_trigger(member_id)
    entry = triggered_decision(trigger, claim, "commercial_ppo", "N1", RECEIVED, DECIDED, DECIDED)
    assert entry.balances
    assert entry.billed == 18333


def test_outcomes() -> None:
    def decide(member_id):
        return triggered_decision(
            find_trigger(member_id), _claim(member_id), "p", "N1", RECEIVED, DECIDED, date(2026, 5, 1)
        )

    paid = decide("PSPAID_1")
    assert paid.status == ClaimStatus.PAID and paid.paid == paid.billed
    partial = decide("PSPARTIAL_1")
    assert partial.status == ClaimStatus.PARTLY_PAID and 0 < partial.paid < partial.billed
    assert {c for c in partial.carcs} == {"CO-45", "PR-2"}
    denied = decide("PSDENY197_1")
    assert denied.status == ClaimStatus.DENIED and denied.paid == 0 and denied.carcs == ("CO-197",)
    pended = decide("PSPEND_1")
    assert pended.status == ClaimStatus.PENDED and pended.documentation_due == date(2026, 5, 1)


def test_documentation_and_appeal_outcomes() -> None:
    claim = _claim("PSPEND_1")
    assert triggered_documentation(claim, "p", "N1", RECEIVED, DECIDED, True).paid == claim.total_charge
    assert triggered_documentation(claim, "p", "N1", RECEIVED, DECIDED, False).carcs == ("CO-50",)
    assert triggered_documentation(claim, "p", "N1", RECEIVED, DECIDED, None).carcs == ("CO-252",)
    overturned = triggered_overturn(claim, "p", "N1", RECEIVED, DECIDED)
    assert overturned.status == ClaimStatus.PAID and overturned.balances
