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
