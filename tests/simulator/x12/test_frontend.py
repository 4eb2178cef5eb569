"""Front-end edits: envelope -> TA1, syntax -> 999 detail, business edits -> 277CA rejections."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from simulator.models import Claim, ClaimKind
from simulator.samples import sample_claim, sample_line
from simulator.x12.ack999 import read_999
from simulator.x12.claim837 import write_837
from simulator.x12.envelope import ControlNumbers, Party, read_interchange, read_interchanges
from simulator.x12.frontend import FrontEndResult, receive_837
from simulator.x12.ta1 import read_ta1
from tests.simulator.x12.claim_strategies import claim_lists
from tests.simulator.x12.pyx12_harness import validate

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}"
)
RECEIVED = date(2026, 3, 10)


def write(claims: list[Claim], **kwargs) -> str:
    """An 837 interchange from BILLER01 to PAYERSIM."""
    return write_837(
        claims,
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 3, 9, 8, 0),
        numbers=ControlNumbers(),
        **kwargs,
    )


def drop(text: str, *prefixes: str) -> str:
    """Remove the segments starting with ``prefixes`` from a one-set interchange and fix SE01."""
    segments = [seg for seg in text.split("~") if seg and not seg.startswith(prefixes)]
    start = next(i for i, seg in enumerate(segments) if seg.startswith("ST*"))
    end = next(i for i, seg in enumerate(segments) if seg.startswith("SE*"))
    segments[end] = f"SE*{end - start + 1}*{segments[end].split('*')[2]}"
    return "~".join(segments) + "~"


def as_sent(claim: Claim) -> Claim:
    """The claim as an 837 carries it: coverage starting on the first date of service."""
    coverage = claim.coverage.model_copy(update={"effective_date": claim.first_service_date})
    return claim.model_copy(update={"coverage": coverage})


def codes(result: FrontEndResult) -> list[tuple[str, str, str, str]]:
    """(claim id, category, status, entity) of every rejection."""
    return [(r.claim_id, r.category, r.status, r.entity) for c in result.rejected for r in c.rejections]


def test_clean_file_is_accepted_with_a_valid_999() -> None:
    """A clean 837 gives no TA1, a 999 accepting the set (pyx12-valid) and the claims unchanged."""
    claims = [sample_claim(), sample_claim(claim_id="PCN0002")]
    result = receive_837(write(claims), RECEIVED)
    assert result.ta1 is None and not result.rejected and result.internal_error is None
    assert list(result.accepted) == [as_sent(c) for c in claims]
    [group] = read_999(result.ack999)
    assert group.status == "A" and group.accepted_count == 1
    assert validate(result.ack999).ok
    assert result.sender == Party("PAYERSIM") and result.receiver == Party("BILLER01")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_lists())
def test_generated_claims_pass_the_front_end_unchanged(claims: list[Claim]) -> None:
    """Valid generated claims, received after their dates, are all accepted as written."""
    result = receive_837(write(claims), date(2027, 12, 31))
    assert result.problems == []
    assert list(result.accepted) == claims


def test_ack_requested_gives_an_accepting_ta1() -> None:
    """ISA14 = 1 asks for a TA1: an accepting one (A, 000) comes with the 999."""
    text = write([sample_claim()]).replace("*00501*000000001*0*P*", "*00501*000000001*1*P*")
    result = receive_837(text, RECEIVED)
    assert result.ta1 is not None and (result.ta1.ack_code, result.ta1.note_code) == ("A", "000")
    assert result.ack999 is not None and len(result.accepted) == 1


@pytest.mark.parametrize("usage", ["T", "P"])
def test_acknowledgements_keep_the_usage_indicator_of_the_837(usage: str) -> None:
    """A test 837 (ISA15 T) gets a test TA1 and 999, a production one production acknowledgements."""
    text = write([sample_claim()], usage=usage).replace("*00501*000000001*0*", "*00501*000000001*1*")
    result = receive_837(text, RECEIVED)
    assert result.ta1_text is not None and result.ack999 is not None
    assert [i.usage for i in read_interchanges(result.ta1_text)] == [usage]
    assert read_interchange(result.ack999).usage == usage


def test_a_rejected_group_counts_the_sets_it_received() -> None:
    """GE01 counting 2 sets when the group holds 1 rejects the group (AK905 5); AK902 echoes GE01,
    AK903 counts the one set received, AK904 none accepted."""
    text = write([sample_claim()]).replace("GE*1*", "GE*2*")
    result = receive_837(text, RECEIVED)
    assert result.ack999 is not None and not result.accepted
    assert "AK9*R*2*1*0*5~" in result.ack999
    assert validate(result.ack999).ok
    (group,) = read_999(result.ack999)
    assert (group.status, group.included, group.received_count, group.accepted_count) == ("R", 2, 1, 0)


@pytest.mark.parametrize(
    ("old", "new", "note"),
    [
        ("IEA*1*", "IEA*2*", "021"),
        ("IEA*1*000000001", "IEA*1*000000002", "001"),
        ("*260309*", "*261309*", "014"),
    ],
)
def test_envelope_problems_reject_with_a_ta1(old: str, new: str, note: str) -> None:
    """IEA count or control mismatch and a bad ISA date give TA1 R with the note code, no 999, no claims."""
    result = receive_837(write([sample_claim()]).replace(old, new), RECEIVED)
    assert result.ta1 is not None and (result.ta1.ack_code, result.ta1.note_code) == ("R", note)
    assert result.ack999 is None and not result.accepted
    assert read_ta1(result.ta1_text)[0].note_code == note
    assert note in result.problems[0]


def test_bad_delimiters_reject_with_a_ta1() -> None:
    """An ISA whose element separator is a letter cannot be read: TA1 026."""
    text = write([sample_claim()])
    result = receive_837("ISAA" + text[4:], RECEIVED)
    assert result.ta1 is not None and result.ta1.note_code == "026" and result.ack999 is None


def test_syntax_errors_name_segment_position_and_element() -> None:
    """A bad date and a bad amount give IK3/IK4 with the segment's position in the set and the element."""
    text = write([sample_claim()], line_breaks=True)
    body = text.splitlines()[2:]
    dmg = next(i for i, line in enumerate(body) if line.startswith("DMG")) + 1
    sv1 = next(i for i, line in enumerate(body) if line.startswith("SV1")) + 1
    bad = text.replace("DMG*D8*19580412", "DMG*D8*19581312").replace("SV1*HC:99213*150", "SV1*HC:99213*1S0")
    result = receive_837(bad, RECEIVED)
    assert not result.accepted and not result.rejected
    [group] = read_999(result.ack999)
    [tx] = group.transactions
    assert (group.status, tx.status, tx.codes) == ("R", "R", ("5",))
    found = {(e.segment, e.position, e.loop, e.code): e.elements for e in tx.errors}
    assert (
        found[("DMG", dmg, "2010", "8")][0].position == 2 and found[("DMG", dmg, "2010", "8")][0].code == "8"
    )
    assert found[("SV1", sv1, "2400", "8")][0].code == "6"
    assert [e.claim_id for e in tx.errors if e.segment == "SV1"] == ["PCN0001"]
    assert validate(result.ack999).ok, validate(result.ack999).describe()


def test_missing_required_segment_and_unknown_segment() -> None:
    """A claim without HI is IK304 3; an unknown segment id is IK304 1."""
    text = write([sample_claim()]).replace("HI*ABK:E119~", "").replace("REF*EA*P0001~", "ZZZ*1~")
    result = receive_837(text, RECEIVED)
    [group] = result.acks
    errors = {(e.segment, e.code) for e in group.transactions[0].errors}
    assert ("HI", "3") in errors and ("ZZZ", "1") in errors
    assert group.transactions[0].codes == ("4", "5")


def test_se_count_mismatch_rejects_the_set() -> None:
    """A wrong SE01 rejects the set with IK502 4."""
    text = write([sample_claim()])
    se = text[text.index("SE*") :].split("~")[0]
    count = int(se.split("*")[1])
    result = receive_837(text.replace(se, f"SE*{count + 1}*0001"), RECEIVED)
    assert result.acks[0].transactions[0].codes == ("4",) and not result.accepted


def test_group_rejected_for_its_ge_count_still_counts_the_sets_it_received() -> None:
    """GE01 saying 3 sets where 1 came: AK9 rejects with code 5, 3 included, 1 received, 0 accepted."""
    text = write([sample_claim()])
    result = receive_837(text.replace("~GE*1*", "~GE*3*"), RECEIVED)
    assert not result.accepted
    assert "~AK9*R*3*1*0*5~" in result.ack999
    [group] = read_999(result.ack999)
    assert group.received_count == 1 and group.included == 3 and group.status == "R"
    assert validate(result.ack999).ok


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"diagnoses": ("E11.9", "Z99.999")}, ("A7", "255", "")),
        ({"diagnoses": ("E11",)}, ("A7", "254", "")),
        ({"total_charge": 20000}, ("A8", "178", "")),
        ({"lines": (sample_line(service_date=date(2026, 4, 1)),)}, ("A7", "187", "")),
    ],
)
def test_business_edits_reject_claims_with_277ca_codes(change: dict, expected: tuple[str, str, str]) -> None:
    """Invalid ICD-10-CM codes, CLM02 mismatch and future dates reject only the faulty claim."""
    good, bad = sample_claim(claim_id="GOOD"), sample_claim(claim_id="BAD", **change)
    result = receive_837(write([good, bad]), RECEIVED)
    assert [c.claim_id for c in result.accepted] == ["GOOD"]
    assert codes(result) == [("BAD", *expected)]
    [rejected] = result.rejected
    assert rejected.claim is not None and rejected.billing_npi == good.billing_provider.npi
    assert rejected.rejections[0].position > 0 and rejected.rejections[0].message


def test_bad_npi_and_missing_subscriber_id() -> None:
    """A failing NPI check digit is A7:562:85; a missing member id is A6:164:IL."""
    claim = sample_claim()
    text = write([claim]).replace(claim.billing_provider.npi, "1000000013")
    assert codes(receive_837(text, RECEIVED)) == [("PCN0001", "A7", "562", "85")]
    text = write([claim]).replace("*MI*M123456789~", "~")
    assert codes(receive_837(text, RECEIVED)) == [("PCN0001", "A6", "164", "IL")]


def test_missing_subscriber_loop_is_a_277ca_rejection() -> None:
    """A claim without the subscriber name loop is rejected A6:21:IL, naming it."""
    text = drop(write([sample_claim()]), "NM1*IL", "DMG")
    assert "NM1*IL" not in text
    result = receive_837(text, RECEIVED)
    assert ("PCN0001", "A6", "21", "IL") in codes(result)
    assert "subscriber" in result.rejected[0].rejections[0].message


def test_correction_without_ref_f8_is_rejected() -> None:
    """A frequency 7 claim whose REF*F8 was dropped is A6:464."""
    claim = sample_claim(frequency="7", payer_claim_number="P1")
    text = drop(write([claim]), "REF*F8")
    assert codes(receive_837(text, RECEIVED)) == [("PCN0001", "A6", "464", "")]


def test_institutional_statement_dates_in_the_future() -> None:
    """An 837I whose statement period ends after receipt is A7:188 (and its line A7:187)."""
    claim = sample_claim(
        kind=ClaimKind.INSTITUTIONAL,
        type_of_bill="131",
        lines=(sample_line(revenue_code="0450", service_date=date(2026, 5, 1)),),
    )
    found = {(r[1], r[2]) for r in codes(receive_837(write([claim]), RECEIVED))}
    assert found == {("A7", "187"), ("A7", "188")}


@needs_samples
@pytest.mark.parametrize(
    "path", sorted(SAMPLES.glob("837*.edi")) if SAMPLES.is_dir() else [], ids=lambda p: p.name
)
def test_public_samples_end_in_claims_or_named_rejections(path: Path) -> None:
    """Every public 837 sample is answered: each claim accepted, or rejected with a named reason."""
    result = receive_837(path.read_bytes(), RECEIVED)
    assert result.internal_error is None and (result.ta1 is None or result.ta1.ack_code == "A")
    claims = path.read_bytes().count(b"CLM*")
    rejected_sets = sum(1 for g in result.acks for t in g.transactions if not t.accepted)
    assert len(result.accepted) + len(result.rejected) == claims or rejected_sets
    assert all(r.message for c in result.rejected for r in c.rejections)
