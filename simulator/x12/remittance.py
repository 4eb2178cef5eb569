"""Remittance: claim adjudications grouped into payments, as an 835 carries them.

A :class:`Payment` is one BPR/TRN: one payer paying one payee on one date by one check or EFT,
for the claims in it (:class:`RemitClaim`, an adjudication with the claim facts an 835 repeats:
patient name, member id, statement dates) less or plus provider-level adjustments
(:class:`ProviderAdjustment`, the PLB segment: interest, recoupments, balances forwarded).

:func:`build_payments` groups adjudications by payee into payments on a payment date, reports
claim interest as PLB L6 and forwards a negative net (a reversal bigger than the new money) with
PLB FB, so that no payment is negative. Check and EFT numbers come from
:class:`PaymentNumbers`, a deterministic counter.

Sign convention (the 835's): ``payment amount = sum of claim payments - sum of PLB amounts``;
interest paid is a negative PLB amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.models import (
    Address,
    Claim,
    ClaimAdjudication,
    ClaimKind,
    ClaimStatus,
    Provider,
    Relationship,
)
from simulator.money import Cents

__all__ = [
    "Payee",
    "Payer",
    "Payment",
    "PaymentNumbers",
    "ProviderAdjustment",
    "RemitClaim",
    "build_payments",
    "forwarded_balances",
    "payee_from_provider",
    "remit_claim",
    "remitted_number",
    "service_span",
]

_M = TypeVar("_M", bound=BaseModel)
_PENDED = ClaimStatus.PENDED  # enum members as module names: a member lookup costs more in hot loops
_REVERSED = ClaimStatus.REVERSED
_SELF = Relationship.SELF
_DEFAULT_PAYER_ADDRESS = Address(line1="1 Payer Plaza", city="Hartford", state="CT", postal_code="06101")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Payer(_Model):
    """The payer as an 835 names it (loop 1000A) and as an 835's TRN03 identifies it."""

    name: str = Field(min_length=1, max_length=60)
    payer_id: str = Field(min_length=1, max_length=80, description="X12 payer id")
    tin: str = Field(default="999999999", pattern=r"^\d{9}$", description="payer's federal tax id")
    address: Address = _DEFAULT_PAYER_ADDRESS
    contact_phone: str = Field(default="8005550100", pattern=r"^\d{10}$")
    claim_filing_indicator: str = Field(default="12", min_length=1, max_length=2, description="CLP06")


class Payee(_Model):
    """Who is paid (loop 1000B): a billing provider named by NPI, tax id or both."""

    name: str = Field(min_length=1, max_length=60)
    npi: str | None = None
    tin: str | None = None
    address: Address | None = None

    @model_validator(mode="after")
    def _identified(self) -> Payee:
        if not self.npi and not self.tin:
            raise ValueError("a payee needs an NPI or a tax id")
        return self

    @property
    def key(self) -> str:
        """A stable identity used to group claims into payments."""
        return self.npi or f"TIN{self.tin}"


class RemitClaim(_Model):
    """One claim on a remittance: the adjudication and the claim facts the 835 repeats."""

    adjudication: ClaimAdjudication
    payee: Payee
    patient_last_name: str = Field(default="UNKNOWN", min_length=1, max_length=60)
    patient_first_name: str | None = Field(default=None, max_length=35)
    member_id: str | None = Field(default=None, max_length=80)
    kind: ClaimKind = ClaimKind.PROFESSIONAL
    facility_code: str | None = Field(default=None, pattern=r"^\d{2}$", description="CLP08")
    type_of_bill: str | None = Field(default=None, pattern=r"^\d{3}$")
    statement_start: date | None = None
    statement_end: date | None = None
    original_reference: str | None = Field(
        default=None, max_length=50, description="payer claim number this claim corrects (REF*F8)"
    )
    line_controls: tuple[tuple[int, str], ...] = Field(
        default=(), description="(line number, the provider's line item control number) as the 837 sent them"
    )
    line_periods: tuple[tuple[int, date], ...] = Field(
        default=(), description="(line number, last day) of the lines billed for more than one day"
    )
    line_revenue_codes: tuple[tuple[int, str], ...] = Field(
        default=(), description="(line number, NUBC revenue code) of institutional lines (SVC04)"
    )
    subscriber_last_name: str | None = Field(
        default=None, max_length=60, description="the subscriber (NM1*IL) when not the patient"
    )
    subscriber_first_name: str | None = Field(default=None, max_length=35)


class ProviderAdjustment(_Model):
    """A PLB adjustment: reason code, reference, and amount (positive reduces the payment)."""

    reason: str = Field(pattern=r"^[0-9A-Z]{2}$", description="PLB03-1, e.g. L6 interest, WO, FB")
    reference: str | None = Field(default=None, max_length=50)
    amount: Cents


class Payment(_Model):
    """One BPR/TRN: a payer paying a payee for a group of claims on one date."""

    payer: Payer
    payee: Payee
    payment_date: date
    trace_number: str = Field(min_length=1, max_length=50, description="check or EFT number (TRN02)")
    method: Literal["CHK", "ACH", "NON"] = "CHK"
    claims: tuple[RemitClaim, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    fiscal_period_end: date | None = Field(default=None, description="PLB02; Dec 31 of the year when omitted")
    production_date: date | None = Field(default=None, description="DTM*405; the payment date when omitted")
    amount: Cents = Field(
        default=None,
        description="BPR02; computed from the claims and PLB when omitted (model_copy keeps the old value)",
    )

    @model_validator(mode="before")
    @classmethod
    def _computed_amount(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("amount") is None:
            claims = data.get("claims") or ()
            adjustments = data.get("provider_adjustments") or ()
            paid = sum(_field(c, "adjudication").paid for c in claims)
            data = data | {"amount": paid - sum(_field(a, "amount") for a in adjustments)}
        return data

    @property
    def claims_paid(self) -> int:
        """Sum of CLP04 over the payment's claims, in cents."""
        return sum(claim.adjudication.paid for claim in self.claims)

    @property
    def provider_adjusted(self) -> int:
        """Sum of the PLB amounts, in cents (positive reduces the payment)."""
        return sum(adjustment.amount for adjustment in self.provider_adjustments)

    @property
    def plb_date(self) -> date:
        """PLB02: the fiscal period end, by default December 31 of the payment year."""
        return self.fiscal_period_end or date(self.payment_date.year, 12, 31)


def _field(value: object, name: str):
    return value[name] if isinstance(value, dict) else getattr(value, name)


class PaymentNumbers:
    """A deterministic counter of check and EFT trace numbers (``prefix`` + zero-padded serial)."""

    def __init__(self, start: int = 1, prefix: str = "", width: int = 9) -> None:
        if start < 1:
            raise ValueError("payment numbers start at 1 or more")
        self._next = start
        self._prefix = prefix
        self._width = width

    def next_number(self) -> str:
        """The next trace number; each call returns a new one."""
        number = f"{self._prefix}{self._next:0{self._width}d}"
        self._next += 1
        return number

    @property
    def peek(self) -> int:
        """The serial the next call will use."""
        return self._next


def remitted_number(decision: ClaimAdjudication) -> str:
    """The payer claim number an 835 shows for a decision (CLP07): a reversal shows the reversed one."""
    if decision.reverses and decision.status == _REVERSED:
        return decision.reverses
    return decision.payer_claim_number


def service_span(claim: Claim) -> tuple[date, date]:
    """The claim's first and last dates of service (its ``first_service_date`` and
    ``last_service_date``), found in one pass over the lines."""
    first = last = None
    for line in claim.lines:
        start = line.service_date
        end = line.service_date_end or start
        if first is None or start < first:
            first = start
        if last is None or end > last:
            last = end
    if first is None or last is None:  # no lines: the properties say what is wrong
        return claim.first_service_date, claim.last_service_date
    return first, last


def payee_from_provider(provider: Provider) -> Payee:
    """The payee an 835 names for a billing provider (cached: a remittance repeats a few providers).

    Claims read from one 837 share their billing provider objects, so the cache is looked up by
    identity first (hashing a pydantic model for every claim would cost as much as the rest of a
    remittance claim), then by value. An identity entry keeps its provider, so its id stays unique.
    """
    entry = _PAYEES_BY_IDENTITY.get(id(provider))
    if entry is not None and entry[0] is provider:
        return entry[1]
    payee = _payee_by_value(provider)
    if len(_PAYEES_BY_IDENTITY) >= 1024:
        _PAYEES_BY_IDENTITY.clear()
    _PAYEES_BY_IDENTITY[id(provider)] = (provider, payee)
    return payee


_PAYEES_BY_IDENTITY: dict[int, tuple[Provider, Payee]] = {}


@lru_cache(maxsize=1024)
def _payee_by_value(provider: Provider) -> Payee:
    return Payee(name=provider.name, npi=provider.npi, tin=provider.tin, address=provider.address)


def remit_claim(
    adjudication: ClaimAdjudication, claim: Claim, original_reference: str | None = None
) -> RemitClaim:
    """A remittance claim from an adjudication and the claim it decided."""
    facility = claim.type_of_bill[:2] if claim.type_of_bill else claim.place_of_service
    first, last = service_span(claim)
    coverage = claim.coverage
    subscriber = coverage.subscriber if coverage.relationship != _SELF else None
    controls, periods, revenue = _line_facts(claim)
    values = {
        "adjudication": adjudication,
        "payee": payee_from_provider(claim.billing_provider),
        "patient_last_name": claim.patient.last_name,
        "patient_first_name": claim.patient.first_name,
        "member_id": coverage.member_id,
        "kind": claim.kind,
        "facility_code": facility,
        "type_of_bill": claim.type_of_bill,
        "statement_start": first,
        "statement_end": last,
        "original_reference": original_reference,
        "line_controls": controls,
        "line_periods": periods,
        "line_revenue_codes": revenue,
        "subscriber_last_name": subscriber.last_name if subscriber else None,
        "subscriber_first_name": subscriber.first_name if subscriber else None,
    }
    if original_reference is None and isinstance(adjudication, ClaimAdjudication):
        return _already_valid(RemitClaim, values)
    return RemitClaim(**values)


_Pairs = tuple[tuple[int, str], ...]


def _line_facts(claim: Claim) -> tuple[_Pairs, tuple[tuple[int, date], ...], _Pairs]:
    """The claim's line item control numbers, the last days of its lines spanning several days and
    its lines' revenue codes, by line number (none for most professional claims)."""
    controls: _Pairs = ()
    periods: tuple[tuple[int, date], ...] = ()
    revenue: _Pairs = ()
    for line in claim.lines:
        if line.control_number:
            controls += ((line.line_number, line.control_number),)
        end = line.service_date_end
        if end is not None and end != line.service_date:
            periods += ((line.line_number, end),)
        if line.revenue_code:
            revenue += ((line.line_number, line.revenue_code),)
    return controls, periods, revenue


def _already_valid(cls: type[_M], values: dict[str, object]) -> _M:
    """A ``cls`` holding ``values`` (every field, in field order) without validating them again.

    Only for values taken from validated models whose constraints imply the target's: a
    :class:`~simulator.models.Claim` already holds stripped names within the lengths a
    :class:`RemitClaim` allows, a two-digit facility code and a three-digit type of bill.
    Validating them again would take about two thirds of the time a remittance spends per claim.
    """
    model = cls.__new__(cls)
    _set_dict(model, "__dict__", values)
    _set_fields_set(model, _field_names(cls))
    _set_extra(model, None)
    _set_private(model, None)
    return model


@cache
def _field_names(cls: type[BaseModel]) -> set[str]:
    """The set of a model class's field names, shared by its instances made with every field: a
    frozen model never changes it (``model_copy`` copies it before adding to it)."""
    return set(cls.model_fields)


# The slots of a pydantic model, set directly (a frozen model refuses ordinary assignment).
_set_dict = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _payment_for(
    payer: Payer,
    payee: Payee,
    claims: list[RemitClaim],
    payment_date: date,
    numbers: PaymentNumbers,
    recoveries: Sequence[ProviderAdjustment],
) -> Payment:
    paid = 0
    adjustments: list[ProviderAdjustment] = []
    for claim in claims:
        decision = claim.adjudication
        paid += decision.paid
        if decision.interest:
            number = remitted_number(decision)
            adjustments.append(ProviderAdjustment(reason="L6", reference=number, amount=-decision.interest))
    adjustments += recoveries
    net = paid - sum(a.amount for a in adjustments)
    if net < 0:
        adjustments.append(ProviderAdjustment(reason="FB", reference=payee.key, amount=net))
        net = 0
    return Payment(
        payer=payer,
        payee=payee,
        payment_date=payment_date,
        trace_number=numbers.next_number(),
        method="CHK" if net > 0 else "NON",
        claims=tuple(claims),
        provider_adjustments=tuple(adjustments),
        amount=net,
    )


def build_payments(
    claims: Iterable[RemitClaim],
    *,
    payer: Payer,
    payment_date: date,
    numbers: PaymentNumbers,
    recoupments: Mapping[str, Sequence[ProviderAdjustment]] | None = None,
) -> list[Payment]:
    """Group remittance claims into one payment per payee (first-seen order); pended claims wait.

    Claim interest becomes PLB L6. ``recoupments`` maps a payee key (:attr:`Payee.key`) to
    provider adjustments taken back from its payment (PLB WO overpayment recovery, FB a balance
    forwarded earlier...). A negative net is forwarded with PLB FB so no payment is negative. A
    replacement that follows its reversal gets REF*F8 naming the claim it corrects.
    """
    by_payee: dict[str, list[RemitClaim]] = {}
    payees: dict[str, Payee] = {}
    for claim in claims:
        if claim.adjudication.status == _PENDED:
            continue
        key = claim.payee.key
        members = by_payee.get(key)
        if members is None:
            members = by_payee[key] = []
            payees[key] = claim.payee
        if members and members[-1].adjudication.status == _REVERSED:
            claim = _with_original_reference(claim, members)
        members.append(claim)
    recoupments = recoupments or {}
    return [
        _payment_for(payer, payees[key], members, payment_date, numbers, tuple(recoupments.get(key, ())))
        for key, members in by_payee.items()
    ]


def forwarded_balances(
    payments: Iterable[Payment], earlier: Mapping[str, Sequence[ProviderAdjustment]] | None = None
) -> dict[str, tuple[ProviderAdjustment, ...]]:
    """What each payee still owes after ``payments``, as the recoupments of its next payment.

    ``earlier`` are the recoupments that were due before ``payments`` (those of a payee with no
    payment here stay due). A balance a payment forwards (PLB FB, negative) comes back as PLB FB
    with the same reference and the opposite sign, to pass to :func:`build_payments` next time.
    """
    paid = {payment.payee.key for payment in payments}
    owed = {key: tuple(due) for key, due in (earlier or {}).items() if key not in paid and due}
    for payment in payments:
        taken = tuple(
            ProviderAdjustment(reason="FB", reference=adjustment.reference, amount=-adjustment.amount)
            for adjustment in payment.provider_adjustments
            if adjustment.reason == "FB" and adjustment.amount < 0
        )
        if taken:
            owed[payment.payee.key] = taken
    return owed


def _with_original_reference(claim: RemitClaim, earlier: list[RemitClaim]) -> RemitClaim:
    decision = claim.adjudication
    if claim.original_reference or decision.status == ClaimStatus.REVERSED or not earlier:
        return claim
    previous = earlier[-1].adjudication
    if previous.status == ClaimStatus.REVERSED and previous.claim_id == decision.claim_id:
        reference = previous.reverses or previous.payer_claim_number
        return claim.model_copy(update={"original_reference": reference})
    return claim
