"""The 837 loop tree: HL levels, claim loops, other-payer and line-adjudication loops."""

from __future__ import annotations

from datetime import date, datetime

from simulator.models import Adjustment, OtherPayer, Relationship
from simulator.samples import sample_claim, sample_patient, sample_provider
from simulator.x12.claim837 import write_837
from simulator.x12.envelope import ControlNumbers, Party, read_interchange
from simulator.x12.loops import build_837_tree


def tree_of(claims: list) -> object:
    """The loop tree of the first transaction set of an 837 holding ``claims``."""
    text = write_837(
        claims,
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 3, 2),
        numbers=ControlNumbers(),
    )
    return build_837_tree(read_interchange(text).transactions[0].body)


def test_secondary_claim_loops() -> None:
    """A secondary claim for a dependant has 2000A/B/C, 2300, 2310B, 2320, 2330A/B, 2400 and 2430."""
    other = OtherPayer(
        payer_id="medicare",
        paid=100,
        adjudication_date=date(2026, 3, 5),
        line_adjustments=((1, (Adjustment(group="CO", carc="45", amount=50, rule="x"),)),),
    )
    claim = sample_claim(
        other_payers=(other,),
        rendering_provider=sample_provider(2),
        patient=sample_patient(patient_id="KID", first_name="Tim"),
    )
    claim = claim.model_copy(
        update={"coverage": claim.coverage.model_copy(update={"relationship": Relationship.CHILD})}
    )
    root = tree_of([claim])
    ids = [loop.id for loop in root.walk()]
    assert ids == [
        "ST",
        "1000A",
        "1000B",
        "2000A",
        "2010AA",
        "2000B",
        "2010BA",
        "2010BB",
        "2000C",
        "2010CA",
        "2300",
        "2310B",
        "2320",
        "2330A",
        "2330B",
        "2400",
        "2430",
    ]
    [line] = [loop for loop in root.walk() if loop.id == "2400"]
    assert [seg.tag for seg in line.child("2430").segments] == ["SVD", "CAS", "DTP"]


def test_misplaced_segments_stay_where_they_appear() -> None:
    """A CLM before any HL starts no loop: it stays in the header for the edits to report."""
    root = tree_of([sample_claim()])
    assert [loop.id for loop in root.children] == ["1000A", "1000B", "2000A"]
    from simulator.x12.segments import Segment

    odd = build_837_tree([Segment(("BHT",), 2), Segment(("CLM", "X", "1"), 3), Segment(("LX", "1"), 4)])
    assert odd.children == [] and [s.tag for s in odd.segments] == ["BHT", "CLM", "LX"]
