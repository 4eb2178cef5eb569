"""Payer timing: decision lag, payment runs and floor, appeal deadlines; stochastic draws recorded."""

from __future__ import annotations

import random
from datetime import date

import pytest

from payers import Payer, PayerError, PayerLedger, load_profile
from payers.profile import Documentation
from simulator.models import Appeal, ClaimStatus
from simulator.samples import sample_claim, sample_coverage, sample_line


def test_decision_date_is_the_median_without_a_stream_and_bounded_with_one():
    """No stream: received + median days. With one: a spread of dates inside the profile's bounds."""
    payer = Payer(load_profile("medicare"))
    assert payer.decision_date(date(2026, 3, 2), None) == date(2026, 3, 16)
    rng = random.Random(1)
    lags = {(payer.decision_date(date(2026, 3, 2), rng) - date(2026, 3, 2)).days for _ in range(300)}
    lag = payer.profile.adjudication_lag
    assert len(lags) > 5 and min(lags) >= lag.min_days and max(lags) <= lag.max_days


def test_medicare_payment_waits_for_the_floor_then_the_next_weekday():
    """Medicare pays no earlier than day 14 after receipt, on a weekday."""
    payer = Payer(load_profile("medicare"))
    assert payer.payment_date(date(2026, 3, 5), received=date(2026, 3, 2)) == date(2026, 3, 16)
    assert payer.payment_date(date(2026, 3, 5), received=date(2026, 3, 7)) == date(2026, 3, 23)


def test_commercial_payment_runs_weekly_on_thursday():
    """The PPO pays on the first Thursday on or after the decision."""
    payer = Payer(load_profile("commercial_ppo"))
    assert payer.payment_date(date(2026, 3, 10), received=date(2026, 3, 3)) == date(2026, 3, 12)
    assert payer.payment_date(date(2026, 3, 12), received=date(2026, 3, 3)) == date(2026, 3, 12)


def test_appeal_deadlines_follow_the_levels():
    """Level 1 counts from the decision; level 2 from the level 1 decision, which must exist."""
    payer = Payer(load_profile("medicare"))
    ledger = PayerLedger()
    claim = sample_claim(coverage=sample_coverage("medicare"))
    (decision,) = payer.adjudicate(
        claim, received=date(2027, 3, 10), ledger=ledger, decided=date(2027, 3, 24)
    )
    number = decision.payer_claim_number
    assert payer.appeal_deadline(number, 1, ledger) == date(2027, 7, 22)
    with pytest.raises(PayerError, match="no level 1 appeal decision"):
        payer.appeal_deadline(number, 2, ledger)
    with pytest.raises(PayerError, match="levels 1 to 4"):
        payer.appeal_deadline(number, 9, ledger)
    with pytest.raises(PayerError, match="has no claim"):
        payer.appeal_deadline("MCR-NOPE", 1, ledger)


def test_claim_numbers_are_deterministic():
    """Payer claim numbers are prefix, received date and the ledger's counter."""
    payer = Payer(load_profile("commercial_ppo"))
    ledger = PayerLedger()
    numbers = [
        payer.adjudicate(sample_claim(claim_id=f"C{i}"), received=date(2026, 3, 10), ledger=ledger)[
            0
        ].payer_claim_number
        for i in range(2)
    ]
    assert numbers == ["PPO20260310000001", "PPO20260310000002"]


def test_random_audit_pends_and_records_its_draw():
    """An audit rate of 1 pends every claim drawn from a stream, and the draw is on the decision."""
    profile = load_profile("commercial_ppo")
    audit = Documentation(audit_rate=1.0, due_days=30, source="test")
    payer = Payer(profile.model_copy(update={"documentation": audit}))
    (pended,) = payer.adjudicate(
        sample_claim(), received=date(2026, 3, 10), ledger=PayerLedger(), rng=random.Random(3)
    )
    assert pended.status == ClaimStatus.PENDED
    assert "documentation.audit" in pended.rules_fired
    assert [(d.stream, d.rule) for d in pended.draws] == [("payer_decisions", "documentation.audit")]
    (quiet,) = payer.adjudicate(sample_claim(), received=date(2026, 3, 10), ledger=PayerLedger())
    assert quiet.status == ClaimStatus.PAID and quiet.draws == ()


def test_appeal_overturn_draw_comes_from_the_stream():
    """With a stream the overturn is a recorded draw against the level's rate, same seed same outcome."""
    payer = Payer(load_profile("commercial_ppo"))
    outcomes = []
    for seed in range(40):
        ledger = PayerLedger()
        (denied,) = payer.adjudicate(sample_claim(), received=date(2026, 8, 1), ledger=ledger)
        assert denied.carcs == ("CO-29",)
        appeal = Appeal(
            appeal_id="A", payer_claim_number=denied.payer_claim_number, filed_date=date(2026, 9, 1)
        )
        decision = payer.decide_appeal(appeal, ledger=ledger, rng=random.Random(seed))
        assert decision.draws[0].rule == "appeals.overturn"
        assert (decision.draws[0].value < 0.543) == (decision.outcome.value == "overturned")
        outcomes.append(decision.outcome.value)
    assert {"overturned", "upheld"} == set(outcomes)


def test_overturn_of_a_partly_paid_claim_reverses_the_earlier_payment():
    """When an overturned decision had paid something, the appeal decision carries its reversal."""
    payer = Payer(load_profile("commercial_ppo"))
    ledger = PayerLedger()
    lines = (sample_line(1), sample_line(2, procedure_code="20610", charge=20000, diagnosis_pointers=(2,)))
    claim = sample_claim(diagnoses=("E11.9", "M17.11"), lines=lines)
    (first,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=ledger)
    assert first.status == ClaimStatus.PARTLY_PAID and first.paid == 10359
    appeal = Appeal(
        appeal_id="A",
        payer_claim_number=first.payer_claim_number,
        filed_date=date(2026, 4, 1),
        has_new_evidence=True,
    )
    decision = payer.decide_appeal(appeal, ledger=ledger)
    assert decision.outcome.value == "overturned"
    assert decision.reversal is not None and decision.reversal.paid == -10359
    assert decision.adjudication.status == ClaimStatus.PAID
    assert decision.adjudication.payer_claim_number != first.payer_claim_number
    assert decision.adjudication.paid == 10359  # the injection line goes to the deductible
    assert ledger.accumulator(("PPO-GOLD", "M123456789", 2026)) == (8978, 8978 + 2500)


class _Fixed(random.Random):
    """A stream whose every uniform draw is the same value."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def test_overturn_rate_by_denial_category():
    """Medicare Advantage overturns prior-authorization denials at 75% (OIG), others at 52.7%."""
    from simulator.samples import sample_line

    payer = Payer(load_profile("medicare_advantage"))
    outcomes = {}
    for name, code, dx in (("auth", "71046", "J20.9"), ("necessity", "93000", "E11.9")):
        ledger = PayerLedger()
        ledger.add_authorization("M123456789", "X", ["93000"], date(2026, 1, 1), date(2026, 12, 31))
        claim = sample_claim(
            coverage=sample_coverage("medicare_advantage"),
            diagnoses=(dx,),
            lines=(sample_line(1, procedure_code=code, charge=10000),),
        )
        (denied,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=ledger)
        appeal = Appeal(
            appeal_id="A", payer_claim_number=denied.payer_claim_number, filed_date=date(2026, 4, 1)
        )
        outcomes[name] = (
            denied.carcs,
            payer.decide_appeal(appeal, ledger=ledger, rng=_Fixed(0.6)).outcome.value,
        )
    assert outcomes == {"auth": (("CO-197",), "overturned"), "necessity": (("CO-50",), "upheld")}


def test_medicare_alj_needs_the_amount_in_controversy():
    """A level 3 (ALJ) Medicare appeal under $200 in dispute is refused; over $200 it is heard."""
    from simulator.samples import sample_line

    payer = Payer(load_profile("medicare"))
    results = {}
    for charge in (15000, 30000):
        ledger = PayerLedger()
        claim = sample_claim(
            coverage=sample_coverage("medicare"),
            diagnoses=("E11.9",),
            lines=(sample_line(1, procedure_code="93000", charge=charge),),
        )
        (denied,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=ledger)
        assert denied.carcs == ("CO-50",)
        filed = date(2026, 4, 1)
        for level in (1, 2, 3):
            appeal = Appeal(
                appeal_id=f"A{level}",
                payer_claim_number=denied.payer_claim_number,
                level=level,
                filed_date=filed,
            )
            decision = payer.decide_appeal(appeal, ledger=ledger)
            filed = decision.decided_date + (date(2026, 1, 11) - date(2026, 1, 1))
        results[charge] = (decision.outcome.value, decision.rule)
    assert results == {
        15000: ("refused_not_appealable", "appeals.amount_in_controversy"),
        30000: ("upheld", "appeals.upheld"),
    }


def test_overturn_of_a_denied_claim_reverses_the_reported_denial():
    """An overturned decision that paid nothing is still reversed before the new decision."""
    payer = Payer(load_profile("commercial_ppo"))
    ledger = PayerLedger()
    claim = sample_claim(lines=(sample_line(1, procedure_code="20610", charge=20000),), diagnoses=("M17.11",))
    (first,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=ledger)
    assert first.status == ClaimStatus.DENIED and first.paid == 0
    appeal = Appeal(
        appeal_id="A",
        payer_claim_number=first.payer_claim_number,
        filed_date=date(2026, 4, 1),
        has_new_evidence=True,
    )
    decision = payer.decide_appeal(appeal, ledger=ledger)
    assert decision.outcome.value == "overturned"
    reversal = decision.reversal
    assert reversal is not None and reversal.status == ClaimStatus.REVERSED
    assert reversal.reverses == first.payer_claim_number
    assert reversal.replaced_by == decision.adjudication.payer_claim_number
    assert reversal.paid == 0 and reversal.billed == -first.billed and reversal.balances
    assert sorted(a.amount for a in reversal.lines[0].adjustments) == sorted(
        -a.amount for a in first.lines[0].adjustments
    )


def _paid_medicare_entry(payer: Payer):
    """A paid Medicare decision: visits of one member until the deductible is met."""
    ledger = PayerLedger()
    for number in range(1, 10):
        line = sample_line(1, charge=20000, service_date=date(2026, 3, number))
        claim = sample_claim(claim_id=f"PCN{number}", coverage=sample_coverage("medicare"), lines=(line,))
        (entry,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=ledger)
        if entry.paid > 0:
            return entry
    raise AssertionError("nine visits never met the deductible")


def test_prompt_pay_interest_runs_from_the_day_after_the_window():
    """Medicare owes simple interest per day paid after day 30, rounded half up; none before."""
    payer = Payer(load_profile("medicare"))
    entry = _paid_medicare_entry(payer)
    assert payer.interest_due(entry, date(2026, 4, 9)) == 0  # day 30
    days = (date(2026, 4, 24) - date(2026, 3, 10)).days - 30
    expected = (entry.paid * 4625 * days + 18_250_000) // 36_500_000
    assert days == 15 and payer.interest_due(entry, date(2026, 4, 24)) == expected > 0
    assert payer.interest_due(entry, date(2026, 4, 24), clean=False) == 0


def test_no_interest_without_prompt_pay_terms_or_payment():
    """A profile without prompt_pay owes none; neither does a claim with nothing paid."""
    medicare = Payer(load_profile("medicare"))
    entry = _paid_medicare_entry(medicare)
    assert Payer(load_profile("commercial_ppo")).interest_due(entry, date(2026, 9, 1)) == 0
    unpaid = entry.model_copy(update={"paid": 0})
    assert medicare.interest_due(unpaid, date(2026, 9, 1)) == 0
