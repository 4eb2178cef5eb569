"""Building the decision's pydantic models from values the pipeline computed itself.

The pipeline's values are already of the right types (ints for money, enums for statuses and
group codes, tuples for sequences), so running pydantic validation over them again only costs
time. :func:`trusted` builds a frozen model the way ``model_construct`` does, minus its per-field
alias and default handling: the caller passes every field, in the model's field order. The tests
check that what it builds equals what validation of the same data gives.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from simulator.models import Adjustment, ClaimAdjudication, GroupCode, LineAdjudication

__all__ = ["GROUPS", "adjustment", "claim_adjudication", "line_adjudication", "trusted"]

M = TypeVar("M", bound=BaseModel)

GROUPS: dict[str, GroupCode] = {group.value: group for group in GroupCode}
"""Group code text to its enum member."""

_setattr = object.__setattr__
_ADJUSTMENT_SET = frozenset(Adjustment.model_fields)
_LINE_SET = frozenset(LineAdjudication.model_fields)
_CLAIM_SET = frozenset(ClaimAdjudication.model_fields) - {
    "interest",
    "claim_adjustments",
    "reverses",
    "replaced_by",
}


def trusted(cls: type[M], fields_set: frozenset[str], values: dict[str, Any]) -> M:
    """A ``cls`` holding ``values`` (every field, in field order, already valid) without validation."""
    model = cls.__new__(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", set(fields_set))
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model


def adjustment(
    group: str, carc: str, amount: int, rarcs: tuple[str, ...], rule: str, quantity: int | None
) -> Adjustment:
    """An :class:`Adjustment` from the pipeline's own values."""
    values = {
        "group": GROUPS[group],
        "carc": carc,
        "amount": amount,
        "rarcs": rarcs,
        "rule": rule,
        "quantity": quantity,
    }
    return trusted(Adjustment, _ADJUSTMENT_SET, values)


def line_adjudication(values: dict[str, Any]) -> LineAdjudication:
    """A :class:`LineAdjudication` from a dict of all its fields in field order."""
    return trusted(LineAdjudication, _LINE_SET, values)


def claim_adjudication(values: dict[str, Any]) -> ClaimAdjudication:
    """A first decision from a dict of all its fields in field order.

    Its fields set are those a first decision states: all but interest, claim adjustments and
    the reversal links, which keep their defaults.
    """
    return trusted(ClaimAdjudication, _CLAIM_SET, values)
