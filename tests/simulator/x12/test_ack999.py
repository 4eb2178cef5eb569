"""999 and TA1 writers and readers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from simulator.x12.ack999 import ElementError, GroupAck, SegmentError, TransactionAck, read_999, write_999
from simulator.x12.envelope import ControlNumbers, Party, read_interchange
from simulator.x12.ta1 import Ta1, read_ta1, write_ta1
from tests.simulator.x12.pyx12_harness import validate

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
WHEN = datetime(2026, 3, 2, 12, 0)


def write(groups: list[GroupAck]) -> str:
    """A 999 interchange from PAYER to SUB."""
    return write_999(
        groups, sender=Party("PAYER"), receiver=Party("SUB"), when=WHEN, numbers=ControlNumbers()
    )


def detailed_group() -> GroupAck:
    """One rejected set with an element error inside a claim, one accepted set."""
    error = SegmentError(
        "CLM",
        23,
        "2300",
        "8",
        "CLM02 is not a number",
        claim_id="PCN1",
        elements=(ElementError(2, "6", "782", "1O0"),),
    )
    composite = SegmentError(
        "SV1", 30, "2400", "8", elements=(ElementError(1, "7", "235", "XX", component=1),)
    )
    bad = TransactionAck("837", "0001", "005010X222A1", "R", ("5",), (error, composite))
    good = TransactionAck("837", "0002", "005010X222A1")
    return GroupAck("HC", "17", "005010X222A1", (bad, good), included=2)


def test_999_names_segment_element_and_claim() -> None:
    """IK3 names segment, position and loop; CTX the claim; IK4 the element, code and value."""
    text = write([detailed_group()])
    assert "IK3*CLM*23*2300*8~CTX*CLM01:PCN1~IK4*2*782*6*1O0~" in text
    assert "IK4*1:1*235*7*XX~" in text
    assert "IK5*R*5~" in text and "IK5*A~" in text and "AK9*P*2*2*1~" in text
    assert validate(text).ok, validate(text).describe()


def test_999_copies_a_bad_value_only_in_characters_x12_allows() -> None:
    """IK404 drops delimiters, control and non-ASCII characters of the value it copies."""
    bad = ElementError(3, "6", "1035", "M\u00fcller*\x07~Jo:")
    error = SegmentError("NM1", 5, "2010BA", "8", elements=(bad,))
    rejected = TransactionAck("837", "0001", "005010X222A1", "R", ("5",), (error,))
    text = write([GroupAck("HC", "1", "005010X222A1", (rejected,), included=1)])
    assert "IK4*3*1035*6*MllerJo~" in text
    assert text.isascii() and "\x07" not in text
    assert validate(text).ok, validate(text).describe()


def test_999_round_trip() -> None:
    """read_999 gives back what write_999 was given (messages are not transmitted)."""
    assert read_999(write([detailed_group()])) == [detailed_group()]


@pytest.mark.parametrize(
    ("transactions", "codes", "rejected", "status"),
    [
        ((TransactionAck("837", "1", "v"),), (), False, "A"),
        ((TransactionAck("837", "1", "v", "R", ("4",)),), (), False, "R"),
        ((), ("5",), True, "R"),
        ((TransactionAck("837", "1", "v", "E"),), (), False, "E"),
    ],
)
def test_group_status(transactions: tuple, codes: tuple, rejected: bool, status: str) -> None:
    """AK901 follows from the sets: all accepted A, with errors E, some rejected P, none R."""
    assert GroupAck("HC", "1", "v", transactions, codes=codes, rejected=rejected).status == status


def test_rejected_group_round_trips_its_received_count() -> None:
    """A group rejected whole reports the sets it received in AK903 and reads back the same."""
    group = GroupAck("HC", "7", "005010X222A1", included=2, codes=("5",), rejected=True, received=1)
    text = write([group])
    assert "~AK9*R*2*1*0*5~" in text
    assert read_999(text) == [group]
    assert GroupAck("HC", "7", "v", (TransactionAck("837", "1", "v"),)).received_count == 1


def test_one_999_per_group() -> None:
    """Two groups get two 999 sets in one interchange."""
    text = write([detailed_group(), GroupAck("HC", "18", "005010X223A2", (TransactionAck("837", "9", "x"),))])
    assert [tx.set_id for tx in read_interchange(text).transactions] == ["999", "999"]
    assert [g.control_number for g in read_999(text)] == ["17", "18"]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}")
def test_reads_public_999_sample() -> None:
    """The public 999 (with a BOM) reads into group acknowledgements."""
    groups = read_999((SAMPLES / "999-response-to-3-837s.edi").read_bytes())
    assert groups and all(g.transactions for g in groups)


def test_ta1_round_trip() -> None:
    """A TA1 travels in its own interchange with IEA01 = 0 and reads back."""
    ta1 = Ta1("000000005", "260302", "1200", "R", "021")
    text = write_ta1(ta1, sender=Party("PAYER"), receiver=Party("SUB"), when=WHEN, numbers=ControlNumbers())
    assert "~TA1*000000005*260302*1200*R*021~IEA*0*000000001~" in text
    assert read_ta1(text) == [ta1]
    assert "groups" in ta1.description


def test_echoes_of_junk_stay_well_formed() -> None:
    """A junk GS01, a one-letter segment id and a composite element still give a valid 999."""
    error = SegmentError("X", 4, "2300", "1")
    composite = SegmentError("SV1", 9, "2400", "8", elements=(ElementError(1, "7", "", "ZZ:1"),))
    group = GroupAck(
        "h!",
        "12",
        "005010X222A1",
        (TransactionAck("837", "0001", "005010X222A1", "R", ("5",), (error, composite)),),
    )
    text = write([group])
    assert "AK1*HC*12*005010X222A1~" in text and "IK3*UNK*4*2300*1~" in text and "IK4*1**7*ZZ1~" in text
    assert validate(text).ok, validate(text).describe()
