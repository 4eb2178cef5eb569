"""The vocabulary models validate what a claim must hold and name what is wrong."""

from datetime import date

import pytest
from pydantic import ValidationError

from simulator.models import Adjustment, ClaimAdjudication, ClaimStatus, LineAdjudication
from simulator.samples import sample_claim, sample_coverage, sample_line, sample_provider


def test_total_charge_defaults_to_the_sum_of_lines():
    claim = sample_claim(lines=(sample_line(1, charge=10000), sample_line(2, charge=2550)))
    assert claim.total_charge == 12550


def test_stated_total_is_kept_even_when_wrong_so_edits_can_reject_it():
    claim = sample_claim(total_charge=99)
    assert claim.total_charge == 99
    assert claim.line_charge_total == 15000


def test_replacement_needs_the_payer_claim_number():
    with pytest.raises(ValidationError, match="payer_claim_number"):
        sample_claim(frequency="7")


def test_bad_npi_is_named():
    with pytest.raises(ValidationError, match="check digit"):
        sample_provider(npi="1234567890")


def test_diagnosis_pointer_past_the_list_is_named():
    with pytest.raises(ValidationError, match="points at diagnosis 2"):
        sample_claim(lines=(sample_line(diagnosis_pointers=(2,)),))


def test_coverage_dates_must_be_in_order():
    with pytest.raises(ValidationError, match="termination_date"):
        sample_coverage(effective_date=date(2026, 1, 1), termination_date=date(2025, 1, 1))


def test_claim_round_trips_through_json():
    claim = sample_claim(lines=(sample_line(1), sample_line(2, modifiers=("25",))))
    assert type(claim).model_validate_json(claim.model_dump_json()) == claim


def test_adjudication_balance_and_patient_share():
    line = LineAdjudication(
        line_number=1,
        procedure_code="99213",
        service_date=date(2026, 3, 2),
        billed=15000,
        allowed=10000,
        paid=8000,
        adjustments=(
            Adjustment(group="CO", carc="45", amount=5000, rule="pricing"),
            Adjustment(group="PR", carc="2", amount=2000, rule="benefits"),
        ),
    )
    decision = ClaimAdjudication(
        claim_id="PCN0001",
        payer_id="x",
        payer_claim_number="X1",
        status=ClaimStatus.PAID,
        received_date=date(2026, 3, 3),
        decided_date=date(2026, 3, 10),
        billed=15000,
        allowed=10000,
        paid=8000,
        lines=(line,),
    )
    assert decision.balances
    assert decision.patient_responsibility == 2000
    assert decision.carcs == ("CO-45", "PR-2")
    assert not decision.model_copy(update={"paid": 7999}).balances


def test_digit_fields_take_ascii_digits_only():
    with pytest.raises(ValidationError, match="tin"):
        sample_provider(tin="３７００００００１")
