"""A payer ledger as plain JSON-able data that does not depend on the code version.

:func:`to_state` writes it, :func:`from_state` reads it back.

The state is a dict of str, int, bool, None, lists and dicts, with ``"version": 1``. Money is
integer cents, dates are ISO strings (``"2026-03-02"``), random draws are the ``repr`` of their
float (exact). Claims and coverages are their models' fields in the same plain form. Reading
validates the whole state with pydantic models that reject unknown fields, so a malformed state
fails with an error that names where it is wrong; an unknown version is refused before anything
else is read.

Version 1::

    {"version": 1, "counter": int,
     "roster": {member_id: [coverage, ...]},
     "providers": {npi: [{"start": date, "end": date | null}, ...]},
     "authorizations": {member_id: [{"number", "procedure_codes": [...], "start", "end"}, ...]},
     "decisions": {payer_claim_number: {"decision": decision, "claim": claim | null, "active": bool}},
     "pending": {payer_claim_number: {"claim": claim, "received": date, "due": date}},
     "history": [{"member_id", "npi", "procedure_code", "modifiers", "service_date", "units",
                  "payer_claim_number"}, ...],
     "accumulators": [{"plan_id", "member_id", "year", "deductible", "out_of_pocket"}, ...],
     "appeals": {payer_claim_number: [{"level": int, "decided": date}, ...]}}

A decision holds what the payer decided (see :mod:`payers.records`): claim id, payer claim
number, status, frequency, received and decided dates, lines with their adjustments, rules
fired, draws, documentation due date, coordination order, member and billing NPI, the
accumulator credits it made and whether it entered the claim history.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from payers import records
from simulator.models import Claim as ClaimModel
from simulator.models import ClaimStatus, Coverage, Frequency, GroupCode

if TYPE_CHECKING:
    from payers.ledger import PayerLedger

__all__ = ["VERSION", "LedgerStateError", "from_state", "to_state"]

VERSION = 1


class LedgerStateError(ValueError):
    """A ledger state that cannot be read: not a dict, an unknown version, or malformed."""


def _plain(value: Any) -> Any:
    """``value`` with dates as ISO text, enums as their values and tuples as lists."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _model(model: BaseModel) -> dict:
    return _plain(model.model_dump())


def _iso(ordinal: int | None) -> str | None:
    return None if ordinal is None else records.day(ordinal).isoformat()


def _decision(packed: tuple) -> dict:
    """A packed decision as a plain dict."""
    return {
        "payer_id": packed[records.PAYER_ID],
        "claim_id": packed[records.CLAIM_ID],
        "payer_claim_number": packed[records.NUMBER],
        "status": packed[records.STATUS],
        "frequency": packed[records.FREQUENCY],
        "received": _iso(packed[records.RECEIVED]),
        "decided": _iso(packed[records.DECIDED]),
        "lines": [
            {
                "line_number": number,
                "procedure_code": code,
                "modifiers": list(modifiers),
                "units": units,
                "units_paid": units_paid,
                "service_date": _iso(service_day),
                "billed": billed,
                "allowed": allowed,
                "status": status,
                "adjustments": [
                    {
                        "group": group,
                        "carc": carc,
                        "amount": amount,
                        "rarcs": list(rarcs),
                        "rule": rule,
                        "quantity": quantity,
                    }
                    for group, carc, amount, rarcs, rule, quantity in adjustments
                ],
            }
            for (
                number,
                code,
                modifiers,
                units,
                units_paid,
                service_day,
                billed,
                allowed,
                status,
                adjustments,
            ) in (packed[records.LINES])
        ],
        "rules_fired": list(packed[records.RULES]),
        "draws": [
            {"stream": stream, "rule": rule, "value": repr(value)}
            for stream, rule, value in packed[records.DRAWS]
        ],
        "documentation_due": _iso(packed[records.DUE]),
        "coordination_order": packed[records.ORDER],
        "member_id": packed[records.MEMBER],
        "npi": packed[records.NPI],
        "credits": [
            {"plan_id": plan, "member_id": member, "year": year, "deductible": d, "out_of_pocket": o}
            for (plan, member, year), d, o in packed[records.CREDITS]
        ],
        "keeps_history": packed[records.KEEPS_HISTORY],
    }


def to_state(ledger: PayerLedger) -> dict:
    """``ledger`` as plain JSON-able data (see the module docstring for the layout)."""
    return {
        "version": VERSION,
        "counter": ledger.counter,
        "roster": {member: [_model(c) for c in coverages] for member, coverages in ledger.roster.items()},
        "providers": {
            npi: [{"start": start.isoformat(), "end": _plain(end)} for start, end in periods]
            for npi, periods in ledger.providers.items()
        },
        "authorizations": {
            member: [
                {
                    "number": auth.number,
                    "procedure_codes": sorted(auth.procedure_codes),
                    "start": auth.start.isoformat(),
                    "end": auth.end.isoformat(),
                }
                for auth in auths
            ]
            for member, auths in ledger.authorizations.items()
        },
        "decisions": {
            number: {
                "decision": _decision(record.fields),
                "claim": None if record.claim_json is None else _model(record.claim),
                "active": record.active,
            }
            for number, record in ledger.decisions.items()
        },
        "pending": {
            number: {
                "claim": _model(pend.claim),
                "received": pend.received.isoformat(),
                "due": pend.due.isoformat(),
            }
            for number, pend in ledger.pending.items()
        },
        "history": [
            {
                "member_id": member,
                "npi": npi,
                "procedure_code": code,
                "modifiers": list(modifiers),
                "service_date": service_day.isoformat(),
                "units": units,
                "payer_claim_number": number,
            }
            for (member, npi, code, modifiers, service_day, units), number in ledger.history.items()
        ],
        "accumulators": [
            {
                "plan_id": plan,
                "member_id": member,
                "year": year,
                "deductible": met[0],
                "out_of_pocket": met[1],
            }
            for (plan, member, year), met in ledger.accumulators.items()
        ],
        "appeals": {
            number: [{"level": a.level, "decided": a.decided.isoformat()} for a in remembered]
            for number, remembered in ledger.appeals.items()
        },
    }


class _State(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Adjustment(_State):
    group: GroupCode
    carc: str = Field(pattern=r"^[A-Z]?[0-9]{1,3}$")
    amount: int
    rarcs: tuple[str, ...]
    rule: str = Field(min_length=1)
    quantity: int | None


class _Line(_State):
    line_number: int
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    units_paid: int
    service_date: date
    billed: int
    allowed: int
    status: ClaimStatus
    adjustments: tuple[_Adjustment, ...]


class _Draw(_State):
    stream: str
    rule: str
    value: float


class _Credit(_State):
    plan_id: str
    member_id: str
    year: int
    deductible: int
    out_of_pocket: int


class _Decision(_State):
    payer_id: str
    claim_id: str
    payer_claim_number: str
    status: ClaimStatus
    frequency: Frequency
    received: date
    decided: date
    lines: tuple[_Line, ...] = Field(min_length=1)
    rules_fired: tuple[str, ...]
    draws: tuple[_Draw, ...]
    documentation_due: date | None
    coordination_order: int = Field(ge=1, le=3)
    member_id: str
    npi: str
    credits: tuple[_Credit, ...]
    keeps_history: bool

    @property
    def received_date(self) -> date:
        """``received``, under the name :func:`payers.records.pack` reads."""
        return self.received

    @property
    def decided_date(self) -> date:
        """``decided``, under the name :func:`payers.records.pack` reads."""
        return self.decided


class _Record(_State):
    decision: _Decision
    claim: ClaimModel | None
    active: bool


class _Pending(_State):
    claim: ClaimModel
    received: date
    due: date


class _Authorization(_State):
    number: str
    procedure_codes: tuple[str, ...]
    start: date
    end: date


class _Period(_State):
    start: date
    end: date | None


class _History(_State):
    member_id: str
    npi: str
    procedure_code: str
    modifiers: tuple[str, ...]
    service_date: date
    units: int
    payer_claim_number: str


class _Appeal(_State):
    level: int = Field(ge=1)
    decided: date


class _Ledger(_State):
    version: Literal[1]
    counter: int = Field(ge=0)
    roster: dict[str, tuple[Coverage, ...]]
    providers: dict[str, tuple[_Period, ...]]
    authorizations: dict[str, tuple[_Authorization, ...]]
    decisions: dict[str, _Record]
    pending: dict[str, _Pending]
    history: tuple[_History, ...]
    accumulators: tuple[_Credit, ...]
    appeals: dict[str, tuple[_Appeal, ...]]


def _packed(d: _Decision) -> tuple:
    """A validated decision in the packed layout of :mod:`payers.records`."""
    credits = tuple(((c.plan_id, c.member_id, c.year), c.deductible, c.out_of_pocket) for c in d.credits)
    return records.pack(d, d.member_id, d.npi, credits, d.keeps_history)


def _check(state: object) -> _Ledger:
    if not isinstance(state, dict):
        raise LedgerStateError(f"ledger state must be a dict, not {type(state).__name__}")
    if "version" not in state:
        raise LedgerStateError("ledger state has no 'version'")
    if state["version"] != VERSION or type(state["version"]) is not int:
        raise LedgerStateError(
            f"unknown ledger state version {state['version']!r}; this payersim reads {VERSION}"
        )
    try:
        return _Ledger.model_validate(state)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'state'}: {e['msg']}" for e in error.errors()[:5]
        )
        more = error.error_count() - 5
        raise LedgerStateError(
            f"malformed ledger state: {problems}" + (f" (and {more} more)" if more > 0 else "")
        ) from None


def from_state(cls: type[PayerLedger], state: object) -> PayerLedger:
    """The ledger ``state`` (from :func:`to_state`) describes; :class:`LedgerStateError` when it cannot."""
    from payers.ledger import AppealRecord, DecisionRecord, PendingRecord

    checked = _check(state)
    ledger = cls()
    ledger.counter = checked.counter
    for member, coverages in checked.roster.items():
        ledger.roster[member] = list(coverages)
    for npi, periods in checked.providers.items():
        ledger.providers[npi] = [(p.start, p.end) for p in periods]
    for member, auths in checked.authorizations.items():
        for auth in auths:
            ledger.add_authorization(member, auth.number, auth.procedure_codes, auth.start, auth.end)
    for number, saved in checked.decisions.items():
        found = saved.decision.payer_claim_number
        if found != number:
            raise LedgerStateError(f"malformed ledger state: decisions.{number} holds claim {found!r}")
        claim = None if saved.claim is None else saved.claim.model_dump_json(warnings=False)
        packed = records.encode(_packed(saved.decision))
        ledger.decisions[number] = DecisionRecord(packed, claim, saved.active)
    for number, pend in checked.pending.items():
        ledger.pending[number] = PendingRecord(pend.claim, pend.received, pend.due, number)
    for h in checked.history:
        key = (h.member_id, h.npi, h.procedure_code, h.modifiers, h.service_date, h.units)
        ledger.history[key] = h.payer_claim_number
    for c in checked.accumulators:
        ledger.accumulators[(c.plan_id, c.member_id, c.year)] = [c.deductible, c.out_of_pocket]
    for number, remembered in checked.appeals.items():
        ledger.appeals[number] = [AppealRecord(a.level, a.decided) for a in remembered]
    return ledger
