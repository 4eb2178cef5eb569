"""Table-driven adjudication cases: claim and payer state in, status, amounts and CARCs out.

Expected amounts are worked by hand from the shipped profiles and synthetic tables: a fee is
weight x $33.4009 x the profile's percent (99213 at 2.75 is $91.85 for Medicare, $128.59 at 140%).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest

from payers import Payer, PayerLedger, load_profile
from payers.profile import Eligibility, Errors
from simulator.models import (
    Adjustment,
    Appeal,
    AppealDecision,
    ClaimAdjudication,
    DocumentationResponse,
    OtherPayer,
)
from simulator.samples import sample_claim, sample_coverage, sample_line, sample_provider

DOS = date(2026, 3, 2)
RECEIVED = date(2026, 3, 10)
MEMBER = "M123456789"
PLAN = "PPO-GOLD"


def claim(payer: str = "commercial_ppo", lines=(("99213", 15000),), dx=("E11.9",), **overrides):
    """A claim to ``payer`` with (code, charge[, units[, modifiers[, pointers]]]) lines on DOS."""
    built = []
    for number, spec in enumerate(lines, start=1):
        code, charge, *rest = spec
        units = rest[0] if rest else 1
        modifiers = rest[1] if len(rest) > 1 else ()
        pointers = rest[2] if len(rest) > 2 else (1,)
        built.append(
            sample_line(
                number,
                procedure_code=code,
                charge=charge,
                units=units,
                modifiers=modifiers,
                diagnosis_pointers=pointers,
                service_date=overrides.pop("dos", DOS) if number == 1 else DOS,
            )
        )
    fields = {"coverage": sample_coverage(payer, plan_id=PLAN), "diagnoses": dx, "lines": tuple(built)}
    return sample_claim(**(fields | overrides))


def met(ledger: PayerLedger, deductible: int, out_of_pocket: int) -> None:
    """Set the member's 2026 accumulators."""
    ledger.accumulators[(PLAN, MEMBER, 2026)] = [deductible, out_of_pocket]


FULL_DEDUCTIBLE = 178700


def first(payer: Payer, ledger: PayerLedger, c) -> ClaimAdjudication:
    """Adjudicate an original and return its decision."""
    return payer.adjudicate(c, received=RECEIVED, ledger=ledger)[-1]


@dataclass
class Case:
    """One row of the table."""

    name: str
    payer: str
    claim: object = None
    received: date = RECEIVED
    setup: Callable[[Payer, PayerLedger], object] | None = None
    act: Callable[[Payer, PayerLedger, object], object] | None = None
    status: str | None = None
    paid: int | None = None
    allowed: int | None = None
    carcs: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)
    entries: int = 1
    outcome: str | None = None
    profile_update: dict | None = None
    rng: int | None = None
    check: Callable[[object, PayerLedger], None] | None = None


def _corrected(payer, ledger, state):
    return claim(frequency="7", payer_claim_number=state.payer_claim_number, lines=(("99214", 21000),))


def _pended(payer, ledger):
    ledger.add_authorization(MEMBER, "A-1", ["J1100"], date(2026, 3, 1), date(2026, 3, 31))
    return first(payer, ledger, claim(lines=(("J1100", 5000, 10),), dx=("M17.11",)))


def _documents(supports: bool, complete: bool = True, sent: date = date(2026, 4, 1)):
    def act(payer, ledger, state):
        response = DocumentationResponse(
            payer_claim_number=state.payer_claim_number,
            sent_date=sent,
            supports_service=supports,
            complete=complete,
        )
        return payer.receive_documentation(response, ledger=ledger)

    return act


def _appeal(filed: date, evidence: bool, level: int = 1, carcs=()):
    def act(payer, ledger, state):
        appeal = Appeal(
            appeal_id="AP-1",
            payer_claim_number=state.payer_claim_number,
            level=level,
            filed_date=filed,
            has_new_evidence=evidence,
            carcs_disputed=carcs,
        )
        return payer.decide_appeal(appeal, ledger=ledger)

    return act


def _prior_auth_denial(payer, ledger):
    return first(payer, ledger, claim(lines=(("20610", 20000),), dx=("M17.11",)))


def _medicare_primary(paid: int) -> OtherPayer:
    return OtherPayer(
        payer_id="medicare",
        paid=paid,
        adjudication_date=date(2026, 3, 9),
        line_adjustments=((1, (Adjustment(group="CO", carc="45", amount=15000 - paid, rule="x"),)),),
    )


CASES = [
    Case(
        "ppo office visit pays after copay",
        "commercial_ppo",
        claim(),
        status="paid",
        allowed=12859,
        paid=10359,
        carcs={"CO-45", "PR-3"},
    ),
    Case(
        "ppo deductible then coinsurance",
        "commercial_ppo",
        claim(lines=(("93000", 10000),), dx=("I10",)),
        setup=lambda p, lg: met(lg, FULL_DEDUCTIBLE - 1000, FULL_DEDUCTIBLE - 1000),
        status="paid",
        allowed=2245,
        paid=996,
        carcs={"CO-45", "PR-1", "PR-2"},
    ),
    Case(
        "ppo out-of-pocket maximum caps coinsurance",
        "commercial_ppo",
        claim(lines=(("93000", 10000),), dx=("I10",)),
        setup=lambda p, lg: met(lg, FULL_DEDUCTIBLE, 600000 - 100),
        status="paid",
        allowed=2245,
        paid=2145,
        carcs={"CO-45", "PR-2"},
        check=lambda r, lg: lg.accumulator((PLAN, MEMBER, 2026)) == (FULL_DEDUCTIBLE, 600000) or _fail(lg),
    ),
    Case(
        "medicare part b deductible and 20% coinsurance",
        "medicare",
        claim("medicare"),
        setup=lambda p, lg: met(lg, 28300 - 5000, 28300 - 5000),
        status="paid",
        allowed=9185,
        paid=3348,
        carcs={"CO-45", "PR-1", "PR-2"},
    ),
    Case(
        "medicare annual wellness visit has no cost sharing",
        "medicare",
        claim("medicare", lines=(("G0439", 20000),), dx=("Z00.00",)),
        status="paid",
        allowed=11523,
        paid=11523,
        carcs={"CO-45"},
    ),
    Case(
        "front end: category diagnosis is not billable",
        "commercial_ppo",
        claim(dx=("E11",)),
        status="denied",
        paid=0,
        carcs={"CO-16"},
        rules={"front_end.icd10"},
    ),
    Case(
        "front end: CLM02 differs from the lines",
        "commercial_ppo",
        claim(total_charge=99999),
        status="denied",
        paid=0,
        carcs={"CO-16"},
        rules={"front_end.total_charge"},
    ),
    Case(
        "front end: unknown place of service",
        "commercial_ppo",
        claim(place_of_service="98"),
        status="denied",
        carcs={"CO-16"},
        rules={"front_end.place_of_service"},
    ),
    Case(
        "front end: service after receipt",
        "commercial_ppo",
        claim(),
        received=date(2026, 3, 1),
        status="denied",
        carcs={"CO-16"},
        rules={"front_end.future_date"},
    ),
    Case(
        "duplicate of a paid claim (commercial CO-18)",
        "commercial_ppo",
        claim(claim_id="PCN0002"),
        setup=lambda p, lg: first(p, lg, claim()),
        status="denied",
        paid=0,
        carcs={"CO-18"},
        rules={"duplicate"},
    ),
    Case(
        "duplicate at medicare is OA-18 with N111",
        "medicare",
        claim("medicare", claim_id="PCN0002"),
        setup=lambda p, lg: first(p, lg, claim("medicare")),
        status="denied",
        carcs={"OA-18"},
        check=lambda r, lg: "N111" in r.lines[0].adjustments[0].rarcs or _fail(r),
    ),
    Case(
        "strict roster: not a member (CO-31)",
        "commercial_ppo",
        claim(),
        profile_update={"eligibility": Eligibility(strict_roster=True)},
        status="denied",
        carcs={"CO-31"},
        rules={"eligibility.roster"},
    ),
    Case(
        "roster says coverage ended (CO-27)",
        "commercial_ppo",
        claim(),
        setup=lambda p, lg: lg.enroll(sample_coverage(plan_id=PLAN, termination_date=date(2026, 1, 31))),
        status="denied",
        carcs={"CO-27"},
    ),
    Case(
        "off-roster claim coverage not yet effective (CO-26)",
        "commercial_ppo",
        claim(coverage=sample_coverage(plan_id=PLAN, effective_date=date(2026, 4, 1))),
        status="denied",
        carcs={"CO-26"},
    ),
    Case(
        "claim sent to the wrong payer (CO-109)",
        "commercial_ppo",
        claim(coverage=sample_coverage("medicare")),
        status="denied",
        carcs={"CO-109"},
    ),
    Case(
        "rendering provider enrolled only after the date of service (CO-B7)",
        "commercial_ppo",
        claim(rendering_provider=sample_provider(7)),
        setup=lambda p, lg: lg.enroll_provider(sample_provider(7).npi, date(2026, 4, 1)),
        status="denied",
        paid=0,
        carcs={"CO-B7"},
        rules={"provider_enrollment.not_on_date"},
    ),
    Case(
        "billing provider missing from the payer's provider roster (CO-185 N290)",
        "medicare",
        claim("medicare"),
        setup=lambda p, lg: lg.enroll_provider(sample_provider(7).npi, date(2020, 1, 1)),
        status="denied",
        carcs={"CO-185"},
        rules={"provider_enrollment.not_enrolled"},
        check=lambda r, lg: "N290" in r.lines[0].adjustments[0].rarcs or _fail(r),
    ),
    Case(
        "provider enrolled on the date of service is paid",
        "commercial_ppo",
        claim(),
        setup=lambda p, lg: lg.enroll_provider(sample_provider().npi, date(2025, 1, 1), date(2026, 12, 31)),
        status="paid",
        carcs={"CO-45", "PR-3"},
    ),
    Case(
        "ppo timely filing past 90 days (CO-29)",
        "commercial_ppo",
        claim(),
        received=date(2026, 6, 15),
        status="denied",
        paid=0,
        carcs={"CO-29"},
    ),
    Case(
        "secondary claim's filing clock starts at the primary's decision",
        "commercial_ppo",
        claim(other_payers=(_medicare_primary(7348),)),
        received=date(2026, 6, 5),
        status="paid",
        paid=12859 - 7348,
        carcs={"CO-45", "OA-23"},
    ),
    Case(
        "medicare timely filing past 12 months (CO-29 N211)",
        "medicare",
        claim("medicare"),
        received=date(2027, 3, 10),
        status="denied",
        carcs={"CO-29"},
        check=lambda r, lg: r.lines[0].rarcs == ("N211",) or _fail(r),
    ),
    Case(
        "prior authorization missing (CO-197)",
        "commercial_ppo",
        claim(lines=(("20610", 20000),), dx=("M17.11",)),
        status="denied",
        carcs={"CO-197"},
        rules={"authorization.prior_auth"},
    ),
    Case(
        "prior authorization on file pays",
        "commercial_ppo",
        claim(lines=(("20610", 20000),), dx=("M17.11",)),
        setup=lambda p, lg: lg.add_authorization(
            MEMBER, "A-9", ["20610"], date(2026, 3, 1), date(2026, 3, 31)
        ),
        status="paid",
        allowed=8978,
        paid=0,
        carcs={"CO-45", "PR-1"},
    ),
    Case(
        "medicare advantage referral missing (CO-288)",
        "medicare_advantage",
        claim("medicare_advantage", lines=(("11721", 9000),), dx=("B35.1",)),
        status="denied",
        carcs={"CO-288"},
    ),
    Case(
        "medicare excludes routine physicals (CO-96)",
        "medicare",
        claim("medicare", lines=(("99396", 20000),), dx=("Z00.00",)),
        status="denied",
        carcs={"CO-96"},
    ),
    Case(
        "ppo plan excludes routine foot care (CO-204)",
        "commercial_ppo",
        claim(lines=(("11721", 9000),), dx=("B35.1",)),
        status="denied",
        carcs={"CO-204"},
    ),
    Case(
        "bundling indicator 0 (CO-97)",
        "medicare",
        claim("medicare", lines=(("11721", 9000), ("11720", 6000)), dx=("B35.1",)),
        setup=lambda p, lg: met(lg, 28300, 28300),
        status="partly_paid",
        allowed=3173,
        paid=2538,
        carcs={"CO-45", "PR-2", "CO-97"},
    ),
    Case(
        "bundling indicator 1 without modifier (CO-236)",
        "medicare",
        claim("medicare", lines=(("97530", 12000, 2), ("97110", 9000, 2)), dx=("M17.11",)),
        setup=lambda p, lg: met(lg, 28300, 28300),
        status="partly_paid",
        allowed=6346,
        carcs={"CO-45", "PR-2", "CO-236"},
    ),
    Case(
        "bundling indicator 1 with modifier 59 pays both",
        "medicare",
        claim("medicare", lines=(("97530", 12000, 2), ("97110", 9000, 2, ("59",))), dx=("M17.11",)),
        setup=lambda p, lg: met(lg, 28300, 28300),
        status="paid",
        allowed=6346 + 5812,
        carcs={"CO-45", "PR-2"},
    ),
    Case(
        "bundling indicator 9 does not apply",
        "medicare",
        claim("medicare", lines=(("80053", 6500), ("85025", 3000)), dx=("E11.9",)),
        status="paid",
        carcs={"CO-45", "PR-1"},
    ),
    Case(
        "units: MUE indicator 1 denies the line at medicare (CO-151)",
        "medicare",
        claim("medicare", lines=(("20610", 40000, 2),), dx=("M17.11",)),
        status="denied",
        carcs={"CO-151"},
        check=lambda r, lg: "N362" in r.lines[0].rarcs or _fail(r),
    ),
    Case(
        "units: MUE per day across lines at medicare",
        "medicare",
        claim("medicare", lines=(("99213", 15000), ("99213", 15000, 1, ("25",)))),
        status="partly_paid",
        carcs={"CO-45", "PR-1", "CO-151"},
    ),
    Case(
        "units: ppo cuts units over the MUE",
        "commercial_ppo",
        claim(lines=(("93000", 40000, 4),), dx=("I10",)),
        setup=lambda p, lg: met(lg, FULL_DEDUCTIBLE, FULL_DEDUCTIBLE),
        status="partly_paid",
        allowed=6735,
        paid=5388,
        carcs={"CO-151", "CO-45", "PR-2"},
        check=lambda r, lg: r.lines[0].units_paid == 3 or _fail(r),
    ),
    Case(
        "medical necessity: diagnosis does not support (CO-50)",
        "medicare",
        claim("medicare", lines=(("93000", 10000),), dx=("E11.9",)),
        status="denied",
        carcs={"CO-50"},
    ),
    Case(
        "medical necessity: diagnosis inconsistent (CO-11)",
        "commercial_ppo",
        claim(lines=(("81002", 3000),), dx=("E11.9",)),
        status="denied",
        carcs={"CO-11"},
    ),
    Case(
        "secondary pays the lesser of its benefit and what remains (OA-23)",
        "commercial_ppo",
        claim(other_payers=(_medicare_primary(7348),)),
        status="paid",
        allowed=12859,
        paid=12859 - 7348,
        carcs={"CO-45", "OA-23"},
        check=lambda r, lg: (r.patient_responsibility == 0 and r.coordination_order == 2) or _fail(r),
    ),
    Case(
        "secondary pays nothing when the primary paid more than its allowed",
        "medicare",
        claim("medicare", other_payers=(_medicare_primary(13000),)),
        status="paid",
        allowed=9185,
        paid=0,
        carcs={"CO-45", "OA-23"},
    ),
    Case(
        "corrected claim reverses then re-adjudicates",
        "commercial_ppo",
        None,
        setup=lambda p, lg: first(p, lg, claim()),
        act=lambda p, lg, s: p.adjudicate(_corrected(p, lg, s), received=date(2026, 3, 20), ledger=lg),
        entries=2,
        status="paid",
        allowed=18237,
        paid=15737,
        carcs={"CO-45", "PR-3"},
        check=lambda r, lg: lg.accumulator((PLAN, MEMBER, 2026)) == (0, 2500) or _fail(lg),
    ),
    Case(
        "correction backs accumulators out and re-applies them",
        "commercial_ppo",
        None,
        setup=lambda p, lg: first(p, lg, claim(lines=(("36415", 2500),))),
        act=lambda p, lg, s: p.adjudicate(
            claim(frequency="7", payer_claim_number=s.payer_claim_number, lines=(("80053", 6500),)),
            received=date(2026, 3, 20),
            ledger=lg,
        ),
        entries=2,
        status="paid",
        allowed=1964,
        paid=0,
        carcs={"CO-45", "PR-1"},
        check=lambda r, lg: lg.accumulator((PLAN, MEMBER, 2026)) == (1964, 1964) or _fail(lg),
    ),
    Case(
        "void reverses the original only",
        "commercial_ppo",
        None,
        setup=lambda p, lg: first(p, lg, claim()),
        act=lambda p, lg, s: p.adjudicate(
            claim(frequency="8", payer_claim_number=s.payer_claim_number),
            received=date(2026, 3, 20),
            ledger=lg,
        ),
        entries=1,
        status="reversed",
        paid=-10359,
        carcs={"CO-45", "PR-3"},
        check=lambda r, lg: lg.accumulator((PLAN, MEMBER, 2026)) == (0, 0) or _fail(lg),
    ),
    Case(
        "correction of an unknown payer claim number (CO-129)",
        "commercial_ppo",
        claim(frequency="7", payer_claim_number="PPO-UNKNOWN"),
        status="denied",
        paid=0,
        carcs={"CO-129"},
    ),
    Case(
        "documentation requested pends the claim (252 N704)",
        "commercial_ppo",
        None,
        setup=_pended,
        act=lambda p, lg, s: [s],
        status="pended",
        paid=0,
        carcs={"CO-252"},
        check=lambda r, lg: r.documentation_due == date(2026, 5, 1) or _fail(r),
    ),
    Case(
        "documentation supports the service: paid per the rules",
        "commercial_ppo",
        None,
        setup=_pended,
        act=_documents(True),
        status="paid",
        allowed=940,
        paid=0,
        carcs={"CO-45", "PR-1"},
    ),
    Case(
        "documentation does not support the service (CO-50)",
        "commercial_ppo",
        None,
        setup=_pended,
        act=_documents(False),
        status="denied",
        carcs={"CO-50"},
    ),
    Case(
        "documentation incomplete (CO-226 N705)",
        "commercial_ppo",
        None,
        setup=_pended,
        act=_documents(True, complete=False),
        status="denied",
        carcs={"CO-226"},
    ),
    Case(
        "no documentation before the due date (CO-226 N706)",
        "commercial_ppo",
        None,
        setup=_pended,
        act=lambda p, lg, s: p.expire_documentation(date(2026, 6, 1), lg),
        status="denied",
        carcs={"CO-226"},
        rules={"documentation.missing"},
    ),
    Case(
        "appeal in time with new evidence is overturned and pays",
        "commercial_ppo",
        None,
        setup=_prior_auth_denial,
        act=_appeal(date(2026, 4, 1), evidence=True),
        outcome="overturned",
        status="paid",
        allowed=8978,
        carcs={"CO-45", "PR-1"},
    ),
    Case(
        "appeal after the deadline is refused",
        "commercial_ppo",
        None,
        setup=_prior_auth_denial,
        act=_appeal(date(2026, 12, 1), evidence=True),
        outcome="refused_late",
    ),
    Case(
        "appeal without new evidence is upheld (no stream)",
        "commercial_ppo",
        None,
        setup=_prior_auth_denial,
        act=_appeal(date(2026, 4, 1), evidence=False),
        outcome="upheld",
        check=lambda r, lg: r.next_level_deadline == date(2026, 9, 28) or _fail(r),
    ),
    Case(
        "second-level appeal with no first-level decision is refused, not raised",
        "commercial_ppo",
        None,
        setup=_prior_auth_denial,
        act=_appeal(date(2026, 4, 1), evidence=True, level=2),
        outcome="refused_not_appealable",
        check=lambda r, lg: (r.rule == "appeals.no_earlier_level" and r.adjudication is None) or _fail(r),
    ),
    Case(
        "medicare timely filing denial is not appealable",
        "medicare",
        None,
        setup=lambda p, lg: p.adjudicate(claim("medicare"), received=date(2027, 3, 10), ledger=lg)[-1],
        act=_appeal(date(2027, 4, 1), evidence=True),
        outcome="refused_not_appealable",
    ),
    Case(
        "payer error fires from the stream and is recorded",
        "commercial_ppo",
        claim(),
        profile_update={"errors": Errors(rate=1.0, source="test")},
        rng=7,
        status="denied",
        carcs={"CO-16"},
        rules={"payer_error"},
        check=lambda r, lg: [d.rule for d in r.draws] == ["documentation.audit", "payer_error"] or _fail(r),
    ),
    Case(
        "payer error never fires without a stream",
        "commercial_ppo",
        claim(),
        profile_update={"errors": Errors(rate=1.0, source="test")},
        status="paid",
        paid=10359,
        carcs={"CO-45", "PR-3"},
    ),
]


def _fail(what) -> bool:
    raise AssertionError(f"check failed on {what!r}")


def _payer(case: Case) -> Payer:
    profile = load_profile(case.payer)
    if case.profile_update:
        profile = profile.model_copy(update=case.profile_update)
    return Payer(profile)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case) -> None:
    """The claim and payer state give the expected status, amounts, group codes and CARCs."""
    payer = _payer(case)
    ledger = PayerLedger()
    state = case.setup(payer, ledger) if case.setup else None
    rng = random.Random(case.rng) if case.rng is not None else None
    if case.act is not None:
        result = case.act(payer, ledger, state)
    else:
        result = payer.adjudicate(case.claim, received=case.received, ledger=ledger, rng=rng)
    if isinstance(result, AppealDecision):
        assert result.outcome.value == case.outcome, result.reason
        decision = result.adjudication
    else:
        assert len(result) == case.entries
        assert all(entry.balances for entry in result)
        decision = result[-1]
    if case.status is not None:
        assert decision is not None
        assert decision.status.value == case.status, decision.rules_fired
        assert decision.balances
        assert set(decision.carcs) == case.carcs
        assert case.rules <= set(decision.rules_fired)
        if case.paid is not None:
            assert decision.paid == case.paid
        if case.allowed is not None:
            assert decision.allowed == case.allowed
    if case.check is not None:
        case.check(result if isinstance(result, AppealDecision) else decision, ledger)


def test_a_refused_level_skip_does_not_open_the_next_level():
    """A level 2 refused for want of level 1 is not a level 2 decision: level 3 is refused the same way."""
    payer = Payer(load_profile("medicare_advantage"))
    ledger = PayerLedger()
    denied = _prior_auth_denial(payer, ledger)
    decisions = [
        _appeal(date(2026, 4, 1), evidence=True, level=level)(payer, ledger, denied) for level in (2, 3)
    ]
    assert [d.rule for d in decisions] == ["appeals.no_earlier_level"] * 2
    assert denied.payer_claim_number not in ledger.appeals


def test_there_are_at_least_25_cases():
    """The table covers every step and the life-cycle paths."""
    assert len(CASES) >= 25
