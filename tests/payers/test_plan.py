"""A payer's plan: the profile's steps that can act, in order, with the lookups prepared once."""

from __future__ import annotations

import random
from datetime import date

from payers import Payer, PayerLedger, PayerProfile, load_profile
from payers.rules import STEPS, plan
from simulator.samples import sample_claim, sample_coverage, sample_line


def _steps(planned) -> list:
    """The step functions of a plan, in order."""
    return [step for step, _ in planned]


def _variant(name: str, **parts) -> PayerProfile:
    """A shipped profile with some of its sections replaced (merged key by key)."""
    data = load_profile(name).model_dump()
    for part, values in parts.items():
        data[part] = data[part] | values
    return PayerProfile.model_validate(data)


def test_the_plan_keeps_profile_order_and_leaves_out_steps_with_nothing_to_do():
    """Medicare lists no prior authorization codes; a plan without edit tables skips their steps."""
    medicare = _steps(plan(load_profile("medicare"), Payer(load_profile("medicare")).tables)[0])
    assert STEPS["authorization"] not in medicare
    assert STEPS["bundling"] in medicare and STEPS["units"] in medicare
    no_tables = {"ptp_file": None, "mue_file": None, "policy_file": None}
    commercial = Payer(_variant("commercial_ppo", edits=no_tables))
    names = [name for name in commercial.profile.steps if STEPS[name] in _steps(commercial.steps)]
    assert names == [
        n for n in commercial.profile.steps if n not in ("bundling", "units", "medical_necessity")
    ]
    assert _steps(commercial.steps) == [STEPS[name] for name in names]


def test_a_plan_without_cost_sharing_skips_benefits_and_pays_the_allowed_amount():
    """No copay, deductible or coinsurance: benefits is left out and the patient owes nothing."""
    free = _variant("medicaid", benefits={"copays": [], "deductible": 0, "coinsurance_percent": 0})
    payer = Payer(free)
    assert STEPS["benefits"] not in _steps(payer.steps)
    claim = sample_claim(
        coverage=sample_coverage("medicaid"), lines=(sample_line(1), sample_line(2, procedure_code="99214"))
    )
    (decision,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=PayerLedger())
    assert decision.paid == decision.allowed > 0
    assert "benefits.copay" not in decision.rules_fired


def test_a_zero_error_rate_leaves_out_the_error_draw():
    """With an error rate of 0 the payer_error step is not planned and draws nothing."""
    payer = Payer(_variant("commercial_ppo", errors={"rate": 0.0}, documentation={"audit_rate": 0.0}))
    assert STEPS["payer_error"] not in _steps(payer.steps)
    (decision,) = payer.adjudicate(
        sample_claim(), received=date(2026, 3, 10), ledger=PayerLedger(), rng=random.Random(1)
    )
    assert decision.draws == ()


def test_the_first_copay_listing_a_code_wins():
    """A code named by two copays pays the first one listed, as the profile reads."""
    base = load_profile("commercial_ppo").model_dump()["benefits"]["copays"][0]
    second = base | {"amount": 9900}
    payer = Payer(_variant("commercial_ppo", benefits={"copays": [base, second]}))
    assert payer.setup["benefits"].copays["99213"].amount == base["amount"]


def test_steps_with_codes_they_act_on_are_skipped_only_when_that_changes_nothing():
    """Deciding with every step run gives the same decisions and ledger as skipping by procedure code."""
    from tests.payers.test_records import workload

    for name in ("medicare", "medicare_advantage", "commercial_ppo"):
        planned = Payer(load_profile(name))
        unplanned = Payer(load_profile(name))
        unplanned.steps = tuple((step, None) for step, _ in unplanned.steps)
        assert any(codes is not None for _, codes in planned.steps)
        ledgers = PayerLedger(), PayerLedger()
        for claim, received in workload(name, 150):
            got = [
                [
                    entry.model_dump_json()
                    for entry in payer.adjudicate(claim, received, ledger, random.Random(7))
                ]
                for payer, ledger in zip((planned, unplanned), ledgers, strict=True)
            ]
            assert got[0] == got[1]
        assert ledgers[0].to_state() == ledgers[1].to_state()
