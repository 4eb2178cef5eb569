"""The payer's memory: member and provider enrolment, authorizations, decisions, claim history, accumulators.

One ledger per payer. It holds plain records, is changed only by :class:`payers.Payer` (and by
the enrolment and authorization calls of whoever plays the payer's back office), and never
reads a clock. Payer claim control numbers come from its counter, so they are deterministic.

Decisions are kept packed (:class:`DecisionRecord`, the layout of :mod:`payers.records`) and
rebuilt on demand; the claim behind one is kept, as JSON text, only while it may be decided again.
:meth:`PayerLedger.to_state` and :meth:`PayerLedger.from_state` give and read the whole ledger as
versioned plain data (:mod:`payers.state`), which is how the server saves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from sys import intern
from typing import NamedTuple

from payers import records
from simulator.models import Claim, ClaimAdjudication, Coverage

__all__ = ["AppealRecord", "AuthorizationRecord", "DecisionRecord", "PayerLedger", "PendingRecord"]

AccumulatorKey = tuple[str, str, int]
"""(plan_id, member_id, plan year)."""


_CODE_SETS: dict[frozenset[str], frozenset[str]] = {}
"""One shared frozenset per distinct set of authorized codes."""


@lru_cache(maxsize=4096)
def _day_text(day: date) -> str:
    """``day`` as CCYYMMDD; cached, since a batch of claims shares a few receipt dates."""
    return f"{day:%Y%m%d}"


@dataclass(frozen=True, slots=True)
class AuthorizationRecord:
    """A prior authorization on file: its number, the codes it covers and its dates."""

    member_id: str
    number: str
    procedure_codes: frozenset[str]
    start: date
    end: date

    def covers(self, code: str, day: date) -> bool:
        """True when the authorization covers ``code`` on ``day``."""
        return code in self.procedure_codes and self.start <= day <= self.end


@dataclass(slots=True)
class DecisionRecord:
    """A decision the payer made, packed (see :mod:`payers.records`), with the claim when it may be re-run.

    The claim is kept, as its JSON text, only while the decision could be decided again (pended,
    or with a denial an appeal could set aside); the credits and history keys it put in the
    ledger are read back from the packed decision when it is backed out.
    """

    packed: bytes
    claim_json: str | None = None
    active: bool = True

    def __setstate__(self, state: tuple) -> None:
        """Unpickle, also from a record pickled before decisions were packed (then converted)."""
        slots = state[1]
        if "adjudication" in slots:
            claim = slots["claim"]
            packed = records.pack(
                slots["adjudication"],
                claim.coverage.member_id,
                claim.billing_provider.npi,
                tuple(slots["credits"]),
            )
            kept = claim.model_dump_json(warnings=False) if records.may_rerun(packed) else None
            slots = {"packed": records.encode(packed), "claim_json": kept, "active": slots["active"]}
        for name, value in slots.items():
            object.__setattr__(self, name, value)

    @property
    def claim(self) -> Claim | None:
        """The claim decided, rebuilt; None once the decision can no longer be re-run."""
        return None if self.claim_json is None else Claim.model_validate_json(self.claim_json)

    @property
    def fields(self) -> tuple:
        """The packed decision's values (the tuple layout of :mod:`payers.records`)."""
        return records.decode(self.packed)

    @property
    def adjudication(self) -> ClaimAdjudication:
        """The decision, rebuilt."""
        return records.unpack(self.fields)

    @property
    def received(self) -> date:
        """When the claim was received."""
        return records.day(self.fields[records.RECEIVED])

    @property
    def decided(self) -> date:
        """When the decision was made."""
        return records.day(self.fields[records.DECIDED])

    @property
    def payer_claim_number(self) -> str:
        """The decision's payer claim control number."""
        return self.fields[records.NUMBER]

    @property
    def credits(self) -> tuple[tuple[AccumulatorKey, int, int], ...]:
        """(accumulator key, deductible, out of pocket) the decision added, in cents."""
        return self.fields[records.CREDITS]

    @property
    def history_keys(self) -> tuple[tuple, ...]:
        """The claim-history keys the decision recorded (duplicate detection)."""
        return records.history_keys(self.fields)


class AppealRecord(NamedTuple):
    """An appeal decision as the payer remembers it: its level and when it was decided."""

    level: int
    decided: date


@dataclass(slots=True)
class PendingRecord:
    """A claim pended for documentation, waiting for records until ``due``."""

    claim: Claim
    received: date
    due: date
    payer_claim_number: str


@dataclass(slots=True)
class PayerLedger:
    """Everything a payer remembers between claims."""

    roster: dict[str, list[Coverage]] = field(default_factory=dict)
    authorizations: dict[str, list[AuthorizationRecord]] = field(default_factory=dict)
    decisions: dict[str, DecisionRecord] = field(default_factory=dict)
    pending: dict[str, PendingRecord] = field(default_factory=dict)
    history: dict[tuple, str] = field(default_factory=dict)
    accumulators: dict[AccumulatorKey, list[int]] = field(default_factory=dict)
    appeals: dict[str, list[AppealRecord]] = field(default_factory=dict)
    counter: int = 0
    providers: dict[str, list[tuple[date, date | None]]] = field(default_factory=dict)
    authorization_index: dict[tuple[str, str], list[AuthorizationRecord]] = field(
        default_factory=dict, repr=False
    )
    """The authorizations by (member, procedure code), kept by :meth:`add_authorization`."""

    def __setstate__(self, state: tuple) -> None:
        """Unpickle, also from a ledger pickled before appeals were kept as AppealRecord."""
        slots = dict(state[1])
        slots["appeals"] = {
            number: [
                a if isinstance(a, AppealRecord) else AppealRecord(a.level, a.decided_date) for a in found
            ]
            for number, found in slots.get("appeals", {}).items()
        }
        if "authorization_index" not in slots:
            slots["authorization_index"] = {}
            for auths in slots.get("authorizations", {}).values():
                for auth in auths:
                    for code in auth.procedure_codes:
                        slots["authorization_index"].setdefault((auth.member_id, code), []).append(auth)
        for name, value in slots.items():
            object.__setattr__(self, name, value)

    def to_state(self) -> dict:
        """The ledger as plain JSON-able data with ``"version": 1`` (see :mod:`payers.state`)."""
        from payers.state import to_state

        return to_state(self)

    @classmethod
    def from_state(cls, state: dict) -> PayerLedger:
        """The ledger a :meth:`to_state` dict describes; ``LedgerStateError`` names what is wrong."""
        from payers.state import from_state

        return from_state(cls, state)

    def enroll(self, coverage: Coverage) -> None:
        """Record ``coverage`` on the payer's roster (its truth for eligibility)."""
        self.roster.setdefault(coverage.member_id, []).append(coverage)

    def enroll_provider(self, npi: str, start: date, end: date | None = None) -> None:
        """Record that the provider ``npi`` is enrolled with the payer from ``start`` (to ``end``)."""
        if end is not None and end < start:
            raise ValueError(f"provider {npi}: enrolment end {end} is before start {start}")
        self.providers.setdefault(npi, []).append((start, end))

    def provider_enrolled(self, npi: str, day: date) -> bool | None:
        """True when ``npi`` is enrolled on ``day``; None when the payer keeps no provider roster."""
        if not self.providers:
            return None
        periods = self.providers.get(npi)
        if not periods:
            return False
        if len(periods) == 1:
            start, end = periods[0]
            return start <= day and (end is None or day <= end)
        return any(start <= day and (end is None or day <= end) for start, end in periods)

    def add_authorization(
        self,
        member_id: str,
        number: str,
        procedure_codes: list[str] | tuple[str, ...],
        start: date,
        end: date,
    ) -> None:
        """Record a prior authorization for ``member_id`` covering ``procedure_codes`` from start to end."""
        if end < start:
            raise ValueError(f"authorization {number}: end {end} is before start {start}")
        codes = frozenset(procedure_codes)
        record = AuthorizationRecord(member_id, number, _CODE_SETS.setdefault(codes, codes), start, end)
        self.authorizations.setdefault(member_id, []).append(record)
        for code in codes:
            self.authorization_index.setdefault((member_id, code), []).append(record)

    def authorized(self, member_id: str, code: str, day: date) -> bool:
        """True when an authorization on file for ``member_id`` covers ``code`` on ``day``."""
        for record in self.authorization_index.get((member_id, code), ()):
            if record.start <= day <= record.end:
                return True
        return False

    def next_claim_number(self, prefix: str, received: date) -> str:
        """A new payer claim control number: prefix, received date and the ledger's counter."""
        self.counter += 1
        return f"{prefix}{_day_text(received)}{self.counter:06d}"

    def add_pending(self, claim: Claim, received: date, due: date | None, payer_claim_number: str) -> None:
        """Remember a claim pended for documentation until ``due``."""
        if due is None:
            raise ValueError("a pended claim needs a documentation due date")
        self.pending[payer_claim_number] = PendingRecord(claim, received, due, payer_claim_number)

    def accumulator(self, key: AccumulatorKey) -> tuple[int, int]:
        """(deductible met, out-of-pocket met) in cents for a (plan, member, year)."""
        found = self.accumulators.get(key)
        return (found[0], found[1]) if found else (0, 0)

    def decision(self, payer_claim_number: str) -> ClaimAdjudication | None:
        """The latest decision under ``payer_claim_number``, or None."""
        record = self.decisions.get(payer_claim_number)
        return record.adjudication if record else None

    def record(self, packed: tuple, claim: Claim | None = None) -> DecisionRecord:
        """Store a packed decision (the claim kept when it may be re-run); apply its credits and history."""
        number = packed[records.NUMBER]
        kept = None
        if claim is not None and records.may_rerun(packed):
            kept = claim.model_dump_json(warnings=False)
        record = DecisionRecord(records.encode(packed), kept)
        self.decisions[number] = record
        for key, deductible, out_of_pocket in packed[records.CREDITS]:
            slot = self.accumulators.get(key)
            if slot is None:
                plan, member, year = key
                slot = self.accumulators[(intern(plan), intern(member), year)] = [0, 0]
            slot[0] += deductible
            slot[1] += out_of_pocket
        for key in records.history_keys(packed):
            self.history[key] = number
        return record

    def back_out(self, record: DecisionRecord) -> None:
        """Undo a decision's accumulator credits and history, and mark it inactive."""
        packed = record.fields
        for key, deductible, out_of_pocket in packed[records.CREDITS]:
            slot = self.accumulators[key]
            slot[0] -= deductible
            slot[1] -= out_of_pocket
        number = packed[records.NUMBER]
        for key in records.history_keys(packed):
            if self.history.get(key) == number:
                del self.history[key]
        record.active = False
        self.pending.pop(number, None)
