"""Exact money: amounts are integer cents, never floats.

Python code works in cents (``12345`` is $123.45). At the edges (JSON files, X12, reports)
amounts are decimal strings of dollars such as ``"123.45"``. :data:`Cents` is the pydantic
type every money field uses: it accepts cents as ``int`` from Python, dollars as ``str`` or
``Decimal`` from anywhere, and dollars as JSON numbers, and it always serialises to a dollar
string in JSON.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, ValidationInfo, WithJsonSchema

__all__ = [
    "Cents",
    "MoneyError",
    "format_dollars",
    "parse_dollars",
    "percent_of",
    "split_by_weights",
]

_CENT = Decimal("0.01")
_MOST_DIGITS = 15
"""Dollar digits an amount may have: more than any claim needs, and few enough to be exact in cents."""


class MoneyError(ValueError):
    """An amount that is not an exact number of cents."""


def parse_dollars(text: str | Decimal | int) -> int:
    """Parse a dollar amount such as ``"123.45"`` into integer cents, exactly.

    More than two decimal places, exponents, NaN and infinities are refused.
    """
    try:
        value = text if isinstance(text, Decimal) else Decimal(str(text).strip())
    except InvalidOperation:
        raise MoneyError(f"not an amount of money: {text!r}") from None
    if not value.is_finite():
        raise MoneyError(f"not an amount of money: {text!r}")
    if value and value.adjusted() >= _MOST_DIGITS:
        raise MoneyError(f"amount is too large: {text!r} (at most {_MOST_DIGITS} digits of dollars)")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise MoneyError(f"amount has more than two decimal places: {text!r}")
    return int(cents)


def format_dollars(cents: int) -> str:
    """Format integer cents as a dollar string with two decimals (``-5`` -> ``"-0.05"``)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def percent_of(cents: int, percent: Decimal | int | str) -> int:
    """``percent`` per cent of ``cents``, rounded half up to a whole cent."""
    exact = Decimal(cents) * Decimal(str(percent)) / 100
    return int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def split_by_weights(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` cents over ``weights`` so the parts sum exactly to ``total``.

    Largest-remainder method; ties go to the earliest part, so the split is deterministic.
    """
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [total] + [0] * (len(weights) - 1)
    parts = [total * w // weight_sum for w in weights]
    remainders = [(total * w % weight_sum, -i) for i, w in enumerate(weights)]
    short = total - sum(parts)
    for _, neg_index in sorted(remainders, reverse=True)[:short]:
        parts[-neg_index] += 1
    return parts


def _to_cents(value: Any, info: ValidationInfo) -> int:
    if type(value) is int and info.mode == "python":
        return value
    if isinstance(value, bool):
        raise MoneyError("money must be an amount, not true/false")
    if info.mode == "json":
        if isinstance(value, float):
            return parse_dollars(repr(value))
        if isinstance(value, int | str):
            return parse_dollars(value)
        raise MoneyError(f'money must be a dollar amount such as "12.34", got {value!r}')
    if isinstance(value, int):
        return value
    if isinstance(value, str | Decimal):
        return parse_dollars(value)
    if isinstance(value, float):
        raise MoneyError("money is never a float: pass integer cents or a string like '12.34'")
    raise MoneyError(f"not an amount of money: {value!r}")


class _DollarTexts(dict[int, str]):
    """Dollar strings of amounts already formatted, at most 100,000 of them.

    JSON serialisation of a money field calls this dict's own ``__getitem__``, a C function: an
    amount seen before costs a lookup instead of a call to :func:`format_dollars` (the fake payer
    writes every claim and decision as JSON, and amounts repeat).
    """

    def __missing__(self, cents: int) -> str:
        text = format_dollars(cents)
        if len(self) >= 100_000:
            self.clear()
        self[cents] = text
        return text


_DOLLAR_TEXTS = _DollarTexts()

Cents = Annotated[
    int,
    BeforeValidator(_to_cents),
    PlainSerializer(_DOLLAR_TEXTS.__getitem__, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["125.00"]}),
]
"""Integer cents in Python; a dollar string such as ``"125.00"`` in JSON."""
