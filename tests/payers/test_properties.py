"""Property tests: for any valid claim and shipped profile, decisions balance and limits hold."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payers import Payer, PayerLedger, load_profile, profile_names
from simulator.models import ClaimStatus, GroupCode, OtherPayer
from simulator.samples import sample_claim, sample_coverage, sample_line

PAYERS = {name: Payer(load_profile(name)) for name in profile_names()}
CODES = (
    "99213",
    "99214",
    "99396",
    "36415",
    "80053",
    "85025",
    "81002",
    "93000",
    "71046",
    "20610",
    "20550",
    "11720",
    "11721",
    "97110",
    "97530",
    "97140",
    "90471",
    "90686",
    "G0438",
    "G0439",
    "J1100",
    "99999",
)
DIAGNOSES = ("E11.9", "I10", "M17.11", "B35.1", "Z00.00", "N39.0", "J20.9")
DOS = date(2026, 3, 2)
PLAN = "PLAN-1"
MEMBER = "M000000001"

line_spec = st.tuples(
    st.sampled_from(CODES),
    st.integers(0, 60000),
    st.sampled_from((1, 1, 1, 1, 1, 2, 3, 6)),
    st.sampled_from(((), ("59",), ("25",))),
    st.sampled_from((0, 0, 0, 1, 20)),
)


@st.composite
def scenarios(draw):
    """A payer, a claim, a received date and the member's accumulators before it."""
    name = draw(st.sampled_from(sorted(PAYERS)))
    specs = draw(st.lists(line_spec, min_size=1, max_size=4))
    dx = tuple(draw(st.lists(st.sampled_from(DIAGNOSES), min_size=1, max_size=3, unique=True)))
    lines = tuple(
        sample_line(
            i,
            procedure_code=code,
            charge=charge,
            units=units,
            modifiers=mods,
            service_date=DOS + timedelta(days=shift),
            diagnosis_pointers=(1 + i % len(dx),),
        )
        for i, (code, charge, units, mods, shift) in enumerate(specs, start=1)
    )
    others = ()
    if draw(st.booleans()):
        paid = draw(st.integers(0, sum(line.charge for line in lines)))
        others = (OtherPayer(payer_id="medicare", paid=paid, adjudication_date=DOS + timedelta(days=25)),)
    claim = sample_claim(
        coverage=sample_coverage(name, plan_id=PLAN, member_id=MEMBER),
        diagnoses=dx,
        lines=lines,
        other_payers=others,
    )
    plan = PAYERS[name].profile.benefits
    deductible_met = draw(st.integers(0, plan.deductible))
    cap = plan.out_of_pocket_max if plan.out_of_pocket_max is not None else 10_000_000
    oop_met = draw(st.integers(min(deductible_met, cap), cap))
    received = DOS + timedelta(days=draw(st.sampled_from((21, 30, 45, 60, 80, 100, 200, 400))))
    seed = draw(st.none() | st.integers(0, 2**32))
    return name, claim, received, (deductible_met, oop_met), seed


def _run(name, claim, received, met, seed):
    ledger = PayerLedger()
    for year in (2026, 2027):
        ledger.accumulators[(PLAN, MEMBER, year)] = list(met)
    rng = None if seed is None else random.Random(seed)
    return PAYERS[name].adjudicate(claim, received=received, ledger=ledger, rng=rng), ledger


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_every_line_and_claim_balances(scenario):
    """billed = paid + adjustments on every line and the claim; no amount is negative."""
    (decision,), _ = _run(*scenario)
    assert decision.balances
    for line in decision.lines:
        assert line.billed == line.paid + sum(a.amount for a in line.adjustments)
        assert 0 <= line.allowed <= line.billed
        assert line.paid >= 0
        assert all(a.amount >= 0 for a in line.adjustments)
        if line.status != ClaimStatus.DENIED and decision.status != ClaimStatus.PENDED:
            within = sum(
                a.amount for a in line.adjustments if a.group in (GroupCode.PATIENT, GroupCode.OTHER)
            )
            assert line.paid + within == line.allowed


@SETTINGS
@given(scenarios())
def test_patient_responsibility_is_the_pr_adjustments(scenario):
    """Patient responsibility is exactly the PR adjustments, all of them deductible, coinsurance or copay."""
    (decision,), _ = _run(*scenario)
    pr = [a for a in decision.adjustments if a.group == GroupCode.PATIENT]
    assert decision.patient_responsibility == sum(a.amount for a in pr)
    assert {a.carc for a in pr} <= {"1", "2", "3"}


@SETTINGS
@given(scenarios())
def test_accumulators_and_out_of_pocket_maximum_hold(scenario):
    """The deductible and out-of-pocket accumulators never pass their limits; the maximum caps the patient."""
    name, met = scenario[0], scenario[3]
    (decision,), ledger = _run(*scenario)
    plan = PAYERS[name].profile.benefits
    deductible, out_of_pocket = ledger.accumulator((PLAN, MEMBER, 2026))
    assert deductible <= plan.deductible
    deductible_applied = sum(
        a.amount for a in decision.adjustments if a.group == GroupCode.PATIENT and a.carc == "1"
    )
    assert deductible == met[0] + deductible_applied
    if plan.out_of_pocket_max is not None:
        assert out_of_pocket <= plan.out_of_pocket_max
        assert decision.patient_responsibility <= plan.out_of_pocket_max - met[1]


@SETTINGS
@given(scenarios())
def test_same_input_same_output(scenario):
    """Adjudicating the same claim against the same state twice gives identical decisions."""
    first, _ = _run(*scenario)
    second, _ = _run(*scenario)
    assert [e.model_dump() for e in first] == [e.model_dump() for e in second]
    if scenario[4] is None:
        assert first[0].draws == ()


@SETTINGS
@given(scenarios())
def test_void_restores_the_ledger(scenario):
    """Voiding a claim reverses it exactly and puts the accumulators back."""
    name, claim, received, met, _ = scenario
    (decision,), ledger = _run(name, claim, received, met, None)
    void = claim.model_copy(update={"frequency": "8", "payer_claim_number": decision.payer_claim_number})
    (reversal,) = PAYERS[name].adjudicate(void, received=received + timedelta(days=3), ledger=ledger)
    assert reversal.status == ClaimStatus.REVERSED
    assert reversal.paid == -decision.paid and reversal.billed == -decision.billed
    assert reversal.balances
    assert ledger.accumulator((PLAN, MEMBER, 2026)) == met
    assert not ledger.history


@SETTINGS
@given(scenarios())
def test_replacement_with_the_same_claim_matches_a_single_adjudication(scenario):
    """Replacing a claim with itself backs out and re-applies accumulators: same payment, same ledger."""
    name, claim, received, met, _ = scenario
    (once,), single = _run(name, claim, received, met, None)
    (first,), ledger = _run(name, claim, received, met, None)
    replacement = claim.model_copy(update={"frequency": "7", "payer_claim_number": first.payer_claim_number})
    reversal, again = PAYERS[name].adjudicate(replacement, received=received, ledger=ledger)
    assert reversal.reverses == first.payer_claim_number and reversal.replaced_by == again.payer_claim_number
    assert again.paid == once.paid and again.patient_responsibility == once.patient_responsibility
    assert ledger.accumulators == single.accumulators
    assert first.paid + reversal.paid + again.paid == once.paid


@SETTINGS
@given(scenarios())
def test_secondary_never_pays_more_than_remains(scenario):
    """A secondary pays at most its allowed less the prior payment, and no more than an on-time primary."""
    from payers.rules.cob import prior_paid_by_line

    name, claim, received, met, _ = scenario
    (decision,), _ = _run(name, claim, received, met, None)
    primary = claim.model_copy(update={"other_payers": ()})
    (alone,), _ = _run(name, primary, received, met, None)
    prior = prior_paid_by_line(claim)
    for line, line_alone in zip(decision.lines, alone.lines, strict=True):
        assert line.paid <= max(0, line.allowed - prior[line.line_number])
        late_as_primary = any(a.carc == "29" for a in line_alone.adjustments)
        # A secondary's filing clock starts at the prior payer's decision, so only a primary that
        # was itself on time is a fair ceiling.
        assert late_as_primary or line.paid <= line_alone.paid
        assert line.paid + prior[line.line_number] <= line.billed or line.paid == 0
