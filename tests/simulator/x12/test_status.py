"""276 reader and 277 claim status writer: statuses from stored adjudications, checked by x12sdk."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from x12sdk.io import X12ModelReader

from simulator.models import ClaimStatus
from simulator.x12.envelope import ControlNumbers, Party
from simulator.x12.status import (
    StatusAnswer,
    StatusError,
    StatusRequest,
    find_decision,
    read_276,
    status_code,
    write_277,
)
from tests.simulator.x12 import remit_fixtures as fx

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}"
)
AS_OF = date(2026, 3, 20)
REQUEST = StatusRequest(
    trace="T1",
    claim_id="PCN001",
    member_id="M123456789",
    subscriber_last_name="Doe",
    subscriber_first_name="Jane",
    provider_name="SPRINGFIELD CLINIC",
    provider_npi="1000000012",
    receiver_name="ACME BILLING",
    receiver_id="ACME01",
)


def _277(answers) -> str:
    return write_277(
        answers,
        payer_name="COMMERCIAL PPO",
        payer_id="PPO01",
        as_of=AS_OF,
        sender=Party("PPO01"),
        receiver=Party("ACME01"),
        when=datetime(2026, 3, 20, 8, 0),
        numbers=ControlNumbers(),
    )


@needs_samples
def test_public_276_sample_reads() -> None:
    """The public 276 sample gives three claims, the third for a dependent."""
    requests = read_276((SAMPLES / "276-claim-request.edi").read_text(encoding="utf-8"))
    assert [r.trace for r in requests] == ["ABCXYZ1", "ABCXYZ2", "ABCXYZ3"]
    assert [r.claim_id for r in requests] == ["SM123456", "JO234567", "MA345678"]
    assert requests[0].charge == 851388
    assert (requests[0].service_date, requests[0].service_date_end) == (date(2005, 8, 31), date(2005, 9, 6))
    assert requests[0].member_id == "123456789A" and requests[0].provider_npi == "1666666661"
    assert (requests[2].patient_last_name, requests[2].patient_first_name) == ("MANN", "JOSEPH")
    assert requests[2].service_date is None and requests[1].patient_last_name == ""


def test_status_codes_follow_the_decision() -> None:
    """Not found, in process, pended, paid (issued or not), denied and reversed get their STC01."""
    paid = fx.paid()
    cases = [
        (StatusAnswer(REQUEST), ("A4", "35")),
        (StatusAnswer(REQUEST, in_process=True), ("P1", "20")),
        (StatusAnswer(REQUEST, paid.model_copy(update={"status": ClaimStatus.PENDED})), ("P3", "317")),
        (StatusAnswer(REQUEST, paid, paid_on=date(2026, 3, 18)), ("F1", "65")),
        (StatusAnswer(REQUEST, paid, paid_on=date(2026, 3, 25)), ("F0", "3")),
        (StatusAnswer(REQUEST, fx.denied()), ("F2", "1")),
        (StatusAnswer(REQUEST, fx.reversal_and_correction()[0]), ("F3", "1")),
    ]
    for answer, expected in cases:
        assert status_code(answer, AS_OF) == expected


def test_277_reports_payment_and_x12sdk_reads_it() -> None:
    """A paid claim's STC carries charge, payment, dates and check number; x12sdk parses the 277."""
    answers = [
        StatusAnswer(REQUEST, fx.paid(), paid_on=date(2026, 3, 18), check_number="000000007"),
        StatusAnswer(StatusRequest(trace="T2", claim_id="NOPE", charge=5000)),
        StatusAnswer(StatusRequest(trace="T3", claim_id="WAIT", charge=7000), in_process=True),
    ]
    text = _277(answers)
    assert "STC*F1:65*20260320**180*70*20260316*CHK*20260318*000000007~" in text
    assert "STC*A4:35*20260320**50~" in text
    assert "STC*P1:20*20260320**70~" in text
    known = StatusAnswer(
        StatusRequest(trace="T4", claim_id="WAIT", charge=7000), in_process=True, charge=12345
    )
    assert "STC*P1:20*20260320**123.45~" in _277([known])
    assert "REF*1K*26075000001~" in text
    with X12ModelReader(text) as reader:
        (model,) = list(reader.models())
    found = [(c.trace_number, c.charge, c.paid) for c in model.claims()]
    assert [f[0] for f in found] == ["T1", "T2", "T3"]
    assert found[0][2] == 70


@needs_samples
def test_answering_the_public_276_gives_a_readable_277() -> None:
    """Each 276 sample claim is answered; a dependent's claim goes under a patient level (23)."""
    requests = read_276((SAMPLES / "276-claim-request.edi").read_text(encoding="utf-8"))
    stored = [fx.paid("SM123456", "05347006051"), fx.denied("JO234567", "0529675341")]
    answers = [StatusAnswer(r, find_decision(r, stored), paid_on=date(2026, 3, 18)) for r in requests]
    assert [a.decision is not None for a in answers] == [True, True, False]
    text = _277(answers)
    assert "HL*9*8*23~" in text and "NM1*QC*1*MANN*JOSEPH~" in text
    with X12ModelReader(text) as reader:
        (model,) = list(reader.models())
    assert [c.trace_number for c in model.claims()] == ["ABCXYZ1", "ABCXYZ2", "ABCXYZ3"]


def test_find_decision_prefers_the_payer_claim_number_and_latest_entry() -> None:
    """A payer claim number match wins over a patient control number; later entries win."""
    reversal, replacement = fx.reversal_and_correction()
    first = fx.paid("PCN010", "26070000010")
    by_number = StatusRequest(trace="x", payer_claim_number="26070000010", claim_id="OTHER")
    assert find_decision(by_number, [first, reversal]) == reversal
    by_claim = StatusRequest(trace="x", claim_id="PCN010")
    assert find_decision(by_claim, [first, reversal, replacement]) == replacement
    assert find_decision(StatusRequest(trace="x", claim_id="NONE"), [first]) is None


def test_reading_a_non_276_is_an_error() -> None:
    """A 277 given to the 276 reader is refused with a clear message."""
    with pytest.raises(StatusError, match="no 276"):
        read_276(_277([StatusAnswer(REQUEST)]))
