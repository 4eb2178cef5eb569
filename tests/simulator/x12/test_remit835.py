"""835 writer and reader: pyx12 accepts what we write, it balances, and it reads back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.models import Adjustment, ClaimStatus, GroupCode, LineAdjudication
from simulator.money import split_by_weights
from simulator.samples import sample_line
from simulator.x12.balance import check_835
from simulator.x12.envelope import ControlNumbers, Party
from simulator.x12.remit835 import Remit835Error, cas_segments, read_835, write_835
from simulator.x12.remittance import (
    Payer,
    Payment,
    PaymentNumbers,
    ProviderAdjustment,
    build_payments,
    forwarded_balances,
)
from simulator.x12.segments import render_segment
from tests.simulator.x12 import remit_fixtures as fx
from tests.simulator.x12.pyx12_harness import validate

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}"
)
WHEN = datetime(2026, 3, 16, 9, 30)


def _payments(decisions, start: int = 1) -> list[Payment]:
    return build_payments(
        fx.remit(decisions), payer=fx.PAYER, payment_date=fx.DECIDED, numbers=PaymentNumbers(start)
    )


def _write(payments: list[Payment]) -> str:
    return write_835(
        payments, sender=Party("60054"), receiver=Party("CLINIC01"), when=WHEN, numbers=ControlNumbers()
    )


CASES = {
    "paid": [fx.paid()],
    "partly_paid": [fx.partly_paid()],
    "denied": [fx.denied()],
    "many_reasons": [fx.many_reasons()],
    "reversal_and_correction": fx.reversal_and_correction(),
    "reversal_bigger_than_correction": fx.reversal_and_correction(smaller=True),
    "secondary": [fx.secondary()],
    "interest": [fx.with_interest()],
    "spread": fx.spread(),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_written_835_is_accepted_by_pyx12_and_balances(case: str) -> None:
    """Every kind of adjudication gives an 835 that pyx12 accepts and that balances."""
    text = _write(_payments(CASES[case]))
    result = validate(text)
    assert result.ok, result.describe()
    assert check_835(text) is None


def test_claim_status_codes_and_reversal_numbers() -> None:
    """CLP02 is 1, 2, 4 or 22 as decided; a reversal names the claim it reverses in CLP07."""
    text = _write(_payments([fx.paid(), fx.secondary(), fx.denied(), *fx.reversal_and_correction()]))
    clps = [s.split("*") for s in text.split("~") if s.startswith("CLP*")]
    assert [c[2] for c in clps] == ["1", "2", "4", "22", "1"]
    assert clps[3][7] == "26070000010"
    assert clps[3][3] == "-180" and clps[3][4] == "-70"
    assert clps[4][9] == "7"
    assert "REF*F8*26070000010~" in text


def test_cas_splits_after_six_reasons_and_keeps_groups_apart() -> None:
    """Eight reasons of one group make two CAS segments of six and two; groups never mix."""
    line = fx.many_reasons().lines[0]
    segments = [render_segment(s) for s in cas_segments(line.adjustments)]
    assert segments == ["CAS*PR*1*1**2*1**3*1**66*1**122*1**187*1~", "CAS*PR*201*1**241*1~"]
    mixed = [render_segment(s) for s in cas_segments(fx.paid().lines[0].adjustments)]
    assert mixed == ["CAS*CO*45*50~", "CAS*PR*2*40~"]


def test_interest_is_a_negative_plb_l6_that_adds_to_the_payment() -> None:
    """Claim interest is reported as PLB*L6 with a negative amount; BPR02 includes it."""
    (payment,) = _payments([fx.with_interest()])
    assert payment.provider_adjustments == (
        ProviderAdjustment(reason="L6", reference="26075000030", amount=-237),
    )
    assert payment.amount == 7000 + 237
    text = _write([payment])
    assert "PLB*1000000012*20261231*L6:26075000030*-2.37~" in text
    assert "BPR*I*72.37*C*CHK" in text


def test_claim_interest_is_reported_in_amt_i_beside_its_plb_l6() -> None:
    """Interest paid on a claim is stated on the claim (2100 AMT*I, required when non-zero), while
    the money moves in PLB L6; a reversal negates it. The reader takes the claim's interest from AMT*I."""
    original = fx.with_interest()
    reversal = fx.negate(original, "26075000031")
    text = _write(_payments([original, reversal]))
    first, second = text.split("CLP*")[1:]
    assert "AMT*I*2.37~" in first and "AMT*I*-2.37~" in second
    assert validate(text).ok and check_835(text) is None
    (read,) = read_835(text.replace("L6:26075000030", "L6:OTHER"))
    assert [c.adjudication.interest for c in read.claims] == [237, -237]


def test_reversal_bigger_than_new_money_forwards_the_balance() -> None:
    """A net recoupment is forwarded with PLB FB so the payment is zero, not negative."""
    (payment,) = _payments(fx.reversal_and_correction(smaller=True))
    assert payment.claims_paid == -5900
    assert payment.amount == 0
    assert payment.method == "NON"
    assert [a.reason for a in payment.provider_adjustments] == ["FB"]
    text = _write([payment])
    assert text.count("BPR*H*0*C*NON") == 1
    assert validate(text).ok


def test_a_forwarded_balance_is_taken_back_by_the_next_payment_and_kept_while_unpaid() -> None:
    """forwarded_balances turns PLB FB -x into the next payment's FB +x (same reference); a payee
    with no payment keeps what it owed; a payment that takes a balance back forwards only the rest."""
    (short,) = _payments(fx.reversal_and_correction(smaller=True))
    key = short.payee.key
    owed = forwarded_balances([short])
    assert owed == {key: (ProviderAdjustment(reason="FB", reference=key, amount=5900),)}
    assert forwarded_balances([], owed) == owed
    (next_payment,) = build_payments(
        fx.remit([fx.paid()]), payer=fx.PAYER, payment_date=fx.DECIDED, numbers=PaymentNumbers(),
        recoupments=owed,
    )  # fmt: skip
    assert next_payment.amount == 7000 - 5900
    assert forwarded_balances([next_payment], owed) == {}
    text = _write([short, next_payment])
    assert f"PLB*{key}*20261231*FB:{key}*59~" in text
    assert validate(text).ok and check_835(text) is None
    (still_short,) = build_payments(
        fx.remit([fx.denied()]), payer=fx.PAYER, payment_date=fx.DECIDED, numbers=PaymentNumbers(),
        recoupments=owed,
    )  # fmt: skip
    assert forwarded_balances([still_short], owed) == owed


def test_payments_group_by_payee_with_deterministic_numbers() -> None:
    """Claims of two payees make two payments; check numbers come from the counter in order."""
    from simulator.samples import sample_claim, sample_provider
    from simulator.x12.remittance import remit_claim

    other = sample_claim(billing_provider=sample_provider(2))
    claims = [*fx.remit([fx.paid()]), remit_claim(fx.denied(), other), *fx.remit([fx.partly_paid()])]
    payments = build_payments(claims, payer=fx.PAYER, payment_date=fx.DECIDED, numbers=PaymentNumbers(41))
    assert [p.trace_number for p in payments] == ["000000041", "000000042"]
    assert [len(p.claims) for p in payments] == [2, 1]
    text = _write(payments)
    assert text.count("ST*835*") == 2
    assert validate(text).ok
    assert _write(payments) == text


def test_pended_claims_wait_and_cannot_be_written() -> None:
    """A pended decision is left out of payments, and writing one directly is refused."""
    pended = fx.paid("PCN099", "26075000099").model_copy(update={"status": ClaimStatus.PENDED, "paid": 0})
    assert _payments([pended]) == []
    payment = Payment(
        payer=fx.PAYER,
        payee=fx.remit([pended])[0].payee,
        payment_date=fx.DECIDED,
        trace_number="1",
        claims=tuple(fx.remit([pended.model_copy(update={"paid": 7000})])),
    )
    with pytest.raises(Remit835Error, match="pended"):
        _write([payment])


def test_unbalanced_payment_is_refused_naming_the_line() -> None:
    """An adjudication whose line does not balance is not written; the error names the line."""
    decision = fx.paid()
    bad_line = decision.lines[1].model_copy(update={"paid": 1100})
    bad = decision.model_copy(update={"lines": (decision.lines[0], bad_line), "paid": 7100})
    with pytest.raises(Remit835Error, match=r"line 2 \(36415\)"):
        _write(_payments([bad]))


def test_claim_amt_au_is_the_covered_charge_and_line_amt_b6_the_allowed_amount() -> None:
    """AMT*AU (2100) is the submitted charge considered for payment (denied lines left out), not
    the allowed amount, which each line reports in AMT*B6 (X12 RFI 1937); reading it back, the
    claim's allowed amount is the sum of its lines' B6."""
    decisions = [fx.paid(), fx.partly_paid(), fx.denied()]
    text = _write(_payments(decisions))
    claims = text.split("CLP*")[1:]
    assert "AMT*AU*180~" in claims[0] and text.count("AMT*B6*100~") == 1 and "AMT*B6*20~" in claims[0]
    assert "AMT*AU*200~" in claims[1] and "AMT*B6*150~" in claims[1]
    assert "AMT*AU" not in claims[2]
    assert validate(text).ok
    (read,) = read_835(text)
    allowed = [c.adjudication.allowed for c in read.claims]
    assert allowed == [d.allowed for d in decisions] == [12000, 15000, 0]


def test_round_trip_keeps_amounts_codes_and_dates() -> None:
    """Reading a written 835 gives back the adjudications' amounts, adjustments and remarks."""
    decisions = fx.spread()
    payments = _payments(decisions)
    (read,) = read_835(_write(payments))
    assert read.amount == payments[0].amount
    assert read.trace_number == payments[0].trace_number
    assert read.payee.npi == payments[0].payee.npi and read.payee.tin == payments[0].payee.tin
    assert read.provider_adjustments == payments[0].provider_adjustments
    for original, back in zip(decisions, (c.adjudication for c in read.claims), strict=True):
        assert (back.claim_id, back.status, back.billed, back.paid, back.allowed) == (
            original.claim_id,
            original.status,
            original.billed,
            original.paid,
            original.allowed,
        )
        assert back.interest == original.interest
        assert back.coordination_order == original.coordination_order
        assert back.frequency == original.frequency
        assert back.reverses == original.reverses
        assert back.received_date == original.received_date
        assert [(a.group, a.carc, a.amount) for a in back.adjustments] == [
            (a.group, a.carc, a.amount) for a in original.adjustments
        ]
        for line, back_line in zip(original.lines, back.lines, strict=True):
            assert (back_line.line_number, back_line.procedure_code, back_line.modifiers) == (
                line.line_number,
                line.procedure_code,
                line.modifiers,
            )
            assert back_line.service_date == line.service_date
            assert set(back_line.rarcs) == set(line.rarcs) | {r for a in line.adjustments for r in a.rarcs}
    assert read.claims[1].adjudication.rarcs == ("MA01",)
    assert read.claims[0].patient_last_name == "Doe" and read.claims[0].member_id == "M123456789"


def test_correction_group_is_written_as_other() -> None:
    """CR is not a 5010 group code: it goes out as OA, and the file stays valid."""
    decision = fx.secondary()
    line = decision.lines[0]
    adjustment = line.adjustments[0].model_copy(update={"group": GroupCode.CORRECTION})
    decision = decision.model_copy(
        update={"lines": (line.model_copy(update={"adjustments": (adjustment,)}),)}
    )
    text = _write(_payments([decision]))
    assert "CAS*OA*23*120~" in text
    assert validate(text).ok


@needs_samples
@pytest.mark.parametrize(
    ("name", "claims", "amount"),
    [
        ("835-era-sample.edi", 1, 13200),
        ("835-multiple-claims-single-check.edi", 9, 81080),
        ("835-secondary-payments.edi", 2, 122200),
    ],
)
def test_public_samples_read_and_balance(name: str, claims: int, amount: int) -> None:
    """The public 835 samples parse into payments that balance."""
    text = (SAMPLES / name).read_text(encoding="utf-8")
    (payment,) = read_835(text)
    assert len(payment.claims) == claims
    assert payment.amount == amount
    assert check_835(text) is None


@needs_samples
def test_secondary_sample_details() -> None:
    """Secondary sample: CLP02 2 is coordination order 2, line CAS and the payee tax id are read."""
    (payment,) = read_835((SAMPLES / "835-secondary-payments.edi").read_text(encoding="utf-8"))
    first, second = (c.adjudication for c in payment.claims)
    assert first.coordination_order == 2
    assert first.claim_adjustments[0].carc == "23" and first.claim_adjustments[0].amount == 941164
    assert [ln.procedure_code for ln in second.lines] == ["12345", "66543"]
    assert second.lines[1].modifiers == ("26",)
    assert [(a.group.value, a.carc, a.amount) for a in second.lines[1].adjustments] == [
        ("PR", "1", 15000),
        ("PR", "2", 7000),
        ("CO", "42", 8500),
    ]
    assert payment.payee.tin == "599944521"
    assert payment.payment_date == date(2005, 4, 12)


def test_reader_names_a_bad_amount() -> None:
    """An amount that is not money gives a Remit835Error naming the segment and element."""
    text = _write(_payments([fx.paid()])).replace("CLP*PCN001*1*180*", "CLP*PCN001*1*1.234*")
    with pytest.raises(Remit835Error, match="CLP03"):
        read_835(text)


def test_imbalance_in_read_835_is_named() -> None:
    """Tampering with a line's paid amount makes check_835 name that line."""
    text = _write(_payments([fx.paid()])).replace("SVC*HC:99213*150*60~", "SVC*HC:99213*150*61~")
    problem = check_835(text)
    assert problem is not None
    assert "line 1 (99213)" in problem.message
    assert problem.expected == 8900 and problem.found == 9000


_GROUPS = st.sampled_from(
    [GroupCode.CONTRACTUAL, GroupCode.PATIENT, GroupCode.OTHER, GroupCode.PAYER_INITIATED]
)
_CARCS = st.sampled_from(["1", "2", "3", "45", "97", "197", "23", "16", "B7"])


@st.composite
def _line_adjudication(draw, number: int) -> LineAdjudication:
    billed = draw(st.integers(min_value=0, max_value=5_000_000))
    weights = draw(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=9))
    parts = split_by_weights(billed, [*weights, draw(st.integers(min_value=0, max_value=100))])
    adjustments = tuple(
        Adjustment(group=draw(_GROUPS), carc=draw(_CARCS), amount=part, rule="drawn") for part in parts[:-1]
    )
    return LineAdjudication(
        line_number=number,
        procedure_code=draw(st.sampled_from(["99213", "J1100", "71046", "G0008"])),
        modifiers=tuple(draw(st.lists(st.sampled_from(["25", "59", "LT", "RT"]), max_size=4, unique=True))),
        units=draw(st.integers(min_value=1, max_value=20)),
        units_paid=draw(st.integers(min_value=0, max_value=20)),
        service_date=date(2026, 2, 20),
        billed=billed,
        allowed=billed - sum(a.amount for a in adjustments if a.group == GroupCode.CONTRACTUAL),
        paid=parts[-1],
        adjustments=adjustments,
    )


@st.composite
def _adjudication(draw, index: int):
    lines = [draw(_line_adjudication(n)) for n in range(1, draw(st.integers(min_value=1, max_value=4)) + 1)]
    extra = draw(st.integers(min_value=0, max_value=100_000))
    claim_level = (
        (Adjustment(group=GroupCode.CONTRACTUAL, carc="45", amount=extra, rule="drawn"),) if extra else ()
    )
    decision = fx.paid(f"PCN{index}", f"2607500{index:04d}").model_copy(
        update={
            "lines": tuple(lines),
            "billed": sum(line.billed for line in lines) + extra,
            "paid": sum(line.paid for line in lines),
            "allowed": sum(line.allowed for line in lines),
            "claim_adjustments": claim_level,
            "interest": draw(st.integers(min_value=0, max_value=5000)),
            "coordination_order": draw(st.integers(min_value=1, max_value=3)),
            "status": draw(st.sampled_from([ClaimStatus.PAID, ClaimStatus.PARTLY_PAID, ClaimStatus.DENIED])),
        }
    )
    if draw(st.booleans()):
        return [fx.negate(decision, f"2607600{index:04d}"), decision]
    return [decision]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4, unique=True).flatmap(
        lambda ids: st.tuples(*(_adjudication(i) for i in ids))
    )
)
def test_any_balanced_remittance_validates_balances_and_reads_back(groups) -> None:
    """Random balanced adjudications (with reversals and interest) give valid, balanced 835s."""
    decisions = [d for group in groups for d in group]
    payments = _payments(decisions)
    text = _write(payments)
    result = validate(text)
    assert result.ok, result.describe()
    assert check_835(text) is None
    read = read_835(text)
    assert [p.amount for p in read] == [p.amount for p in payments]
    assert all(p.amount >= 0 for p in read)
    back = [c.adjudication for p in read for c in p.claims]
    assert [(d.billed, d.paid, d.interest) for d in back] == [
        (d.billed, d.paid, d.interest) for d in decisions
    ]


def test_more_than_six_provider_adjustments_make_two_plb_segments() -> None:
    """Seven PLB adjustments go out as two PLB segments (six and one); pyx12 accepts it with our map."""
    decisions = [fx.with_interest(f"PCN{n}", f"2607500{n:04d}") for n in range(7)]
    (payment,) = _payments(decisions)
    text = _write([payment])
    plbs = [s for s in text.split("~") if s.startswith("PLB*")]
    assert [s.count(":") for s in plbs] == [6, 1]
    assert validate(text).ok, validate(text).describe()
    assert not validate(text, use_overrides=False).ok
    (read,) = read_835(text)
    assert read.provider_adjustments == payment.provider_adjustments


def test_recoupment_is_a_plb_wo_and_a_shortfall_is_forwarded() -> None:
    """An overpayment recovered from the payee is PLB WO; more than the payment leaves a PLB FB."""
    key = fx.remit([fx.paid()])[0].payee.key
    small = {key: (ProviderAdjustment(reason="WO", reference="26060000077", amount=2500),)}
    (payment,) = build_payments(
        fx.remit([fx.paid()]),
        payer=fx.PAYER,
        payment_date=fx.DECIDED,
        numbers=PaymentNumbers(),
        recoupments=small,
    )
    assert payment.amount == 7000 - 2500
    text = _write([payment])
    assert "PLB*1000000012*20261231*WO:26060000077*25~" in text
    assert validate(text).ok and check_835(text) is None
    large = {key: (ProviderAdjustment(reason="WO", reference="26060000077", amount=9000),)}
    (short,) = build_payments(
        fx.remit([fx.paid()]),
        payer=fx.PAYER,
        payment_date=fx.DECIDED,
        numbers=PaymentNumbers(),
        recoupments=large,
    )
    assert short.amount == 0 and short.method == "NON"
    assert [(a.reason, a.amount) for a in short.provider_adjustments] == [("WO", 9000), ("FB", -2000)]
    assert validate(_write([short])).ok


def test_inpatient_remarks_go_in_mia_and_outpatient_in_moa() -> None:
    """Claim remark codes ride in MIA for an inpatient bill (11x) and in MOA otherwise."""
    from simulator.models import ClaimKind
    from simulator.x12.remittance import remit_claim

    decision = fx.partly_paid()
    claim = fx.sample_claim_for_tests(kind=ClaimKind.INSTITUTIONAL, type_of_bill="111")
    inpatient = remit_claim(decision, claim)
    (payment,) = build_payments(
        [inpatient], payer=fx.PAYER, payment_date=fx.DECIDED, numbers=PaymentNumbers()
    )
    text = _write([payment])
    assert "MIA*0****MA01~" in text and "MOA*" not in text
    assert "CLP*PCN002*1*250*120*30*12*26075000002*11*1~" in text
    assert validate(text).ok, validate(text).describe()
    (read,) = read_835(text)
    assert read.claims[0].adjudication.rarcs == ("MA01",)


def test_institutional_claims_carry_revenue_codes_and_medicare_part_a() -> None:
    """An institutional line's NUBC revenue code rides in SVC04 beside its HCPCS code in SVC01, and
    Medicare's CLP06 is MA (Part A) for an institutional claim, MB only for a professional one."""
    from simulator.models import ClaimKind
    from simulator.x12.remittance import remit_claim

    claim = fx.sample_claim_for_tests(kind=ClaimKind.INSTITUTIONAL, type_of_bill="131")
    revenue = ("0450", "0730")
    lines = tuple(
        sample_line(n, procedure_code=code, revenue_code=revenue[n - 1])
        for n, code in ((1, "99214"), (2, "93000"))
    )
    claim = claim.model_copy(update={"lines": lines, "total_charge": sum(line.charge for line in lines)})
    (payment,) = build_payments(
        [remit_claim(fx.partly_paid(), claim)],
        payer=fx.PAYER,
        payment_date=fx.DECIDED,
        numbers=PaymentNumbers(),
    )
    text = _write([payment])
    services = [s.split("*") for s in text.split("~") if s.startswith("SVC*")]
    assert [s[4] for s in services] == list(revenue)
    assert validate(text).ok, validate(text).describe()
    medicare = Payer(name="MEDICARE", payer_id="MCR01", tin="061234567", claim_filing_indicator="MB")
    (part_a,) = build_payments(
        [remit_claim(fx.partly_paid(), claim)],
        payer=medicare,
        payment_date=fx.DECIDED,
        numbers=PaymentNumbers(),
    )
    assert "*MA*26075000002*13*1~" in _write([part_a])  # CLP06: Part A, as the 837I's SBR09 said
    professional = _write(_payments([fx.partly_paid()]))
    assert all(
        len(s.split("*")) < 5 or s.split("*")[4] == ""
        for s in professional.split("~")
        if s.startswith("SVC*")
    )


def test_x12sdk_reads_the_same_claims_and_amounts() -> None:
    """A second, independent parser (x12sdk) reads our 835 claim for claim with the same figures."""
    from decimal import Decimal

    from x12sdk.io import X12ModelReader

    decisions = fx.spread()
    with X12ModelReader(_write(_payments(decisions))) as reader:
        (model,) = list(reader.models())
    found = [(c.patient_control_number, c.charge, c.paid, c.status) for c in model.claims()]
    expected = [
        (d.claim_id, Decimal(d.billed) / 100, Decimal(d.paid) / 100, code)
        for d, code in zip(decisions, ["1", "1", "4", "1", "22", "1", "2", "1"], strict=True)
    ]
    assert found == expected


_SPOILS = st.sampled_from(["line paid", "line adjustment", "claim paid", "claim adjustment", "bpr", "none"])


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=7), _SPOILS, st.integers(min_value=-3, max_value=3).filter(bool))
def test_writer_refuses_exactly_what_the_balance_checks_find(which: int, spoil: str, cents: int) -> None:
    """The writer's own sums refuse a payment iff :mod:`balance` finds an imbalance, with its message."""
    from simulator.x12.balance import first_imbalance

    decisions = fx.spread()
    decision = decisions[which]
    line = decision.lines[-1]
    if spoil == "line paid":
        decision = decision.model_copy(
            update={"lines": (*decision.lines[:-1], line.model_copy(update={"paid": line.paid + cents}))}
        )
    elif spoil == "line adjustment":
        first = line.adjustments[0].model_copy(update={"amount": line.adjustments[0].amount + cents})
        spoilt = line.model_copy(update={"adjustments": (first, *line.adjustments[1:])})
        decision = decision.model_copy(update={"lines": (*decision.lines[:-1], spoilt)})
    elif spoil == "claim paid":
        decision = decision.model_copy(update={"paid": decision.paid + cents})
    elif spoil == "claim adjustment":
        extra = Adjustment(group=GroupCode.CONTRACTUAL, carc="45", amount=cents, rule="test")
        decision = decision.model_copy(update={"claim_adjustments": (*decision.claim_adjustments, extra)})
    decisions[which] = decision
    payments = _payments(decisions)
    if spoil == "bpr":
        payments = [payments[0].model_copy(update={"amount": payments[0].amount + cents})]
    problem = first_imbalance(payments)
    if problem is None:
        assert spoil == "none"
        assert check_835(_write(payments)) is None
        return
    with pytest.raises(Remit835Error) as caught:
        _write(payments)
    assert str(caught.value) == f"the 835 would not balance: {problem.message}"


def test_remittance_claims_equal_validated_ones_and_service_span_agrees() -> None:
    """A remittance claim made from a claim equals one validated field by field; its dates are the claim's."""
    from hypothesis import find

    from simulator.x12.remittance import RemitClaim, remit_claim, service_span
    from tests.simulator.x12.claim_strategies import claims

    for kind in ("professional", "institutional"):
        claim = find(claims(), lambda c, kind=kind: c.kind == kind and len(c.lines) > 2)
        assert service_span(claim) == (claim.first_service_date, claim.last_service_date)
        made = remit_claim(fx.paid(), claim)
        validated = RemitClaim(**dict(made))
        assert made == validated
        assert made.model_fields_set == validated.model_fields_set
        assert made.model_dump_json() == validated.model_dump_json()
        assert remit_claim(fx.paid(), claim, original_reference="X1") == validated.model_copy(
            update={"original_reference": "X1"}
        )


def test_payees_are_cached_by_identity_and_by_value() -> None:
    """The same provider gives the same payee; an equal provider object gives an equal payee."""
    from simulator.samples import sample_provider
    from simulator.x12.remittance import payee_from_provider

    provider = sample_provider(7)
    twin = provider.model_copy()
    assert twin is not provider
    assert payee_from_provider(provider) is payee_from_provider(provider)
    assert payee_from_provider(twin) == payee_from_provider(provider)
    assert payee_from_provider(sample_provider(8)).npi == sample_provider(8).npi != provider.npi
