"""Envelopes: counts, deterministic control numbers, and problems kept for TA1/999."""

from __future__ import annotations

from datetime import datetime

import pytest

from simulator.x12.envelope import ControlNumbers, Party, TransactionBody, read_interchange, write_interchange
from simulator.x12.segments import Delimiters

WHEN = datetime(2026, 3, 2, 9, 5)
BODY = TransactionBody("837", "005010X222A1", "HC", [("BHT", "0019", "00", "B1", "20260302", "0905", "CH")])
ACK = TransactionBody("999", "005010X231A1", "FA", [("AK1", "HC", "1", "005010X222A1")])


def write(bodies: list[TransactionBody], numbers: ControlNumbers, **kwargs) -> str:
    """Write an interchange from S to R at WHEN."""
    return write_interchange(
        bodies, sender=Party("S"), receiver=Party("R"), when=WHEN, numbers=numbers, **kwargs
    )


def test_counts_and_control_numbers() -> None:
    """SE01, GE01 and IEA01 are counted; control numbers match header and trailer."""
    text = write([BODY, BODY, ACK], ControlNumbers())
    interchange = read_interchange(text)
    assert not interchange.problems
    assert [len(g.transactions) for g in interchange.groups] == [2, 1]
    assert [g.control_number for g in interchange.groups] == ["1", "2"]
    assert [tx.control_number for tx in interchange.transactions] == ["0001", "0002", "0003"]
    assert all(not tx.problems and tx.se[1] == "3" for tx in interchange.transactions)
    assert "*260302*0905*" in text and "GS*HC*S*R*20260302*0905*1*X*005010X222A1~" in text
    assert text.endswith("IEA*2*000000001~")


def test_control_numbers_are_deterministic_per_sender() -> None:
    """Same calls, same numbers; each sender has its own counters; state round-trips."""
    numbers = ControlNumbers(start=41)
    first = write([BODY], numbers)
    second = write([BODY], numbers)
    assert write([BODY], ControlNumbers(start=41)) == first
    assert read_interchange(second).control_number == "000000042"
    other = write_interchange([BODY], sender=Party("T"), receiver=Party("R"), when=WHEN, numbers=numbers)
    assert read_interchange(other).control_number == "000000041"
    restored = ControlNumbers(state=numbers.state())
    assert restored.peek("S", "interchange") == 43 and restored.peek("T", "group") == 42


def test_numbers_ahead_are_the_ones_next_takes_and_wrap_like_them() -> None:
    """``ahead`` foretells ``next`` without taking anything, past the 999,999,999 wrap too."""
    numbers = ControlNumbers(start=999_999_998)
    assert numbers.ahead("S", "transaction", 3) == [999_999_998, 999_999_999, 1]
    assert [numbers.next("S", "transaction") for _ in range(3)] == [999_999_998, 999_999_999, 1]
    text = write([BODY, BODY], numbers)
    assert [s.split("*")[2] for s in text.split("~") if s.startswith("ST*")] == ["0002", "0003"]


def test_other_delimiters_and_line_breaks_read_back() -> None:
    """An interchange written with other delimiters and line breaks reads back the same."""
    text = write([BODY], ControlNumbers(), delimiters=Delimiters("|", ">", "{", "'"), line_breaks=True)
    assert text.startswith("ISA|00|") and "\n" in text
    interchange = read_interchange(text)
    assert interchange.transactions[0].body[0].elements == BODY.segments[0]


@pytest.mark.parametrize(
    ("old", "new", "level", "code"),
    [
        ("IEA*1*000000001", "IEA*1*000000009", "interchange", "001"),
        ("IEA*1*", "IEA*3*", "interchange", "021"),
        ("GE*1*1", "GE*2*1", "group", "5"),
        ("GE*1*1", "GE*1*7", "group", "4"),
        ("SE*3*0001", "SE*4*0001", "transaction", "4"),
        ("SE*3*0001", "SE*3*0002", "transaction", "3"),
    ],
)
def test_mismatched_trailers_are_reported(old: str, new: str, level: str, code: str) -> None:
    """Each trailer mismatch is kept as a problem with its TA1 or 999 code."""
    text = write([BODY], ControlNumbers()).replace(old, new)
    interchange = read_interchange(text)
    found = {
        "interchange": interchange.problems,
        "group": interchange.groups[0].problems,
        "transaction": interchange.transactions[0].problems,
    }[level]
    assert [p.code for p in found] == [code]
    assert found[0].message


def test_missing_trailers_are_reported() -> None:
    """A file cut before SE, GE and IEA reports each missing trailer."""
    text = write([BODY], ControlNumbers())
    interchange = read_interchange(text[: text.index("SE*")])
    assert [p.code for p in interchange.problems] == ["023"]
    assert [p.code for p in interchange.groups[0].problems] == ["3"]
    assert [p.code for p in interchange.transactions[0].problems] == ["2"]


def test_bad_isa_fields_are_reported() -> None:
    """An invalid ISA date and usage indicator are TA1 problems."""
    text = write([BODY], ControlNumbers()).replace("*260302*", "*261302*").replace("*0*P*", "*0*X*")
    assert [p.code for p in read_interchange(text).problems] == ["014", "020"]


def test_writer_refuses_bad_arguments() -> None:
    """No bodies, a bad usage indicator or clashing delimiters are refused by name."""
    with pytest.raises(ValueError, match="at least one"):
        write([], ControlNumbers())
    with pytest.raises(ValueError, match="usage"):
        write([BODY], ControlNumbers(), usage="X")
    with pytest.raises(ValueError, match="distinct"):
        write([BODY], ControlNumbers(), delimiters=Delimiters("*", "*", "^", "~"))


def test_segments_given_as_text_are_written_as_they_are_and_counted() -> None:
    """A segment given as rendered text is written unchanged beside element tuples and counted in SE01."""
    body = TransactionBody(
        "837", "005010X222A1", "HC", [BODY.segments[0], "NM1*41*2*ACME BILLING*****46*ACME01~"]
    )
    text = write([body], ControlNumbers())
    assert "~BHT*0019*00*B1*20260302*0905*CH~NM1*41*2*ACME BILLING*****46*ACME01~SE*4*0001~" in text
    interchange = read_interchange(text)
    assert not interchange.problems and not interchange.transactions[0].problems
