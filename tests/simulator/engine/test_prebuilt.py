"""Tests for prebuilt models: the same model validation would give, without validating."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.engine.prebuilt import prebuilt
from simulator.models import Address, Coverage, Gender, Patient, Subscriber


def _address(**extra) -> dict:
    return {"line1": "12 Elm St", "city": "Springfield", "state": "IL", "postal_code": "62701"} | extra


def test_equals_the_validated_model_field_for_field():
    """Values, defaults, field order and the fields marked as given match validation."""
    built = prebuilt(Address, **_address())
    validated = Address(**_address())
    assert built == validated
    assert list(built.model_dump()) == list(validated.model_dump())
    assert built.model_fields_set == validated.model_fields_set == set(_address())
    assert built.line2 is None


def test_nested_models_and_enums_compare_equal():
    """A coverage built from prebuilt parts equals one validated from the same values."""
    address = prebuilt(Address, **_address())
    person = {
        "first_name": "Ann",
        "last_name": "Lee",
        "birth_date": date(1950, 3, 1),
        "gender": Gender.FEMALE,
    }
    subscriber = prebuilt(Subscriber, member_id="M1", address=address, **person)
    coverage = prebuilt(
        Coverage,
        payer_id="medicare",
        plan_id="MCR-B",
        member_id="M1",
        effective_date=date(2020, 1, 1),
        subscriber=subscriber,
    )
    validated = Coverage.model_validate(coverage.model_dump())
    assert coverage == validated
    assert coverage.model_dump_json() == validated.model_dump_json()
    assert prebuilt(Patient, patient_id="P1", address=address, **person) == Patient(
        patient_id="P1", address=address, **person
    )


def test_given_field_sets_are_shared_but_copies_do_not_touch_them():
    """Two models from the same fields share one set; model_copy gives the copy its own."""
    first = prebuilt(Address, **_address())
    second = prebuilt(Address, **_address(city="Shelbyville"))
    assert first.model_fields_set is second.model_fields_set
    changed = first.model_copy(update={"line2": "Apt 2"})
    assert "line2" in changed.model_fields_set
    assert "line2" not in first.model_fields_set


def test_unknown_and_missing_fields_are_refused():
    """A name that is not a field, or a required field left out, is a TypeError."""
    with pytest.raises(TypeError, match="no field"):
        prebuilt(Address, colour="red", **_address())
    with pytest.raises(TypeError, match="required"):
        prebuilt(Address, line1="12 Elm St")


def test_computed_fields_are_filled_but_not_marked_as_given():
    """A value a validator would compute is held without counting as given."""
    built = prebuilt(Address, {"line2": "Apt 2"}, **_address())
    assert built.line2 == "Apt 2"
    assert "line2" not in built.model_fields_set
