"""270 reader and writer, 271 writer: structure checked by x12sdk (no pyx12 5010 map) and by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from x12sdk.io import X12ModelReader

from simulator.samples import sample_coverage
from simulator.x12.eligibility import (
    BenefitFigures,
    EligibilityError,
    read_270,
    request_for,
    write_270,
    write_271,
)
from simulator.x12.envelope import ControlNumbers, Party

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}"
)
WHEN = datetime(2026, 3, 2, 9, 0)
FIGURES = BenefitFigures(
    "PPO GOLD",
    deductible=178700,
    deductible_met=50000,
    coinsurance_percent=Decimal(20),
    copay=2500,
    out_of_pocket_max=600000,
    out_of_pocket_met=80000,
)


def _request():
    return request_for(
        sample_coverage(),
        service_date=date(2026, 3, 2),
        provider_name="SPRINGFIELD CLINIC",
        provider_npi="1000000012",
        trace="T-0001",
    )


def _271(answers) -> str:
    return write_271(
        answers,
        payer_name="COMMERCIAL PPO",
        payer_id="PPO01",
        sender=Party("PPO01"),
        receiver=Party("CLINIC01"),
        when=WHEN,
        numbers=ControlNumbers(),
    )


def _models(text: str) -> list:
    with X12ModelReader(text) as reader:
        return list(reader.models())


@needs_samples
def test_public_270_sample_reads() -> None:
    """The public 270 sample gives one request with member, dates, trace and service type."""
    (request,) = read_270((SAMPLES / "270-request-by-clinic-subscriber.edi").read_text(encoding="utf-8"))
    assert (request.member_id, request.last_name, request.first_name) == ("11122333301", "SMITH", "ROBERT")
    assert request.birth_date == date(1943, 5, 19)
    assert request.service_date == date(2006, 5, 1)
    assert (request.trace, request.trace_originator) == ("93175-012547", "9877281234")
    assert request.service_types == ("30",)
    assert (request.payer_id, request.provider_npi) == ("842610001", "2000035")


def test_270_round_trip_and_x12sdk_accepts_it() -> None:
    """A written 270 parses with x12sdk and reads back to the same request."""
    request = _request()
    text = write_270(
        [request], sender=Party("CLINIC01"), receiver=Party("PPO01"), when=WHEN, numbers=ControlNumbers()
    )
    assert [type(m).__name__ for m in _models(text)] == ["EligibilityInquiry"]
    assert read_270(text) == [request]


def test_271_benefits_with_remaining_amounts() -> None:
    """Active coverage with deductible, coinsurance, copay and out-of-pocket figures, remaining amounts."""
    text = _271([(_request(), sample_coverage(), FIGURES)])
    (model,) = _models(text)
    (member,) = list(model.members())
    benefits = [
        (b.eb_segment.eligibility_benefit_information, b.eb_segment.time_period_qualifier,
         b.eb_segment.benefit_amount, b.eb_segment.benefit_percent)
        for b in member.benefits
    ]  # fmt: skip
    assert benefits == [
        ("1", None, None, None),
        ("C", "23", Decimal("1787"), None),
        ("C", "29", Decimal("1287"), None),
        ("A", None, None, Decimal("0.2")),
        ("B", "27", Decimal("25"), None),
        ("G", "23", Decimal("6000"), None),
        ("G", "29", Decimal("5200"), None),
    ]
    assert "TRN*2*T-0001*9999999999~" in text


def test_met_deductible_reports_zero_remaining() -> None:
    """A deductible met in full (or over) reports 0 remaining, never a negative amount."""
    figures = replace(FIGURES, deductible_met=200000, out_of_pocket_met=700000)
    text = _271([(_request(), sample_coverage(), figures)])
    assert "EB*C*IND*30***29*0~" in text and "EB*G*IND*30***29*0~" in text
    _models(text)


def test_inactive_coverage_says_inactive() -> None:
    """Coverage terminated before the date of service is EB*6 and lists no benefits."""
    ended = sample_coverage(termination_date=date(2025, 12, 31))
    text = _271([(_request(), ended, FIGURES)])
    assert "EB*6**30*C1*PPO GOLD~" in text
    assert "EB*C" not in text and "EB*1*" not in text
    assert "DTP*347*D8*20251231~" in text
    _models(text)


def test_member_not_found_is_an_aaa_rejection() -> None:
    """An unknown member gets AAA*Y**75*C after the echoed name, and no EB segments.

    x12sdk is not used here: it checks loop 2100C's AAA03 against loop 2100B's code list,
    which lacks 75 (subscriber not found).
    """
    text = _271([(_request(), None, None)])
    segments = text.split("~")
    at = segments.index("NM1*IL*1*Doe*Jane****MI*M123456789")
    assert segments[at + 1] == "AAA*Y**75*C"
    assert not any(s.startswith("EB*") for s in segments)
    assert sum(1 for s in segments if s.startswith("HL*")) == 3


def test_reading_a_non_270_is_an_error() -> None:
    """A 271 given to the 270 reader is refused with a clear message."""
    with pytest.raises(EligibilityError, match="no 270"):
        read_270(_271([(_request(), sample_coverage(), FIGURES)]))


def test_figures_follow_the_payer_ledger_after_a_claim() -> None:
    """After the payer applies a claim to the deductible, the 271 reports less remaining."""
    from payers import Payer, PayerLedger, load_profile
    from simulator.samples import sample_claim, sample_line
    from simulator.x12.eligibility import figures_from_payer

    profile = load_profile("commercial_ppo")
    ledger = PayerLedger()
    coverage = sample_coverage()
    before = figures_from_payer(profile, ledger, coverage, date(2026, 3, 2))
    assert before.deductible == profile.benefits.deductible and before.deductible_met == 0
    claim = sample_claim(lines=(sample_line(1, procedure_code="36415"),))
    entries = Payer(profile).adjudicate(claim, received=date(2026, 3, 3), ledger=ledger)
    applied = sum(a.amount for e in entries for a in e.adjustments if a.carc == "1")
    after = figures_from_payer(profile, ledger, coverage, date(2026, 3, 4))
    assert applied > 0
    assert after.deductible_remaining == before.deductible_remaining - applied
    text = _271([(_request(), coverage, after)])
    assert f"EB*C*IND*30***29*{_amount(after.deductible_remaining)}~" in text
    _models(text)


def _amount(cents: int) -> str:
    from simulator.x12.remit835 import amount

    return amount(cents)
