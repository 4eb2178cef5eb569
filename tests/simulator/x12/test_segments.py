"""Tokenizer and delimiters: any delimiters, line breaks or not, BOM or not."""

from __future__ import annotations

import pytest

from simulator.x12.segments import (
    DEFAULT,
    Delimiters,
    Segment,
    X12SyntaxError,
    render_segment,
    segment_text,
    tokenize,
)

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*260302*1200*^*00501*000000001*0*P*:~"
)
BODY = (
    "GS*HC*S*R*20260302*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~"
    "CLM*A1*100***11:B:1~SE*3*0001~GE*1*1~IEA*1*000000001~"
)


def convert(text: str, element: str, component: str, repetition: str, segment: str) -> str:
    """Re-delimit text written with the default delimiters."""
    table = str.maketrans({"*": element, ":": component, "^": repetition, "~": segment})
    return text.translate(table)


def test_default_delimiters_come_from_the_isa() -> None:
    """The four delimiters are read from fixed ISA positions."""
    delimiters, segments = tokenize(ISA + BODY)
    assert delimiters == DEFAULT
    assert [s.tag for s in segments] == ["ISA", "GS", "ST", "CLM", "SE", "GE", "IEA"]
    assert segments[3].components(5) == ("11", "B", "1")
    assert segments[0][6] == "SENDER" and segments[0][16] == ":"


@pytest.mark.parametrize("delims", [("|", ">", "{", "\n"), ("!", "^", "`", "'"), ("*", ">", "^", "~")])
def test_any_delimiters(delims: tuple[str, str, str, str]) -> None:
    """Other delimiter choices tokenize to the same elements."""
    text = convert(ISA + BODY, *delims)
    delimiters, segments = tokenize(text)
    assert delimiters == Delimiters(*delims)
    assert segments[3].elements == ("CLM", "A1", "100", "", "", f"11{delims[1]}B{delims[1]}1")
    assert segments[3].components(5) == ("11", "B", "1")


def test_line_breaks_and_bom_are_ignored() -> None:
    """CRLF after each segment and a UTF-8 BOM change nothing."""
    plain = tokenize(ISA + BODY)[1]
    broken = tokenize(("\ufeff" + (ISA + BODY).replace("~", "~\r\n")).encode("utf-8"))[1]
    assert [s.elements for s in broken] == [s.elements for s in plain]
    assert [s.position for s in broken] == list(range(1, len(plain) + 1))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GS*HC~", "024"),
        ("ISA*00*short~", "023"),
        (ISA.replace("*", "A"), "026"),
        (ISA[:-2] + "*~" + BODY, "027"),
    ],
)
def test_unreadable_isa_names_the_problem(text: str, code: str) -> None:
    """Text without a readable ISA raises with the TA1 note code."""
    with pytest.raises(X12SyntaxError) as caught:
        tokenize(text)
    assert caught.value.ta1_code == code


def test_render_drops_trailing_empties_and_joins_composites() -> None:
    """Trailing empty elements and components go; tuples become composites."""
    assert render_segment(("SV1", ("HC", "99213", "", ""), "150", "UN", "1", "", "", ("1", "2"), "", "")) == (
        "SV1*HC:99213*150*UN*1***1:2~"
    )
    seg = Segment(("NM1", "85", "2"))
    assert seg[9] == "" and seg.component(1, 2) == "" and seg.to_x12() == "NM1*85*2~"


@pytest.mark.parametrize(
    "elements",
    [
        ("REF", "1K", "PCN1"),
        ("NM1", "QC", "1", "DOE", "", "", "", "", "MI", ""),
        ("SVC", "HC:99213", "150", "0", ""),
    ],
)
def test_segment_text_ends_a_segment_as_render_segment_does(elements):
    """A segment joined by hand with ``*`` and ended by segment_text equals render_segment's output."""
    assert segment_text("*".join(elements)) == render_segment(elements)
