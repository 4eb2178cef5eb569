"""Decisions in compact form, and their pydantic models built from values the pipeline computed.

The pipeline's values are already of the right types (ints for money, enums for statuses and
group codes, tuples for sequences), so running pydantic validation over them again only costs
time. :func:`trusted` builds a frozen model the way ``model_construct`` does, minus its per-field
alias and default handling: the caller passes every field, in the model's field order. The tests
check that what it builds equals what validation of the same data gives. Models of one class
share one set of field names (``model_fields_set``): pydantic never changes it in place on a
frozen model (``model_copy`` copies it first).

The ledger keeps each decision packed (:func:`encode` of the tuple layout below) and rebuilds
the :class:`~simulator.models.ClaimAdjudication` on demand with :func:`unpack`; the pipeline
builds its decisions the same way, so a rebuilt decision is the one first returned.
"""

from __future__ import annotations

import marshal
from datetime import date
from functools import lru_cache
from sys import intern
from typing import Any, TypeVar

from pydantic import BaseModel

from simulator.models import (
    Adjustment,
    ClaimAdjudication,
    ClaimStatus,
    Frequency,
    GroupCode,
    LineAdjudication,
    RandomDraw,
)

__all__ = [
    "A_AMOUNT",
    "A_CARC",
    "A_GROUP",
    "A_QUANTITY",
    "A_RARCS",
    "A_RULE",
    "CLAIM_ID",
    "CREDITS",
    "DECIDED",
    "DRAWS",
    "DUE",
    "FREQUENCY",
    "GROUPS",
    "KEEPS_HISTORY",
    "LINES",
    "L_ADJS",
    "L_ALLOWED",
    "L_BILLED",
    "L_CODE",
    "L_DATE",
    "L_MODIFIERS",
    "L_NUMBER",
    "L_STATUS",
    "L_UNITS",
    "L_UNITS_PAID",
    "MEMBER",
    "NOT_DENIALS",
    "NPI",
    "NUMBER",
    "ORDER",
    "PAYER_ID",
    "RECEIVED",
    "RULES",
    "STATUS",
    "adjustment",
    "day",
    "decode",
    "encode",
    "history_keys",
    "may_rerun",
    "pack",
    "packed_line",
    "trusted",
    "unpack",
    "unpack_line",
]

M = TypeVar("M", bound=BaseModel)

GROUPS: dict[str, GroupCode] = {group.value: group for group in GroupCode}
"""Group code text to its enum member."""

_new = object.__new__
_setattr = object.__setattr__
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_ADJUSTMENT_SET = set(Adjustment.model_fields)
_LINE_SET = set(LineAdjudication.model_fields)
_CLAIM_SET = set(ClaimAdjudication.model_fields) - {
    "interest",
    "claim_adjustments",
    "reverses",
    "replaced_by",
}


def trusted(cls: type[M], fields_set: set[str], values: dict[str, Any]) -> M:
    """A ``cls`` holding ``values`` (every field, in field order, already valid) without validation.

    ``fields_set`` becomes the model's ``model_fields_set`` as is (shared, see the module docstring).
    """
    model = _new(cls)
    _setattr(model, "__dict__", values)
    _set_fields(model, fields_set)
    _set_extra(model, None)
    _set_private(model, None)
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


# A decision in compact form: a tuple of plain values (str, int, float, bool, None, tuples of them),
# which is what the ledger keeps instead of the pydantic graph. Dates are ordinals, statuses and
# group codes their text. Billed, allowed and paid are sums over the lines, a line's paid is its
# charge less its adjustments, and a line's RARCs are those of its adjustments in first-seen order,
# so none of them is stored.
#
#   decision: (payer_id, claim_id, payer_claim_number, status, frequency, received, decided, lines,
#              rules_fired, draws, documentation_due, coordination_order, member_id, npi, credits,
#              keeps_history)
#   line:     (line_number, procedure_code, modifiers, units, units_paid, service_date, billed,
#              allowed, status, adjustments)
#   adjustment: (group, carc, amount, rarcs, rule, quantity)
#   draw:     (stream, rule, value)
#   credit:   ((plan_id, member_id, year), deductible, out_of_pocket)
#
# The constants below index them: PAYER_ID ... KEEPS_HISTORY a decision, L_NUMBER ... L_ADJS a
# line, A_GROUP ... A_QUANTITY an adjustment.

PAYER_ID, CLAIM_ID, NUMBER, STATUS, FREQUENCY, RECEIVED, DECIDED, LINES = range(8)
RULES, DRAWS, DUE, ORDER, MEMBER, NPI, CREDITS, KEEPS_HISTORY = range(8, 16)
L_NUMBER, L_CODE, L_MODIFIERS, L_UNITS, L_UNITS_PAID = range(5)
L_DATE, L_BILLED, L_ALLOWED, L_STATUS, L_ADJS = range(5, 10)
A_GROUP, A_CARC, A_AMOUNT, A_RARCS, A_RULE, A_QUANTITY = range(6)

NOT_DENIALS = frozenset({"45", "23", "1", "2", "3"})
"""CARCs that are not denials: contractual reduction, prior payer, deductible, coinsurance, copay."""

_STATUSES: dict[str, ClaimStatus] = {status.value: status for status in ClaimStatus}
_FREQUENCIES: dict[str, Frequency] = {frequency.value: frequency for frequency in Frequency}
_PENDED_RARCS = ("N704",)
_DRAW_SET = set(RandomDraw.model_fields)


@lru_cache(maxsize=8192)
def day(ordinal: int) -> date:
    """The date of a proleptic Gregorian ordinal; one shared object per day."""
    return date.fromordinal(ordinal)


def _line_rarcs(adjustments: tuple) -> tuple[str, ...]:
    """A line's RARCs: those of its packed adjustments, once each, in first-seen order."""
    if not adjustments:
        return ()
    if len(adjustments) == 1 and len(adjustments[0][A_RARCS]) <= 1:
        return adjustments[0][A_RARCS]
    rarcs: dict[str, None] = {}
    for adj in adjustments:
        if adj[A_RARCS]:
            rarcs.update(dict.fromkeys(adj[A_RARCS]))
    return tuple(rarcs)


def unpack_line(packed: tuple) -> LineAdjudication:
    """The :class:`LineAdjudication` of a packed line."""
    number, code, modifiers, units, units_paid, service_day, billed, allowed, status, adjs = packed
    paid = billed
    adjustments = []
    for group, carc, amount, rarcs, rule, quantity in adjs:  # adjustment(*adj), inlined: the hot loop
        paid -= amount
        values = {
            "group": GROUPS[group],
            "carc": carc,
            "amount": amount,
            "rarcs": rarcs,
            "rule": rule,
            "quantity": quantity,
        }
        adjustments.append(trusted(Adjustment, _ADJUSTMENT_SET, values))
    values = {
        "line_number": number,
        "procedure_code": code,
        "modifiers": modifiers,
        "units": units,
        "units_paid": units_paid,
        "service_date": day(service_day),
        "billed": billed,
        "allowed": allowed,
        "paid": paid,
        "adjustments": tuple(adjustments),
        "rarcs": _line_rarcs(adjs),
        "status": _STATUSES[status],
    }
    return trusted(LineAdjudication, _LINE_SET, values)


def unpack(packed: tuple) -> ClaimAdjudication:
    """The :class:`ClaimAdjudication` of a packed decision."""
    lines = []
    billed = allowed = paid = 0
    for packed_line in packed[LINES]:
        line = unpack_line(packed_line)
        lines.append(line)
        values = line.__dict__
        billed += values["billed"]
        allowed += values["allowed"]
        paid += values["paid"]
    status = _STATUSES[packed[STATUS]]
    due = packed[DUE]
    draws = packed[DRAWS]
    values = {
        "claim_id": packed[CLAIM_ID],
        "payer_id": packed[PAYER_ID],
        "payer_claim_number": packed[NUMBER],
        "status": status,
        "frequency": _FREQUENCIES[packed[FREQUENCY]],
        "received_date": day(packed[RECEIVED]),
        "decided_date": day(packed[DECIDED]),
        "billed": billed,
        "allowed": allowed,
        "paid": paid,
        "interest": 0,
        "lines": tuple(lines),
        "claim_adjustments": (),
        "rarcs": _PENDED_RARCS if status is ClaimStatus.PENDED else (),
        "rules_fired": packed[RULES],
        "draws": tuple(
            trusted(RandomDraw, _DRAW_SET, {"stream": stream, "rule": rule, "value": value})
            for stream, rule, value in draws
        )
        if draws
        else (),
    }
    # the last four fields are set one by one: a dict display of more than 16 items is built slowly
    values["reverses"] = None
    values["replaced_by"] = None
    values["documentation_due"] = None if due is None else day(due)
    values["coordination_order"] = packed[ORDER]
    return trusted(ClaimAdjudication, _CLAIM_SET, values)


def packed_line(line: Any) -> tuple:
    """One line decision (a ``LineAdjudication`` or anything with its fields) in packed form."""
    return (
        line.line_number,
        line.procedure_code,
        line.modifiers,
        line.units,
        line.units_paid,
        line.service_date.toordinal(),
        line.billed,
        line.allowed,
        line.status.value,
        tuple((a.group.value, a.carc, a.amount, a.rarcs, a.rule, a.quantity) for a in line.adjustments),
    )


def pack(
    adjudication: ClaimAdjudication | Any,
    member_id: str,
    npi: str,
    credits: tuple[tuple[tuple[str, str, int], int, int], ...],
    keeps_history: bool = True,
) -> tuple:
    """A first decision (as :func:`unpack` builds them) in packed form, with the claim's member and NPI.

    ``adjudication`` is a ``ClaimAdjudication`` or anything with the fields :func:`pack` reads (the
    ledger state's decision model, see :mod:`payers.state`).
    """
    due = adjudication.documentation_due
    lines = tuple(packed_line(line) for line in adjudication.lines)
    return (
        adjudication.payer_id,
        adjudication.claim_id,
        adjudication.payer_claim_number,
        adjudication.status.value,
        adjudication.frequency.value,
        adjudication.received_date.toordinal(),
        adjudication.decided_date.toordinal(),
        lines,
        adjudication.rules_fired,
        tuple((d.stream, d.rule, d.value) for d in adjudication.draws),
        None if due is None else due.toordinal(),
        adjudication.coordination_order,
        member_id,
        npi,
        credits,
        keeps_history,
    )


def history_keys(packed: tuple) -> tuple[tuple, ...]:
    """The claim-history keys of a packed decision: one per line no step denied (see rules.duplicate)."""
    if not packed[KEEPS_HISTORY]:
        return ()
    member, npi = intern(packed[MEMBER]), intern(packed[NPI])
    return tuple(
        (member, npi, intern(line[L_CODE]), _shared(line[L_MODIFIERS]), day(line[L_DATE]), line[L_UNITS])
        for line in packed[LINES]
        if line[L_STATUS] != "denied"
    )


def may_rerun(packed: tuple) -> bool:
    """True when the decision could be decided again: pended, or with a denial an appeal could set aside."""
    if packed[STATUS] == "pended":
        return True
    for line in packed[LINES]:
        for adj in line[L_ADJS]:
            if adj[A_GROUP] != "PR" and adj[A_CARC] not in NOT_DENIALS and adj[A_AMOUNT] > 0:
                return True
    return False


_SHARED: dict[tuple, tuple] = {}


def _shared(value: tuple) -> tuple:
    """One shared object per distinct small tuple of strings (modifiers, RARCs)."""
    if not value:
        return ()
    found = _SHARED.get(value)
    if found is None:
        found = _SHARED[value] = tuple(intern(v) for v in value)
    return found


def encode(packed: tuple) -> bytes:
    """A packed decision as one compact bytes object (in memory only; see :mod:`payers.state`)."""
    return marshal.dumps(packed)


def decode(blob: bytes) -> tuple:
    """The packed decision of :func:`encode`."""
    return marshal.loads(blob)
