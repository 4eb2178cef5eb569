"""The one-pass picker picks, for every claim, the very segments the loop tree gives the reader."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings

from simulator.x12.claim837 import write_837
from simulator.x12.cleanpass import NotClean, pick_claims
from simulator.x12.envelope import ControlNumbers, Party, read_interchanges
from simulator.x12.read837 import claim_from_segments, claim_loops, claim_segments
from simulator.x12.segments import Segment
from tests.simulator.x12.claim_strategies import claim_lists


def _sets(claims):
    text = write_837(
        claims,
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 3, 9, 8, 0),
        numbers=ControlNumbers(),
    )
    return [tx for interchange in read_interchanges(text) for tx in interchange.transactions]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_lists())
def test_the_pass_picks_what_the_loop_tree_gives(claims) -> None:
    """Every set our writer makes is taken, and each claim's segments are those of the loop tree."""
    for tx in _sets(claims):
        picked = pick_claims(tx.body, "X223" in tx.version)
        from_tree = [claim_segments(loops) for loops in claim_loops(tx)]
        assert [p.segments for p in picked] == from_tree
        # other-payer loops are kept as loops: the claims read from them are the same
        for one, tree in zip(picked, from_tree, strict=True):
            assert claim_from_segments(one.segments).other_payers == claim_from_segments(tree).other_payers


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("BHT*0019*00*1*20260309*0800*CH~NM1*40*2*R*****46*R", "no submitter loop"),
        ("BHT*0019*00*1*20260309*0800*CH~NM1*41*2*S*****46*S~NM1*40*2*R*****46*R", "no billing provider"),
        ("BHT*0019*00*1*20260309*0800*CH~NM1*41*2*S*****46*S~NM1*40*2*R*****46*R~HL*1**22*0", "HL 22 first"),
    ],
)
def test_the_pass_refuses_what_it_cannot_place(body: str, why: str) -> None:
    segments = [Segment(text.split("*"), position) for position, text in enumerate(body.split("~"), 2)]
    with pytest.raises(NotClean):  # the set goes to the full front end, which names the problem
        pick_claims(segments, institutional=False)
