"""Money is exact: parsing, formatting, splitting and the pydantic Cents type."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from simulator import money
from simulator.money import (
    Cents,
    MoneyError,
    format_dollars,
    parse_dollars,
    percent_of,
    split_by_weights,
)


class _Priced(BaseModel):
    amount: Cents


@pytest.mark.parametrize(
    ("text", "cents"), [("0", 0), ("12.3", 1230), ("12.34", 1234), ("-0.05", -5), (" 7.00 ", 700)]
)
def test_parse_dollars(text, cents):
    assert parse_dollars(text) == cents


@pytest.mark.parametrize(
    "text", ["12.345", "abc", "NaN", "inf", "", "9" * 40 + ".00", "1E15", "-1000000000000000"]
)
def test_parse_dollars_refuses_inexact_or_garbage(text):
    with pytest.raises(MoneyError):
        parse_dollars(text)


def test_the_largest_amount_parses_exactly():
    """Fifteen digits of dollars and two of cents are read to the cent."""
    assert parse_dollars("999999999999999.99") == 99999999999999999
    assert parse_dollars("-999999999999999.99") == -99999999999999999


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_then_parse_round_trips(cents):
    assert parse_dollars(format_dollars(cents)) == cents


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(0, 1000), min_size=1, max_size=8),
)
def test_split_by_weights_sums_exactly(total, weights):
    parts = split_by_weights(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)


def test_percent_of_rounds_half_up():
    assert percent_of(1001, 50) == 501
    assert percent_of(10000, Decimal("33.3")) == 3330


def test_cents_field_accepts_cents_in_python_and_dollars_in_json():
    assert _Priced(amount=1234).amount == 1234
    assert _Priced.model_validate_json('{"amount": "12.34"}').amount == 1234
    assert _Priced.model_validate_json('{"amount": 12.5}').amount == 1250
    assert _Priced(amount=1234).model_dump_json() == '{"amount":"12.34"}'


def test_cents_field_refuses_floats_and_inexact_amounts():
    with pytest.raises(ValidationError, match="never a float"):
        _Priced(amount=12.5)
    with pytest.raises(ValidationError, match="two decimal places"):
        _Priced.model_validate_json('{"amount": "1.001"}')


@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=20))
def test_cents_field_writes_each_amount_as_format_dollars_does(amounts):
    """JSON money is format_dollars' text, whether the amount was written before or not."""
    for cents in amounts + amounts:
        assert _Priced(amount=cents).model_dump_json() == f'{{"amount":"{format_dollars(cents)}"}}'


def test_cents_field_texts_stay_right_past_the_memory_limit():
    """The remembered texts are dropped when full; amounts written after that are still right."""
    texts = money._DOLLAR_TEXTS
    texts.clear()
    for cents in range(100_005):
        assert texts[cents] == format_dollars(cents)
    assert len(texts) <= 100_000
    assert [_Priced(amount=c).model_dump_json() for c in (5, 99_999, 100_004, -100_004)] == [
        '{"amount":"0.05"}',
        '{"amount":"999.99"}',
        '{"amount":"1000.04"}',
        '{"amount":"-1000.04"}',
    ]
