"""Tests for coding: prebuilt claims equal validated ones, whatever defect they carry."""

from __future__ import annotations

from datetime import date

from simulator.engine.world import World
from simulator.models import Claim, ServiceLine
from simulator.scenario import Defect, load_scenario


def _validated(claim: Claim) -> Claim:
    """The claim validation gives from the fields ``claim`` marks as given, its lines validated too."""
    given = {name: getattr(claim, name) for name in claim.model_fields_set}
    given["lines"] = tuple(
        ServiceLine(**{name: getattr(line, name) for name in line.model_fields_set}) for line in claim.lines
    )
    return Claim(**given)


def test_claims_equal_their_validated_selves_for_every_defect():
    """Claims of every group with every defect equal validation of the same values, total included."""
    world = World(load_scenario("community_practice"))
    seen = set()
    for number in range(240):
        defect = list(Defect)[number % len(Defect)].value
        group = number % len(world.scenario.providers)
        person = world.panel.person(number)
        rng = world.streams.stream("coding", f"T{number}")
        claim, applied = world.coder.code(
            f"T{number}", group, date(2025, 3, 3), person, person.on_file, defect, rng
        )
        seen.add(applied)
        validated = _validated(claim)
        assert claim == validated
        assert claim.model_dump_json() == validated.model_dump_json()
        assert claim.model_fields_set == validated.model_fields_set
        assert claim.total_charge == sum(line.charge for line in claim.lines)
    assert len(seen) >= 6
