"""Garbage and mutated interchanges never crash the front end, and every claim is accounted for.

Each case ends in parsed claims or a TA1, 999 or 277CA-style rejection that names the problem:
- a rejecting TA1 comes alone (no 999, no claims) and carries a note code and message;
- otherwise each transaction set is acknowledged, and every CLM in an accepted set is either
  accepted or rejected with a message;
- if any claim of the original file is missing from the accepted ones, some problem is named.
"""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.models import Adjustment, Claim, ClaimKind, OtherPayer
from simulator.samples import sample_claim, sample_line, sample_provider
from simulator.x12.claim837 import INSTITUTIONAL_VERSION, PROFESSIONAL_VERSION, Submitter, claims_837_body
from simulator.x12.envelope import (
    ControlNumbers,
    Party,
    TransactionBody,
    read_interchanges,
    write_interchange,
)
from simulator.x12.frontend import FrontEndResult, receive_837
from simulator.x12.segments import Delimiters, X12SyntaxError

RECEIVED = date(2026, 3, 10)


def _bases() -> list[str]:
    other = OtherPayer(
        payer_id="medicare",
        paid=9000,
        adjudication_date=date(2026, 3, 5),
        line_adjustments=((1, (Adjustment(group="CO", carc="45", amount=6000, rule="x"),)),),
    )
    claims = [
        sample_claim(),
        sample_claim(claim_id="B2", other_payers=(other,), rendering_provider=sample_provider(3)),
        sample_claim(
            claim_id="C3",
            frequency="7",
            payer_claim_number="P77",
            lines=(sample_line(), sample_line(2, procedure_code="80053", charge=4000)),
        ),
        sample_claim(
            claim_id="I4",
            kind=ClaimKind.INSTITUTIONAL,
            type_of_bill="131",
            lines=(sample_line(revenue_code="0450"),),
        ),
    ]
    return [_write(claims, Delimiters(), False), _write(claims, Delimiters("|", ">", "{", "'"), True)]


def _write(claims: list[Claim], delimiters: Delimiters, breaks: bool) -> str:
    """One transaction set per claim, so that a mutation spoils one set and spares the others."""
    when = datetime(2026, 3, 9, 8, 0)
    bodies = []
    for claim in claims:
        version = INSTITUTIONAL_VERSION if claim.kind == ClaimKind.INSTITUTIONAL else PROFESSIONAL_VERSION
        bodies.append(TransactionBody("837", version, "HC", claims_837_body([claim], when, Submitter(), "1")))
    return write_interchange(
        bodies,
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=when,
        numbers=ControlNumbers(),
        delimiters=delimiters,
        line_breaks=breaks,
    )


BASES = _bases()
CHARS = st.sampled_from(list("*~:^|>{'\n0123456789ABCZ.-\x00 é"))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A base interchange with one to three mutations, or plain garbage."""
    if draw(st.integers(0, 19)) == 0:
        return draw(
            st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
        )
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 3))):
        text = draw(_one_mutation(text))
    return text


def _one_mutation(text: str) -> st.SearchStrategy[str]:
    terminator = text[105] if len(text) > 105 else "~"
    element = text[3] if len(text) > 3 else "*"
    segments = text.split(terminator)
    n = max(len(text), 1)

    def truncate(i: int) -> str:
        return text[:i]

    def replace_char(i: int, c: str) -> str:
        return text[:i] + c + text[i + 1 :]

    def delete_range(i: int, k: int) -> str:
        return text[:i] + text[i + k :]

    def drop_segment(i: int) -> str:
        return terminator.join(segments[:i] + segments[i + 1 :])

    def duplicate_segment(i: int) -> str:
        return terminator.join(segments[: i + 1] + segments[i:])

    def swap_segments(i: int, j: int) -> str:
        s = list(segments)
        s[i], s[j] = s[j], s[i]
        return terminator.join(s)

    def set_element(i: int, e: int, value: str) -> str:
        parts = segments[i].split(element)
        if e < len(parts):
            parts[e] = value
        s = list(segments)
        s[i] = element.join(parts)
        return terminator.join(s)

    last = max(len(segments) - 1, 0)
    values = st.one_of(
        st.sampled_from(
            [
                "",
                "X",
                "-5",
                "1.2.3",
                "99999999999999999999",
                "20261399",
                "ZZ",
                "0",
                "1000000013",
                "E11",
                "A0",
                "12.345",
                "abc*def",
                "9",
            ]
        ),
        st.text(alphabet="0123456789.-ABZ", max_size=8),
    )
    return st.one_of(
        st.integers(0, n).map(truncate),
        st.builds(replace_char, st.integers(0, n - 1), CHARS),
        st.builds(delete_range, st.integers(0, n - 1), st.integers(1, 40)),
        st.integers(0, last).map(drop_segment),
        st.integers(0, last).map(duplicate_segment),
        st.builds(swap_segments, st.integers(0, last), st.integers(0, last)),
        st.builds(set_element, st.integers(0, last), st.integers(1, 9), values),
    )


def _claims_in_accepted_sets(text: str, result: FrontEndResult) -> int | None:
    """CLM segments in the transaction sets the 999 accepted (None when the file cannot be matched)."""
    try:
        interchanges = read_interchanges(text)
    except X12SyntaxError:
        return None
    acks = iter(result.acks)
    total = 0
    for interchange in interchanges:
        if interchange.problems:  # rejected by its TA1: no 999, no claims
            continue
        for group in interchange.groups:
            ack = next(acks, None)
            if ack is None:
                return None
            if ack.status == "R" and not ack.transactions:
                continue
            for tx, tx_ack in zip(group.transactions, ack.transactions, strict=False):
                if tx_ack.accepted:
                    total += sum(1 for seg in tx.body if seg.tag == "CLM")
    return total


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_interchanges_never_raise_and_name_their_problem(text: str) -> None:
    """receive_837 answers every input; rejections name the problem; no claim is lost or doubled."""
    result = receive_837(text, RECEIVED)
    assert result.internal_error is None, result.internal_error
    if result.ta1 is not None and result.ta1.ack_code == "R":
        assert result.ta1.note_code and result.ta1.description
        assert result.ta1_text and "TA1" in result.ta1_text
    assert result.ack999 is not None or not result.acks
    for group in result.acks:
        for tx in group.transactions:
            assert tx.status in ("A", "R")
            if tx.status == "R":
                assert tx.codes and (tx.errors or set(tx.codes) - {"5"})
                assert all(e.message for e in tx.errors)
    for rejected in result.rejected:
        assert rejected.rejections and all(r.message and r.category and r.status for r in rejected.rejections)
    in_sets = _claims_in_accepted_sets(text, result)
    if in_sets is not None:
        assert len(result.accepted) + len(result.rejected) == in_sets
    if len(result.accepted) < 4 and text in BASES:
        raise AssertionError("an unchanged base file lost claims")
    if len(result.accepted) < 4:
        assert result.problems, "claims went missing without a named problem"
