"""Tests for the patient panel: people built without validation equal validated ones."""

from __future__ import annotations

from simulator.engine.world import World
from simulator.models import Address, Coverage, Patient, Subscriber
from simulator.scenario import load_scenario


def _validated(model):
    """The model validation gives from the fields ``model`` marks as given (nested ones likewise)."""
    cls = type(model)
    given = {}
    for name in model.model_fields_set:
        value = getattr(model, name)
        given[name] = _validated(value) if isinstance(value, Address | Subscriber) else value
    return cls(**given)


def test_people_equal_their_validated_selves():
    """Every person's patient and coverages equal, field for field, what validation would build."""
    world = World(load_scenario("community_practice"))
    for index in range(300):
        person = world.panel.person(index)
        coverages = [person.actual] + ([person.secondary] if person.secondary else [])
        for model in (person.patient, person.patient.address, *coverages):
            validated = _validated(model)
            assert model == validated
            assert model.model_dump_json() == validated.model_dump_json()
            assert model.model_fields_set == validated.model_fields_set
        assert isinstance(person.patient, Patient) and isinstance(person.actual, Coverage)
        assert person.actual.subscriber.address is person.patient.address


# fmt: off
US_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID",
    "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO",
    "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
    "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
))
# fmt: on


def test_patients_live_in_the_states_and_dc():
    """Addresses use the 50 states and DC: X12 state codes have no Palau, Marshall Islands or
    Micronesia, which the address generator offers unless told not to."""
    world = World(load_scenario("quick"))
    states = {world.panel.person(index).patient.address.state for index in range(2000)}
    assert states <= US_STATES and len(states) > 40
