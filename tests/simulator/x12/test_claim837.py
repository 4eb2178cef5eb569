"""837P/837I writer and reader: round trip, public samples, pyx12 validation of generated claims."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from simulator.models import Adjustment, Claim, ClaimKind, Frequency, OtherPayer
from simulator.samples import sample_claim, sample_line, sample_provider
from simulator.x12.claim837 import write_837
from simulator.x12.envelope import ControlNumbers, Party, read_interchange
from simulator.x12.read837 import read_837
from tests.simulator.x12.claim_strategies import claim_lists, claims
from tests.simulator.x12.pyx12_harness import validate

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}"
)
WHEN = datetime(2026, 3, 2, 12, 0)


def write(claims: list[Claim], **kwargs) -> str:
    """Write ``claims`` with fixed parties, time and fresh control numbers."""
    return write_837(
        claims,
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=WHEN,
        numbers=ControlNumbers(),
        **kwargs,
    )


def secondary_claim() -> Claim:
    """The sample claim as a secondary claim with line adjustments from the primary payer."""
    adjustments = (
        Adjustment(group="CO", carc="45", amount=3000, rule="other_payer"),
        Adjustment(group="PR", carc="2", amount=2400, rule="other_payer"),
    )
    other = OtherPayer(
        payer_id="medicare",
        paid=9600,
        patient_responsibility=2400,
        adjudication_date=date(2026, 3, 20),
        line_adjustments=((1, adjustments),),
    )
    claim = sample_claim(claim_id="SEC1", other_payers=(other,))
    return claim.model_copy(
        update={"coverage": claim.coverage.model_copy(update={"effective_date": date(2026, 3, 2)})}
    )


def test_secondary_claim_carries_other_payer_loops() -> None:
    """2320 SBR/AMT, 2330A/B and 2430 SVD/CAS/DTP*573 are written and read back."""
    claim = secondary_claim()
    text = write([claim], line_breaks=True)
    assert "SBR*P*18*******CI~" in text
    assert "AMT*D*96~" in text and "AMT*EAF*24~" in text
    assert "SVD*medicare*96*HC:99213**1~" in text
    assert "CAS*CO*45*30~" in text and "CAS*PR*2*24~" in text
    assert "DTP*573*D8*20260320~" in text
    assert read_837(text) == [claim]


def test_correction_and_void_carry_ref_f8() -> None:
    """Frequency 7 and 8 claims carry CLM05-3 and REF*F8 with the payer's claim number."""
    replacement = sample_claim(claim_id="R1", frequency=Frequency.REPLACEMENT, payer_claim_number="PCN-77")
    void = sample_claim(claim_id="V1", frequency=Frequency.VOID, payer_claim_number="PCN-78")
    text = write([replacement, void])
    assert "CLM*R1*150***11:B:7*Y*A*Y*Y~" in text and "REF*F8*PCN-77~" in text
    assert "CLM*V1*150***11:B:8*Y*A*Y*Y~" in text and "REF*F8*PCN-78~" in text
    back = read_837(text)
    assert [(c.frequency, c.payer_claim_number) for c in back] == [
        (Frequency.REPLACEMENT, "PCN-77"),
        (Frequency.VOID, "PCN-78"),
    ]


def test_professional_and_institutional_go_in_separate_groups() -> None:
    """An 837P and an 837I claim land in two groups with their own versions and counts."""
    inst = sample_claim(
        claim_id="I1",
        kind=ClaimKind.INSTITUTIONAL,
        type_of_bill="131",
        lines=(sample_line(revenue_code="0450"),),
    )
    interchange = read_interchange(write([sample_claim(), inst]))
    assert [g.version for g in interchange.groups] == ["005010X222A1", "005010X223A2"]
    assert not interchange.problems and all(not tx.problems for tx in interchange.transactions)


def test_claims_sharing_a_billing_provider_share_an_hl() -> None:
    """Consecutive claims of one billing provider and subscriber use one 2000A and one 2000B."""
    text = write(
        [
            sample_claim(claim_id="A"),
            sample_claim(claim_id="B"),
            sample_claim(claim_id="C", billing_provider=sample_provider(7)),
        ]
    )
    assert text.count("*20*1~") == 2
    assert text.count("*22*0~") == 2
    assert [c.claim_id for c in read_837(text)] == ["A", "B", "C"]


def test_writer_refuses_institutional_claim_without_type_of_bill() -> None:
    """An 837I needs CLM05 from the type of bill: the writer says so."""
    inst = sample_claim(kind=ClaimKind.INSTITUTIONAL, lines=(sample_line(revenue_code="0450"),))
    with pytest.raises(ValueError, match="type_of_bill"):
        write([inst])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_lists())
def test_round_trip_gives_the_same_claims(generated: list[Claim]) -> None:
    """claim -> 837 -> claim gives the same claims, in the same order."""
    assert read_837(write(generated)) == generated


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_pyx12_accepts_generated_claims(claim: Claim) -> None:
    """pyx12 finds no error in 837s of generated claims (secondary, corrected, voided, both kinds)."""
    result = validate(write([claim]))
    assert result.ok, result.describe()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_lists(max_size=6))
def test_pyx12_accepts_files_of_several_claims(generated: list[Claim]) -> None:
    """Files of several claims (shared and separate HL loops, both kinds) validate."""
    result = validate(write(generated))
    assert result.ok, result.describe()


@pytest.mark.parametrize("kind", list(ClaimKind))
def test_pyx12_accepts_a_secondary_void_of_each_kind(kind: ClaimKind) -> None:
    """A voided secondary claim of each kind validates."""
    claim = secondary_claim().model_copy(
        update={"frequency": Frequency.VOID, "payer_claim_number": "X9", "kind": kind}
    )
    if kind == ClaimKind.INSTITUTIONAL:
        claim = claim.model_copy(update={"type_of_bill": "138", "lines": (sample_line(revenue_code="0300"),)})
    result = validate(write([claim]))
    assert result.ok, result.describe()


@needs_samples
@pytest.mark.parametrize(
    "path", sorted(SAMPLES.glob("837*.edi")) if SAMPLES.is_dir() else [], ids=lambda p: p.name
)
def test_public_837_samples_parse_into_claims(path: Path) -> None:
    """Every public 837 sample reads into claims whose totals match CLM02."""
    raw = path.read_bytes()
    found = read_837(raw)
    assert found, path.name
    assert len(found) == raw.count(b"CLM*")
    for claim in found:
        assert claim.total_charge > 0 and claim.lines


@needs_samples
def test_sample_details_are_read() -> None:
    """Details of the ambulance and repriced samples come through; CR1 and HCP are skipped."""
    [ambulance] = read_837((SAMPLES / "837P-ambulance.edi").read_bytes())
    assert ambulance.claim_id == "051068" and ambulance.total_charge == 76650
    assert [line.procedure_code for line in ambulance.lines] == ["A0427", "A0425", "A0422", "A0382"]
    assert ambulance.lines[1].units == 21 and ambulance.lines[0].modifiers == ("RH",)
    [repriced] = read_837((SAMPLES / "837P-ppo-repriced-claim.edi").read_bytes())
    assert repriced.referring_provider is not None and repriced.referring_provider.npi == "9988776655"
    assert repriced.rendering_provider is not None and repriced.rendering_provider.first_name == "SUSAN"
    two = read_837((SAMPLES / "837I-two-claims-same-provider.edi").read_bytes())
    assert [c.claim_id for c in two] == ["756048Q", "756049Q"]
    assert two[0].kind == ClaimKind.INSTITUTIONAL and two[0].lines[1].revenue_code == "0730"
