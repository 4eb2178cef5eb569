"""The clean-set reader reads clean sets whole, steps aside otherwise, and never changes an answer.

Every test that compares runs :func:`receive_837` twice on the same file: as it is, and with the
clean-set reader switched off (every set then goes through the loop tree and the full edits).
The two results must be the same in everything: acknowledgements, texts, accepted claims and
rejections.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from simulator.models import ClaimKind, Relationship
from simulator.samples import sample_claim, sample_coverage, sample_line, sample_patient, sample_provider
from simulator.x12 import frontend
from simulator.x12.claim837 import write_837
from simulator.x12.cleanset import read_clean_set
from simulator.x12.envelope import ControlNumbers, Party, read_interchange
from simulator.x12.frontend import FrontEndResult, receive_837
from simulator.x12.read837 import read_837
from simulator.x12.segments import Segment
from tests.simulator.x12.claim_strategies import claim_lists
from tests.simulator.x12.test_frontend_fuzz import mutated

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
RECEIVED = date(2026, 3, 10)


def _write(claims) -> str:
    return write_837(
        claims,
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 3, 9, 8, 0),
        numbers=ControlNumbers(),
    )


def _answer(result: FrontEndResult) -> tuple:
    return (
        result.ta1,
        result.ta1_text,
        result.acks,
        result.ack999,
        result.accepted,
        result.rejected,
        result.problems,
        result.internal_error,
    )


def _both(text: str, monkeypatch: pytest.MonkeyPatch, received: date = RECEIVED) -> tuple[tuple, tuple]:
    with_clean = _answer(receive_837(text, received))
    with monkeypatch.context() as patch:
        patch.setattr(frontend, "read_clean_set", lambda *args: None)
        without = _answer(receive_837(text, received))
    return with_clean, without


def _body(text: str):
    tx = read_interchange(text).transactions[0]
    return tx.body, "X223" in tx.version


def _typical_claims():
    billing = sample_provider(1)
    return [
        sample_claim(claim_id="P1", billing_provider=billing),
        sample_claim(claim_id="P2", billing_provider=billing, rendering_provider=sample_provider(3)),
        sample_claim(
            claim_id="P3",
            billing_provider=billing,
            referring_provider=sample_provider(4),
            patient=sample_patient(patient_id="CHILD1", first_name="Sam", birth_date=date(2015, 6, 1)),
            coverage=sample_coverage(relationship=Relationship.CHILD),
            lines=(sample_line(), sample_line(2, procedure_code="80053", charge=4000)),
        ),
        sample_claim(claim_id="C4", frequency="7", payer_claim_number="P77"),
        sample_claim(
            claim_id="I5",
            kind=ClaimKind.INSTITUTIONAL,
            type_of_bill="131",
            lines=(sample_line(revenue_code="0450"),),
        ),
    ]


def test_a_clean_file_is_read_whole_by_the_clean_reader() -> None:
    """Professional claims with shared loops, a patient loop, providers and a correction: read clean."""
    claims = [c for c in _typical_claims() if c.kind == ClaimKind.PROFESSIONAL]
    text = _write(claims)
    body, institutional = _body(text)
    read = read_clean_set(body, institutional, RECEIVED)
    assert read is not None
    assert read == read_837(text)
    assert [c.claim_id for c in read] == ["P1", "P2", "P3", "C4"]
    assert read[2].coverage.relationship == Relationship.CHILD and read[2].patient.first_name == "Sam"
    assert read[1].rendering_provider.npi == "1000000038" and read[2].referring_provider.npi == "1000000046"


def test_an_institutional_file_is_read_clean() -> None:
    text = _write([c for c in _typical_claims() if c.kind == ClaimKind.INSTITUTIONAL])
    body, institutional = _body(text)
    assert institutional
    read = read_clean_set(body, institutional, RECEIVED)
    assert read == read_837(text) and len(read) == 1


@pytest.mark.parametrize(
    ("change", "handed_back", "why"),
    [
        (lambda t: t.replace("*XX*1000000012", "*XX*1000000013"), "P1 P2 P3 C4", "billing NPI check digit"),
        (lambda t: t.replace("ABK:E119", "ABK:E11", 1), "P1", "diagnosis that is not billable"),
        (
            lambda t: t.replace("D8*20260302~REF*6R*1~CLM*P2", "D8*20260320~REF*6R*1~CLM*P2"),
            "P1",
            "a future date",
        ),
        (lambda t: t.replace("CLM*P1*150*", "CLM*P1*151*"), "P1", "CLM02 not the sum of the lines"),
        (lambda t: t.replace("REF*F8*P77~", "REF*G1*A1~"), "C4", "a correction without REF*F8"),
        (lambda t: t.replace("REF*EI*370000001", "REF*EI*37000000"), "P1 P2 P3 C4", "tax id not nine digits"),
    ],
)
def test_a_claim_with_a_problem_is_handed_back_by_its_clm(
    change, handed_back: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clean reader never decides a rejection: it hands the claim back, and the answer is the same."""
    text = _write([c for c in _typical_claims() if c.kind == ClaimKind.PROFESSIONAL])
    changed = change(text)
    assert changed != text, why
    body, institutional = _body(changed)
    read = read_clean_set(body, institutional, RECEIVED)
    assert read is not None, why
    assert [item[1] for item in read if isinstance(item, Segment)] == handed_back.split(), why
    with_clean, without = _both(changed, monkeypatch)
    assert with_clean == without
    assert {r.claim_id for r in with_clean[5]} == set(handed_back.split())


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda t: t.replace("SBR*P*18", "SBR*Q*18"), "syntax: SBR01 code"),
        (lambda t: t.replace("~CLM*P2", "~LQ*UT*01.02~CLM*P2"), "an unplaced loop"),
        (lambda t: t.replace("~HI*ABK:E119~LX*1~SV1*HC:99213*150", "~LX*1~SV1*HC:99213*150", 1), "no HI"),
    ],
)
def test_a_set_not_plainly_clean_goes_to_the_full_front_end(
    change, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _write([c for c in _typical_claims() if c.kind == ClaimKind.PROFESSIONAL])
    changed = change(text)
    assert changed != text, why
    body, institutional = _body(changed)
    assert read_clean_set(body, institutional, RECEIVED) is None, why
    with_clean, without = _both(changed, monkeypatch)
    assert with_clean == without


def test_secondary_claims_are_read_clean_with_their_other_payers(monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.models import Adjustment, OtherPayer

    other = OtherPayer(
        payer_id="medicare",
        paid=9000,
        adjudication_date=date(2026, 3, 5),
        line_adjustments=((1, (Adjustment(group="CO", carc="45", amount=6000, rule="x"),)),),
    )
    text = _write([sample_claim(claim_id="S1", other_payers=(other,))])
    body, institutional = _body(text)
    read = read_clean_set(body, institutional, RECEIVED)
    assert read is not None and read == read_837(text)
    assert read[0].other_payers[0].paid == 9000
    assert read[0].other_payers[0].line_adjustments[0][1][0].amount == 6000
    with_clean, without = _both(text, monkeypatch)
    assert with_clean == without and len(with_clean[4]) == 1


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_lists())
def test_generated_files_get_the_same_answer(claims) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        with_clean, without = _both(_write(claims), monkeypatch)
    assert with_clean == without


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_files_get_the_same_answer(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        with_clean, without = _both(text, monkeypatch)
    assert with_clean == without


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/x12-samples is not beside the repository")
def test_sample_837s_get_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(SAMPLES.glob("837*.edi"))
    assert files
    for path in files:
        text = path.read_text()
        for received in (date(2026, 3, 10), date(2005, 1, 1)):
            with_clean, without = _both(text, monkeypatch, received)
            assert with_clean == without, path.name


def _insert(text: str, after: str, new: str) -> str:
    """``new`` segments put after the first ``after``, with SE01 counting them."""
    assert after in text
    head, se, tail = text.replace(after, after + new, 1).partition("~SE*")
    count, _, rest = tail.partition("*")
    return head + se + f"{int(count) + new.count('~')}*" + rest


@pytest.mark.parametrize(
    ("after", "new"),
    [
        ("REF*6R*1~", "LIN**N4*00002143380~CTP****1*UN~"),
        ("~HI*ABK:E119~", "NTE*ADD*SEEN IN CLINIC~"),
        ("~HI*ABK:E119~", "NM1*77*2*CLINIC*****XX*1000000012~N3*1 MAIN ST~N4*SPRINGFIELD*IL*62701~"),
        ("REF*6R*1~", "NM1*DK*1*SMITH*ANN****XX*1000000038~"),
    ],
)
def test_usual_extra_loops_are_read_clean(after: str, new: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drug (2410), facility (2310C), ordering provider (2420E) and notes do not stop the clean reader."""
    text = _insert(_write([sample_claim(claim_id="X1")]), after, new)
    body, institutional = _body(text)
    read = read_clean_set(body, institutional, RECEIVED)
    assert read is not None and len(read) == 1 and not isinstance(read[0], Segment)
    with_clean, without = _both(text, monkeypatch)
    assert with_clean == without and len(with_clean[4]) == 1 and not with_clean[6]
