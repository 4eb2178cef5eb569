"""277CA writer and reader: statuses per claim, hierarchical levels, pyx12 with the map override."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from simulator.samples import sample_claim, sample_provider
from simulator.x12.ack277ca import (
    Ack277Error,
    AckParties,
    ClaimStatusCode,
    accepted_ack,
    read_277ca,
    rejected_ack,
    write_277ca,
)
from simulator.x12.envelope import ControlNumbers, Party
from simulator.x12.frontend import ClaimRejection, RejectedClaim
from tests.simulator.x12.pyx12_harness import validate

PARTIES = AckParties("COMMERCIAL PPO", "60054", "ACME BILLING", "ACME01", trace="000000007")
DAY = date(2026, 3, 2)


def _rejected(*rejections: ClaimRejection, claim_id: str = "PCN3") -> RejectedClaim:
    return RejectedClaim(
        claim_id=claim_id,
        rejections=rejections,
        total_charge=12345,
        billing_npi="1234567893",
        billing_name="NORTH CLINIC",
        subscriber_id="M1",
        subscriber_last_name="Roe",
        subscriber_first_name="Rita",
        service_date=date(2026, 2, 1),
        service_date_end=date(2026, 2, 3),
    )


NPI_BAD = ClaimRejection(
    "PCN3", "A7", "562", "85", "billing NPI check digit is wrong: *:~", 5, "NM1", "NM109"
)
MISSING_ID = ClaimRejection("PCN3", "A6", "21", "IL", "subscriber id missing", 9)
BAD_DX = ClaimRejection("PCN3", "A7", "254", "", "diagnosis code invalid", 12)
BAD_DATE = ClaimRejection("PCN3", "A8", "187", "", "service date after the claim date", 14)


def _write(acks) -> str:
    return write_277ca(
        acks,
        PARTIES,
        received=DAY,
        processed=DAY,
        sender=Party("60054"),
        receiver=Party("ACME01"),
        when=datetime(2026, 3, 2, 10, 0),
        numbers=ControlNumbers(),
    )


def _mixed() -> str:
    accepted = [
        accepted_ack(sample_claim(), "26075000001"),
        accepted_ack(sample_claim(claim_id="PCN2", billing_provider=sample_provider(2))),
    ]
    return _write([*accepted, rejected_ack(_rejected(NPI_BAD, MISSING_ID, BAD_DX, BAD_DATE))])


def test_mixed_277ca_is_accepted_by_pyx12() -> None:
    """Accepted and rejected claims from two providers make a 277CA pyx12 accepts."""
    result = validate(_mixed())
    assert result.ok, result.describe()


def test_statuses_levels_and_totals() -> None:
    """Accepted claims get A2:20 and WQ; a rejection gets its codes and U; levels nest 20/21/19/PT."""
    text = _mixed()
    segments = text.split("~")
    assert [s.split("*")[3] for s in segments if s.startswith("HL*")] == [
        "20",
        "21",
        "19",
        "PT",
        "19",
        "PT",
        "19",
        "PT",
    ]
    assert segments.count("STC*A2:20*20260302*WQ*150") == 2
    rejected = [s for s in segments if s.startswith("STC*A7:562:85")]
    assert rejected == [
        "STC*A7:562:85*20260302*U*123.45******A6:21:IL*A7:254*billing NPI check digit is wrong"
    ]
    assert "STC*A8:187*20260302*U*123.45" in segments
    assert "QTY*90*2" in segments and "QTY*AA*1" in segments
    assert "AMT*YU*300" in segments and "AMT*YY*123.45" in segments
    assert "DTP*472*RD8*20260201-20260203" in segments
    assert "REF*1K*26075000001" in segments


def test_read_back_gives_each_claim_and_its_statuses() -> None:
    """The reader returns one acknowledgement per claim with its statuses, totals and ids."""
    acks = read_277ca(_mixed())
    assert [a.claim_id for a in acks] == ["PCN0001", "PCN2", "PCN3"]
    assert [a.accepted for a in acks] == [True, True, False]
    assert acks[0].payer_claim_number == "26075000001"
    rejected = acks[2]
    assert rejected.statuses == (
        ClaimStatusCode("A7", "562", "85"),
        ClaimStatusCode("A6", "21", "IL"),
        ClaimStatusCode("A7", "254"),
        ClaimStatusCode("A8", "187"),
    )
    assert rejected.total_charge == 12345
    assert rejected.billing_npi == "1234567893"
    assert (rejected.patient_last_name, rejected.member_id) == ("Roe", "M1")
    assert rejected.message == "billing NPI check digit is wrong"
    assert (rejected.service_date, rejected.service_date_end) == (date(2026, 2, 1), date(2026, 2, 3))


def test_map_override_allows_omitting_the_situational_2200c_loop() -> None:
    """Without the provider trace loop (2200C), pyx12 needs our map override to accept the file."""
    text = _write([accepted_ack(sample_claim())])
    segments = text.split("~")
    start = next(i for i, s in enumerate(segments) if s.startswith("NM1*85"))
    end = next(i for i, s in enumerate(segments) if s.startswith("HL*") and i > start)
    trimmed = segments[: start + 1] + segments[end:]
    count = sum(1 for s in trimmed if s and not s.startswith(("ISA", "GS", "GE", "IEA")))
    trimmed = [f"SE*{count}*0001" if s.startswith("SE*") else s for s in trimmed]
    text = "~".join(trimmed)
    assert validate(text).ok, validate(text).describe()
    assert not validate(text, use_overrides=False).ok


def test_bad_category_code_is_caught_by_pyx12() -> None:
    """pyx12 really checks the codes: an unknown category code fails validation."""
    text = _mixed().replace("STC*A8:187", "STC*Q9:187")
    assert not validate(text).ok


def test_reading_something_else_is_an_error() -> None:
    """Reading an 835 as a 277CA names the problem."""
    from simulator.x12.remit835 import write_835
    from simulator.x12.remittance import PaymentNumbers, build_payments
    from tests.simulator.x12 import remit_fixtures as fx

    payments = build_payments(
        fx.remit([fx.paid()]), payer=fx.PAYER, payment_date=fx.DECIDED, numbers=PaymentNumbers()
    )
    text = write_835(
        payments, sender=Party("A"), receiver=Party("B"), when=datetime(2026, 1, 1), numbers=ControlNumbers()
    )
    with pytest.raises(Ack277Error, match="no 277"):
        read_277ca(text)


def test_a_rejection_without_codes_still_says_rejected() -> None:
    """A rejected claim with no rejection records is reported as A3:21, not accepted."""
    ack = rejected_ack(_rejected())
    assert ack.statuses == (ClaimStatusCode("A3", "21"),)
    assert not ack.accepted


def test_free_text_loses_delimiters_and_runs_of_spaces():
    """Names and messages are written without X12 delimiters, line breaks or doubled spaces."""
    from simulator.x12.ack277ca import _text

    assert _text("Doe*Jane~\r\nX:Y^Z|W>V", 60) == "Doe Jane X Y Z W V"
    assert _text("  two  spaces ", 60) == "two spaces"
    assert _text("already clean", 7) == "already"
